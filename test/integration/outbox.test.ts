import { WebClient } from '@slack/web-api';
import { metricsRegistry } from '../../src/lib/metrics';
import { DELIVERY_EVENT_TYPE } from '../../src/outbox/slackWrites';
import { CALLBACKS } from '../../src/slack/ids';
import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, TEST_RETRO_CHANNEL, type THarness } from '../helpers/debriefHarness';
import type { FakeSlack } from '../helpers/fakeSlack';
import { MANAGER, REP, logFormState, viewSubmission } from '../helpers/payloads';
import { postInteraction } from '../helpers/slackRequests';
import { waitFor } from '../helpers/wait';

// The outbox end to end: Slack failing for a while, an answer lost after Slack posted, an instance
// that died between Slack's answer and storing the ts, and two instances sharing one database.
// Every message must show exactly once.

/** Parent messages (not thread replies) in the retro channel that name this deal. */
function parentsOf(slack: FakeSlack, dealName: string): Record<string, unknown>[] {
  return slack.messagesIn(TEST_RETRO_CHANNEL).filter((message) => message.thread_ts === undefined && JSON.stringify(message.blocks ?? []).includes(dealName));
}

function repliesTo(slack: FakeSlack, threadTs: string): Record<string, unknown>[] {
  return slack.messagesIn(TEST_RETRO_CHANNEL).filter((message) => message.thread_ts === threadTs);
}

/** Submits the log modal and waits until the retro is stored (the modal is acknowledged before that). */
async function logDeal(harness: THarness, dealName: string, userId = REP): Promise<void> {
  const response = await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName }), userId }));
  expect(response.status).toBe(200);
  await retroOf(harness, dealName);
}

async function retroOf(harness: THarness, dealName: string) {
  return waitFor(() => harness.debrief.database.prisma.retro.findFirst({ where: { deal: { name: dealName } } }).then((retro) => retro ?? undefined));
}

async function counterValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metricsRegistry.getMetricsAsJSON()).find((candidate) => candidate.name === name);
  return (metric?.values ?? []).filter((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted)).reduce((sum, value) => sum + value.value, 0);
}

