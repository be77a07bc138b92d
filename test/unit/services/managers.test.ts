import { WebClient } from '@slack/web-api';
import { MANAGER_GROUP_TTL_MS, createManagerDirectory } from '../../../src/services/managers';
import { FakeSlack } from '../../helpers/fakeSlack';

// A real WebClient against the fake Slack, so the call Debrief makes is the one Slack would get.

const silent = { debug: () => undefined, info: () => undefined, warn: jest.fn(), error: () => undefined };

describe('createManagerDirectory', () => {
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
  });

  it('counts the listed people as managers without asking Slack', async () => {
    const managers = createManagerDirectory({ userGroupId: undefined, userIds: ['U0MGR0001'], logger: silent });
    expect(await managers.isManager(client, 'U0MGR0001')).toBe(true);
    expect(await managers.isManager(client, 'U0REP0001')).toBe(false);
    expect(slack.calls()).toHaveLength(0);
  });

  it('reads the user group once per few minutes, sharing one call between concurrent checks', async () => {
    let clock = 0;
    slack.setResponse('usergroups.users.list', { ok: true, users: ['U0LEAD001'] });
    const managers = createManagerDirectory({ userGroupId: 'S0LEADS01', userIds: [], logger: silent, now: () => clock });
    expect(await Promise.all([managers.isManager(client, 'U0LEAD001'), managers.isManager(client, 'U0REP0001')])).toEqual([true, false]);
    expect(slack.calls('usergroups.users.list')).toHaveLength(1);
    expect(slack.calls('usergroups.users.list')[0]!.args).toMatchObject({ usergroup: 'S0LEADS01' });

    clock += MANAGER_GROUP_TTL_MS - 1;
    expect(await managers.isManager(client, 'U0LEAD001')).toBe(true);
    expect(slack.calls('usergroups.users.list')).toHaveLength(1);

    // After the cache expires, a change of membership in Slack takes effect.
    slack.setResponse('usergroups.users.list', { ok: true, users: ['U0REP0001'] });
    clock += 2;
    expect(await managers.isManager(client, 'U0LEAD001')).toBe(false);
    expect(await managers.isManager(client, 'U0REP0001')).toBe(true);
    expect(slack.calls('usergroups.users.list')).toHaveLength(2);
  });

  it('falls back to the list, and says what to fix, when the group cannot be read', async () => {
    slack.failNext('usergroups.users.list', 'missing_scope');
    const managers = createManagerDirectory({ userGroupId: 'S0LEADS01', userIds: ['U0MGR0001'], logger: silent });
    expect(await managers.isManager(client, 'U0LEAD001')).toBe(false);
    expect(await managers.isManager(client, 'U0MGR0001')).toBe(true);
    expect(silent.warn).toHaveBeenCalledWith(expect.stringContaining('usergroups:read'));
    expect(managers.source).toEqual({ userGroupId: 'S0LEADS01', userIds: ['U0MGR0001'] });
  });
});
