import { WebClient } from '@slack/web-api';
import { CHANNEL_MEMBERS_TTL_MS, FAILED_LOOKUP_TTL_MS, createChannelAccess } from '../../../src/services/channelAccess';
import { FakeSlack } from '../../helpers/fakeSlack';

// A real WebClient against the fake Slack: the calls made are the ones Slack would get.

const silent = { debug: () => undefined, info: () => undefined, warn: jest.fn(), error: () => undefined };

describe('createChannelAccess', () => {
  let slack: FakeSlack;
  let client: WebClient;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    client = new WebClient('xoxb-test', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  });
  afterAll(() => slack.stop());
  beforeEach(() => {
    slack.reset();
    silent.warn.mockClear();
    slack.setResponse('conversations.info', (args) => ({ ok: true, channel: { id: args.channel, is_private: String(args.channel).includes('PRIV') } }));
  });

  it('lets everyone read public channels, and members only read private ones', async () => {
    slack.setResponse('conversations.members', (args) => ({ ok: true, members: args.channel === 'C0PRIV0001' ? ['U0IN'] : [], response_metadata: { next_cursor: '' } }));
    const access = createChannelAccess({ logger: silent });
    const channels = ['C0PUBLIC01', 'C0PRIV0001', 'G0LEGACY01'];
    expect(await access.readableChannels(client, 'U0IN', channels)).toEqual(['C0PUBLIC01', 'C0PRIV0001']);
    expect(await access.readableChannels(client, 'U0OUT', channels)).toEqual(['C0PUBLIC01']);
    // G… ids are private without asking; public channels' members are never listed.
    expect(slack.calls('conversations.info').map((call) => call.args.channel).sort()).toEqual(['C0PRIV0001', 'C0PUBLIC01']);
    expect(slack.calls('conversations.members').map((call) => call.args.channel).sort()).toEqual(['C0PRIV0001', 'G0LEGACY01']);
  });

  it('reads every page of members, and caches them briefly', async () => {
    let clock = 0;
    slack.setResponse('conversations.members', (args) =>
      args.cursor === 'page2'
        ? { ok: true, members: ['U0SECOND'], response_metadata: { next_cursor: '' } }
        : { ok: true, members: ['U0FIRST'], response_metadata: { next_cursor: 'page2' } },
    );
    const access = createChannelAccess({ logger: silent, now: () => clock });
    expect(await access.readableChannels(client, 'U0SECOND', ['G0PRIV0002'])).toEqual(['G0PRIV0002']);
    expect(slack.calls('conversations.members')).toHaveLength(2);
    clock += CHANNEL_MEMBERS_TTL_MS - 1;
    await access.readableChannels(client, 'U0FIRST', ['G0PRIV0002']);
    expect(slack.calls('conversations.members')).toHaveLength(2);
    clock += 2;
    await access.readableChannels(client, 'U0FIRST', ['G0PRIV0002']);
    expect(slack.calls('conversations.members')).toHaveLength(4);
  });

  it('hides a channel when Slack will not say who is in it or whether it is private, and asks again a little later', async () => {
    let clock = 0;
    slack.failNext('conversations.members', 'not_in_channel');
    slack.failNext('conversations.info', 'channel_not_found');
    slack.setResponse('conversations.members', { ok: true, members: ['U0IN'], response_metadata: { next_cursor: '' } });
    const access = createChannelAccess({ logger: silent, now: () => clock });
    expect(await access.readableChannels(client, 'U0IN', ['G0PRIV0003'])).toEqual([]);
    // Not described: treated as private, so only its members may read it.
    expect(await access.readableChannels(client, 'U0OUT', ['C0UNKNOWN1'])).toEqual([]);
    expect(await access.readableChannels(client, 'U0IN', ['C0UNKNOWN1'])).toEqual(['C0UNKNOWN1']);
    expect(silent.warn).toHaveBeenCalledTimes(2);
    // The failure is remembered briefly, so a burst of searches does not hammer Slack...
    expect(await access.readableChannels(client, 'U0IN', ['G0PRIV0003'])).toEqual([]);
    expect(slack.calls('conversations.members').filter((call) => call.args.channel === 'G0PRIV0003')).toHaveLength(1);
    // ...and then Slack is asked again.
    clock += FAILED_LOOKUP_TTL_MS + 1;
    expect(await access.readableChannels(client, 'U0IN', ['G0PRIV0003'])).toEqual(['G0PRIV0003']);
    expect(await access.readableChannels(client, 'U0OUT', ['C0UNKNOWN1'])).toEqual(['C0UNKNOWN1']);
  });
});