describe.each(DATABASE_KINDS)('outbox of Slack writes on %s', (kind) => {
  let harness: THarness;

  beforeAll(async () => {
    harness = await startHarness(kind);
  });
  afterAll(async () => {
    await harness?.stop();
  });
  beforeEach(() => harness.slack.reset());

  it('delivers every message once after Slack answered 500 and then 429 with Retry-After for a while', async () => {
    const retriesBefore = await counterValue('debrief_outbox_retries_total', { kind: 'retro.open' });
    harness.slack.serverErrorNext('chat.postMessage', 3);
    harness.slack.rateLimitNext('chat.postMessage', 1, 1);
    await logDeal(harness, 'Stormy Slack deal', MANAGER);
    // The modal was acknowledged at once; the thread follows once Slack recovers.
    await harness.debrief.outbox.drain(15_000);

    const parents = parentsOf(harness.slack, 'Stormy Slack deal');
    expect(parents).toHaveLength(1);
    const parentTs = String(parents[0]!.ts);
    expect(repliesTo(harness.slack, parentTs)).toHaveLength(1); // the debrief prompt, once
    const posts = harness.slack.calls('chat.postMessage');
    expect(posts.filter((call) => call.args.channel === REP)).toHaveLength(1); // the owner's DM, once
    expect(posts.filter((call) => call.args.channel === MANAGER)).toHaveLength(1); // "Logged ...", once
    // 500, 500, 500, then a 429: the 429's Retry-After (1 s) was waited out before the next try.
    const attempts = posts.filter((call) => call.args.channel === TEST_RETRO_CHANNEL && call.args.thread_ts === undefined);
    expect(attempts.map((call) => call.status)).toEqual([500, 500, 500, 429, 200]);
    expect(attempts[4]!.at - attempts[3]!.at).toBeGreaterThanOrEqual(950);

    const retro = await retroOf(harness, 'Stormy Slack deal');
    expect(retro.messageTs).toBe(parentTs);
    expect(await harness.debrief.repos.slackDeliveries.findByKey(`retro.open:${retro.id}`)).toMatchObject({ state: 'delivered', attempts: 5 });
    expect((await counterValue('debrief_outbox_retries_total', { kind: 'retro.open' })) - retriesBefore).toBe(4);
  });

  it('adopts a post whose answer was lost instead of posting it again', async () => {
    // Slack posts the parent message, but the connection drops before its answer arrives.
    harness.slack.loseAnswerNext('chat.postMessage');
    await logDeal(harness, 'Lost answer deal');
    await harness.debrief.outbox.drain(15_000);

    const parents = parentsOf(harness.slack, 'Lost answer deal');
    expect(parents).toHaveLength(1);
    expect(parents[0]!.metadata).toMatchObject({ event_type: DELIVERY_EVENT_TYPE });
    const retro = await retroOf(harness, 'Lost answer deal');
    expect(retro.messageTs).toBe(parents[0]!.ts);
    expect(repliesTo(harness.slack, String(parents[0]!.ts))).toHaveLength(1);
    expect(harness.slack.calls('conversations.history').length).toBeGreaterThan(0);
  });

  it('after an instance died between Slack accepting the post and storing its ts, adopts the message once the lease expires', async () => {
    const { prisma } = harness.debrief.database;
    const workspace = await prisma.workspace.findFirstOrThrow({ select: { id: true } });
    const deal = await prisma.deal.create({
      data: { workspaceId: workspace.id, source: 'manual', externalId: 'crashed-instance', name: 'Crashed instance deal', lostAt: new Date(), ownerSlackUserId: REP },
    });
    const retro = await prisma.retro.create({ data: { workspaceId: workspace.id, dealId: deal.id, channelId: TEST_RETRO_CHANNEL } });
    // The dead instance had claimed the delivery (lease for one more second) and Slack had posted...
    await prisma.slackDelivery.create({
      data: {
        workspaceId: workspace.id,
        kind: 'retro.open',
        key: `retro.open:${retro.id}`,
        payload: { retroId: retro.id },
        attempts: 1,
        claimedBy: 'dead-instance/1',
        leaseExpiresAt: new Date(Date.now() + 1000),
      },
    });
    const slack = new WebClient('xoxb-test-token', { slackApiUrl: harness.slack.url });
    const posted = await slack.chat.postMessage({
      channel: TEST_RETRO_CHANNEL,
      text: 'Lost: Crashed instance deal',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Crashed instance deal' } }],
      metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: `retro.parent:${retro.id}` } },
    });
    // ...but the ts never reached the database.
    expect((await prisma.retro.findUniqueOrThrow({ where: { id: retro.id } })).messageTs).toBeNull();

    await waitFor(async () => (await prisma.retro.findUniqueOrThrow({ where: { id: retro.id } })).promptTs ?? undefined, { timeoutMs: 10_000 });
    await harness.debrief.outbox.drain();
    expect(parentsOf(harness.slack, 'Crashed instance deal')).toHaveLength(1);
    expect((await prisma.retro.findUniqueOrThrow({ where: { id: retro.id } })).messageTs).toBe(posted.ts);
    expect(repliesTo(harness.slack, String(posted.ts))).toHaveLength(1);
    expect(await harness.debrief.repos.slackDeliveries.findByKey(`retro.open:${retro.id}`)).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('gives up on a channel the bot is not in, says so to whoever logged the deal, and counts it dead', async () => {
    harness.slack.failNext('chat.postMessage', 'channel_not_found');
    await logDeal(harness, 'Unreachable channel deal', MANAGER);
    const dm = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.channel === MANAGER);
    expect(String(dm.args.text)).toContain('/invite @Debrief');
    const retro = await retroOf(harness, 'Unreachable channel deal');
    expect(await harness.debrief.repos.slackDeliveries.findByKey(`retro.open:${retro.id}`)).toMatchObject({ state: 'dead', lastError: 'channel_not_found', attempts: 1 });
    const metrics = await (await fetch(`${harness.http.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/debrief_outbox_depth\{state="dead"\} [1-9]/);
    expect(metrics).toMatch(/debrief_outbox_deliveries_total\{kind="retro.open",outcome="dead"\} [1-9]/);
  });
});

// Two instances need two connections to one database: PostgreSQL only (PGlite lives in one process).
const describeOnPostgres = DATABASE_KINDS.includes('postgres') ? describe : describe.skip;
describeOnPostgres('two instances sharing the outbox on postgres', () => {
  const kind = 'postgres';
  let first: THarness;
  let second: THarness;

  beforeAll(async () => {
    first = await startHarness(kind);
    // One Slack for both, as in production: the second instance talks to the first one's fake.
    second = await startHarness(kind, { database: first.database, slack: { apiUrl: first.slack.url } });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it('delivers each message once, whichever instance claims it', async () => {
    const names = Array.from({ length: 12 }, (_, index) => `Shared outbox deal ${String(index + 1).padStart(2, '0')}`);
    await Promise.all(names.map((name, index) => logDeal(index % 2 === 0 ? first : second, name)));
    await Promise.all([first.debrief.outbox.drain(20_000), second.debrief.outbox.drain(20_000)]);

    for (const name of names) {
      expect(parentsOf(first.slack, name)).toHaveLength(1);
    }
    expect(first.slack.messagesIn(TEST_RETRO_CHANNEL).filter((message) => message.thread_ts !== undefined)).toHaveLength(names.length);
    expect(first.slack.calls('chat.postMessage').filter((call) => call.args.channel === REP)).toHaveLength(names.length); // owners' DMs
    expect(await first.debrief.repos.slackDeliveries.countByState()).toMatchObject({ pending: 0, dead: 0 });
  });
});
