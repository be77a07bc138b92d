import type { KnownBlock } from '@slack/types';
import { summariseDigest } from '../../../../src/domain/digest/summarise';
import type { TDigestInput } from '../../../../src/domain/digest/types';
import { buildDigestMessages, digestAsText, MAX_REPLIES, PARENT_ITEMS } from '../../../../src/slack/blocks/digest';
import { assertWithinSlackLimits, liveMentions, mrkdwnTexts } from '../../../helpers/blockKitLimits';
import { BEFORE_PERIOD, IN_PERIOD, debrief, input, loss } from '../../domain/digest/fixtures';

const render = (overrides: Partial<TDigestInput> = {}, options = {}) => buildDigestMessages(summariseDigest(input(overrides)), options);
const textOf = (message: { text: string; blocks: readonly KnownBlock[] }) => mrkdwnTexts(message).join('\n') + JSON.stringify(message.blocks);

describe('buildDigestMessages', () => {
  it('says an empty week in one line, with no thread', () => {
    const { parent, replies } = render({ losses: [loss({ openedAt: BEFORE_PERIOD })] });
    expect(parent.blocks).toHaveLength(1);
    expect(parent.blocks[0]).toMatchObject({ type: 'section' });
    expect(textOf(parent)).toContain('no losses were reported this week');
    expect(textOf(parent)).toContain('2026-W47');
    expect(replies).toEqual([]);
    assertWithinSlackLimits(parent);
  });

  it('shows one loss with its money, reason, winner, quote and a link to its thread', () => {
    const { parent, replies } = render({ losses: [loss({ dealName: 'Acme renewal', amount: '48000.00', threadUrl: 'https://test.slack.com/archives/C1/p1' })] });
    const text = textOf(parent);
    expect(text).toContain('Loss digest: Nov 16 – 22, 2026');
    expect(text).toContain('*1 loss*');
    expect(text).toContain('$48,000.00');
    expect(text).toContain('Price or budget: *1*');
    expect(text).toContain('*Globex* won 1 deal');
    expect(text).toContain('>Bundled onboarding at no extra cost.');
    expect(text).toContain('Robin Rep');
    expect(text).toContain('<https://test.slack.com/archives/C1/p1|Acme renewal>');
    expect(text).toContain('Less value for the price than the winner: *1*');
    expect(replies).toEqual([]);
    // Quotes name people without pinging them.
    expect(liveMentions(parent)).toEqual([]);
    assertWithinSlackLimits(parent);
  });

  it('never adds amounts of different currencies', () => {
    const { parent } = render({ losses: [loss({ amount: '100.00', currency: 'USD' }), loss({ amount: '200.00', currency: 'EUR' })] });
    const text = textOf(parent);
    expect(text).toContain('Lost in USD: *$100.00*');
    expect(text).toContain('Lost in EUR: *€200.00*');
    expect(text).not.toContain('300');
  });

  it('mentions the owners of retros still waiting for a debrief and of open action items', () => {
    const { parent } = render({
      losses: [loss()],
      waitingRetros: [{ retroId: 'w', dealName: 'Initech', threadUrl: null, anonymousSlackUserIds: [], ownerSlackUserId: 'U0LATE001', ownerName: null, openedAt: IN_PERIOD }],
      openActionItems: [{ retroId: 'a', dealName: 'Acme', threadUrl: null, anonymousSlackUserIds: [], text: 'Update the deck', ownerSlackUserId: 'U0SE00001', dueOn: '2026-11-20' }],
    });
    expect(liveMentions(parent).sort()).toEqual(['<@U0LATE001>', '<@U0SE00001>']);
    expect(textOf(parent)).toContain('overdue since Nov 20, 2026');
  });

  it('leaves out the names of people who asked for anonymity', () => {
    const { parent } = render({
      losses: [loss({ dealName: 'Quiet', anonymousSlackUserIds: ['U0REP0001'], debrief: debrief({ anonymous: true }) })],
      openActionItems: [{ retroId: 'a', dealName: 'Quiet', threadUrl: null, anonymousSlackUserIds: ['U0REP0001'], text: 'Call back', ownerSlackUserId: 'U0REP0001', dueOn: '2026-12-01' }],
    });
    const text = textOf(parent);
    expect(text).not.toContain('Robin');
    expect(text).not.toContain('U0REP0001');
    expect(text).toContain('owner not named');
  });

  it('escapes what people typed, so a deal name cannot ping the channel', () => {
    const { parent } = render({ losses: [loss({ dealName: 'Evil <!channel> deal', threadUrl: null, debrief: debrief({ whyWinnerWon: '<!here> cheaper' }) })] });
    expect(liveMentions(parent)).toEqual([]);
  });

  it('keeps a huge week within Slack\'s limits: a short channel message, the rest in a few thread replies', () => {
    const longName = 'Very long deal name '.repeat(20);
    const many = input({
      losses: Array.from({ length: 400 }, (_, index) =>
        loss({
          dealName: `${longName}${index}`,
          amount: `${1000 + index}.00`,
          currency: index % 3 === 0 ? 'EUR' : 'USD',
          debrief: debrief({ winnerName: `Competitor ${index % 30}`, whyWinnerWon: 'Because '.repeat(100) }),
        }),
      ),
      openActionItems: Array.from({ length: 80 }, (_, index) => ({
        retroId: `a${index}`,
        dealName: longName,
        threadUrl: 'https://test.slack.com/archives/C1/p1',
        anonymousSlackUserIds: [],
        text: 'Do the thing '.repeat(30),
        ownerSlackUserId: 'U0SE00001',
        dueOn: '2026-12-01',
      })),
      waitingRetros: Array.from({ length: 120 }, (_, index) => ({
        retroId: `w${index}`,
        dealName: longName,
        threadUrl: null,
        anonymousSlackUserIds: [],
        ownerSlackUserId: 'U0LATE001',
        ownerName: null,
        openedAt: IN_PERIOD,
      })),
      lessons: Array.from({ length: 50 }, (_, index) => ({
        retroId: `l${index}`,
        dealName: longName,
        threadUrl: null,
        anonymousSlackUserIds: [],
        text: 'Learn this '.repeat(40),
        authorSlackUserId: 'U0SE00001',
        createdAt: IN_PERIOD,
      })),
    });
    const { parent, replies } = buildDigestMessages(summariseDigest(many));
    assertWithinSlackLimits(parent);
    expect(parent.blocks.length).toBeLessThanOrEqual(25);
    expect(textOf(parent)).toContain('*400 losses*');
    expect(textOf(parent)).toContain(`+${400 - PARENT_ITEMS.losses} more in the thread`);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.length).toBeLessThanOrEqual(MAX_REPLIES);
    for (const reply of replies) assertWithinSlackLimits(reply);
    // The thread does not repeat what the channel message already listed.
    const threadText = replies.map(textOf).join('\n');
    expect(threadText).toContain("This week's losses (continued)");
    expect(threadText).toContain('more. Find them with `/losses` search.');
  });

  it('tells a preview reader that only they see it, and where and when it goes out', () => {
    const { parent } = render({ losses: [loss()] }, { preview: { channelId: 'C0SALES01', goesOutAt: new Date('2026-11-23T08:00:00Z'), inProgress: false, paused: false } });
    expect(textOf(parent)).toContain('Preview, only you can see this.');
    expect(textOf(parent)).toContain('<#C0SALES01> Monday, Nov 23 at 09:00 (Europe/Berlin)');
  });

  it('labels a digest posted late with the time it was due', () => {
    const { parent } = render({ losses: [loss()] }, { lateSince: new Date('2026-11-23T08:00:00Z') });
    expect(textOf(parent)).toContain('Posted late: it was due Monday, Nov 23 at 09:00');
  });
});

describe('digestAsText', () => {
  it('renders the digest for a terminal: links as label (url), mentions as @id, the thread after', () => {
    const rendered = render({
      losses: [loss({ dealName: 'Acme & Co', threadUrl: 'https://test.slack.com/archives/C1/p1' })],
      waitingRetros: [{ retroId: 'w', dealName: 'Initech', threadUrl: null, anonymousSlackUserIds: [], ownerSlackUserId: 'U0LATE001', ownerName: null, openedAt: IN_PERIOD }],
    });
    const text = digestAsText({ ...rendered, replies: [{ text: 'more', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*More*' } }] }] });
    expect(text).toContain('# Loss digest: Nov 16 – 22, 2026');
    expect(text).toContain('Acme & Co (https://test.slack.com/archives/C1/p1)');
    expect(text).toContain('@U0LATE001');
    expect(text).toContain('--- in the thread (1) ---\n\n*More*');
  });
});

describe('a preview with no digest channel', () => {
  it('says it will not be posted and how to pick a channel', () => {
    const { parent } = render({ losses: [loss()] }, { preview: { channelId: '', goesOutAt: new Date('2026-11-23T08:00:00Z'), inProgress: false, paused: false } });
    expect(textOf(parent)).toContain('No digest channel is set yet');
    expect(textOf(parent)).not.toContain('<#>');
  });
});
