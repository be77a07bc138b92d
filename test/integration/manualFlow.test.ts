import { ACTIONS, CALLBACKS, COMMANDS, LOG_INPUTS, SHORTCUTS, DEBRIEF_INPUTS } from '../../src/slack/ids';
import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, TEST_RETRO_CHANNEL, type THarness } from '../helpers/debriefHarness';
import type { RecordedCall } from '../helpers/fakeSlack';
import {
  MANAGER,
  REP,
  blockAction,
  debriefFormState,
  eventEnvelope,
  globalShortcut,
  logFormState,
  viewSubmission,
} from '../helpers/payloads';
import { postCommand, postEvent, postInteraction, postRaw } from '../helpers/slackRequests';
import { sleep, waitFor } from '../helpers/wait';

const NOW = new Date('2026-11-23T15:00:00Z');

function blocksText(call: RecordedCall): string {
  return JSON.stringify(call.args.blocks ?? []);
}

describe.each(DATABASE_KINDS)('manual loss flow on %s', (kind) => {
  let harness: THarness;

  beforeAll(async () => {
    harness = await startHarness(kind, { now: () => NOW });
  });
  afterAll(async () => {
    await harness?.stop();
  });
  beforeEach(() => harness.slack.reset());

  async function countRows() {
    const { prisma } = harness.debrief.database;
    return { deals: await prisma.deal.count(), retros: await prisma.retro.count(), debriefs: await prisma.debrief.count() };
  }

  /** Logs a deal through the modal and waits for the retro thread to open. */
  async function logDeal(values = {}, viewId?: string) {
    const response = await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState(values), viewId }));
    expect(response.status).toBe(200);
    const prompt = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts !== undefined && blocksText(call).includes(ACTIONS.openDebrief));
    const parent = harness.slack.calls('chat.postMessage').find((call) => call.args.channel === TEST_RETRO_CHANNEL && call.args.thread_ts === undefined)!;
    const retroId = JSON.parse(blocksText(prompt)).find((block: { type: string }) => block.type === 'actions').elements[0].value as string;
    // The owner's DM is the last step of opening a retro; waiting for it keeps tests independent.
    await harness.slack.waitForCall('chat.postMessage', (call) => call.args.channel === REP && blocksText(call).includes(retroId));
    return { parent, prompt, retroId, parentTs: String(parent.response?.ts) };
  }

  it('answers /healthz once the database is reachable', async () => {
    const response = await fetch(`${harness.http.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'up' });
  });

  it('opens the "Log a lost deal" modal from /losses log, with the caller as owner', async () => {
    const response = await postCommand(harness.http, { command: COMMANDS.losses, text: 'log', user_id: REP });
    expect(response.status).toBe(200);
    const open = await harness.slack.waitForCall('views.open');
    const view = open.args.view as { callback_id: string; blocks: Array<{ block_id?: string; element?: { initial_user?: string; initial_date?: string } }> };
    expect(view.callback_id).toBe(CALLBACKS.logLostDealModal);
    expect(view.blocks.find((block) => block.block_id === LOG_INPUTS.owner.block)?.element?.initial_user).toBe(REP);
    expect(view.blocks.find((block) => block.block_id === LOG_INPUTS.lostOn.block)?.element?.initial_date).toBe('2026-11-23');
  });

  it('opens the same modal from the global shortcut', async () => {
    await postInteraction(harness.http, globalShortcut(SHORTCUTS.logLostDeal));
    const open = await harness.slack.waitForCall('views.open');
    expect((open.args.view as { callback_id: string }).callback_id).toBe(CALLBACKS.logLostDealModal);
  });

  it('answers /losses with an unknown filter with a short help, privately', async () => {
    const response = await postCommand(harness.http, { command: COMMANDS.losses, text: 'frobnicate:yes' });
    expect(response.json).toMatchObject({ response_type: 'ephemeral' });
    expect(response.body).toContain('frobnicate:');
    expect(response.body).toContain('/losses help');
  });

  it('shows log-form errors on the right fields and stores nothing', async () => {
    const before = await countRows();
    const response = await postInteraction(
      harness.http,
      viewSubmission({
        callbackId: CALLBACKS.logLostDealModal,
        values: logFormState({ dealName: '   ', crmUrl: 'javascript:alert(1)', lostOn: '2026-12-30' }),
      }),
    );
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: {
        [LOG_INPUTS.dealName.block]: expect.stringContaining('name'),
        [LOG_INPUTS.crmUrl.block]: expect.stringContaining('https://'),
        [LOG_INPUTS.lostOn.block]: expect.stringContaining('future'),
      },
    });
    await sleep(100);
    expect(await countRows()).toEqual(before);
    expect(harness.slack.calls('chat.postMessage')).toHaveLength(0);
  });

  it('opens a retro thread from the log modal and tells the owner', async () => {
    const { parent, prompt, retroId, parentTs } = await logDeal({ dealName: 'Initech <!channel> expansion' });

    expect(parent.args.channel).toBe(TEST_RETRO_CHANNEL);
    const parentBlocks = blocksText(parent);
    expect(parentBlocks).toContain('Lost: Initech <!channel> expansion'); // header is plain_text: no mention possible
    expect(parentBlocks).toContain('$48,000.00');
    expect(parentBlocks).toContain(`<@${REP}>`);
    expect(parentBlocks).toContain('Globex');
    expect(parentBlocks).toContain('Waiting for the debrief');
    expect(parentBlocks).toContain('https://crm.example.com/deals/42');
    expect(String(parent.args.text)).not.toContain('<!channel>');

    expect(prompt.args.thread_ts).toBe(parentTs);
    const dm = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.channel === REP);
    expect(blocksText(dm)).toContain(`archives/${TEST_RETRO_CHANNEL}`);

    const retro = await harness.debrief.database.prisma.retro.findUniqueOrThrow({ where: { id: retroId }, include: { deal: true } });
    expect(retro).toMatchObject({ channelId: TEST_RETRO_CHANNEL, messageTs: parentTs, status: 'open' });
    expect(retro.deal).toMatchObject({ source: 'manual', name: 'Initech <!channel> expansion', currency: 'USD', competitor: 'Globex', ownerSlackUserId: REP });
    expect(retro.deal.amount?.toString()).toBe('48000');
  });

  it('opens one retro when the same form is submitted twice', async () => {
    const before = await countRows();
    await logDeal({}, 'VDOUBLE01');
    await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState(), viewId: 'VDOUBLE01' }));
    await sleep(300);
    const after = await countRows();
    expect(after.retros - before.retros).toBe(1);
    expect(harness.slack.calls('chat.postMessage').filter((call) => call.args.channel === TEST_RETRO_CHANNEL && !call.args.thread_ts)).toHaveLength(1);
  });

  it('takes the owner through the debrief modal and posts the summary in the thread', async () => {
    const { retroId, parentTs } = await logDeal({ dealName: 'Umbrella platform deal' });
    harness.slack.reset();

    await postInteraction(harness.http, blockAction({ actionId: ACTIONS.openDebrief, value: retroId, userId: REP }));
    const open = await harness.slack.waitForCall('views.open');
    const modal = open.args.view as { callback_id: string; private_metadata: string; title: { text: string }; blocks: unknown[] };
    expect(modal.callback_id).toBe(CALLBACKS.debriefModal);
    expect(JSON.parse(modal.private_metadata)).toEqual({ retroId });
    expect(JSON.stringify(modal.blocks)).toContain('Globex'); // the known winner is pre-filled

    const invalid = await postInteraction(
      harness.http,
      viewSubmission({
        callbackId: CALLBACKS.debriefModal,
        privateMetadata: modal.private_metadata,
        values: debriefFormState({ secondaryReasons: ['price_budget'], revisitOn: '2026-01-01' }),
      }),
    );
    expect(invalid.json).toEqual({
      response_action: 'errors',
      errors: { [DEBRIEF_INPUTS.secondaryReasons.block]: expect.any(String), [DEBRIEF_INPUTS.revisitOn.block]: expect.any(String) },
    });
    expect(await harness.debrief.database.prisma.debrief.count({ where: { retroId } })).toBe(0);

    const valid = await postInteraction(
      harness.http,
      viewSubmission({ callbackId: CALLBACKS.debriefModal, privateMetadata: modal.private_metadata, values: debriefFormState() }),
    );
    expect(valid.status).toBe(200);
    expect(valid.body).toBe('');

    const summary = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts === parentTs);
    const summaryText = blocksText(summary);
    expect(summaryText).toContain("In the buyer's words");
    expect(summaryText).toContain('>Globex gave us the same thing for 30% less.');
    expect(summaryText).toContain("The rep's view: what to do differently");
    expect(summaryText).toContain('Price or budget');
    expect(summaryText).toContain('May 1, 2027');
    const parentUpdate = await harness.slack.waitForCall('chat.update', (call) => call.args.ts === parentTs);
    expect(blocksText(parentUpdate)).toContain('Debriefed');

    const stored = await harness.debrief.database.prisma.debrief.findFirstOrThrow({ where: { retroId } });
    expect(stored).toMatchObject({
      authorSlackUserId: REP,
      primaryReason: 'price_budget',
      secondaryReasons: ['product_gap'],
      outcome: 'competitor',
      winnerName: 'Globex',
      priceToValue: 'ours_worse',
      buyerWords: 'Globex gave us the same thing for 30% less.',
      revision: 1,
      summaryTs: summary.response?.ts,
    });
    expect((await harness.debrief.database.prisma.retro.findUniqueOrThrow({ where: { id: retroId } })).status).toBe('debriefed');

    // Editing: the modal opens pre-filled, and a second submission edits in place.
    harness.slack.reset();
    await postInteraction(harness.http, blockAction({ actionId: ACTIONS.openDebrief, value: retroId, userId: REP }));
    const reopen = await harness.slack.waitForCall('views.open');
    expect(JSON.stringify(reopen.args.view)).toContain('I never met the economic buyer.');
    await postInteraction(
      harness.http,
      viewSubmission({ callbackId: CALLBACKS.debriefModal, privateMetadata: modal.private_metadata, values: debriefFormState({ wentWrong: 'Single-threaded on the champion.' }) }),
    );
    const edit = await harness.slack.waitForCall('chat.update', (call) => call.args.ts === summary.response?.ts);
    expect(blocksText(edit)).toContain('Single-threaded on the champion.');
    expect(blocksText(edit)).toContain('(edited)');
    await sleep(100);
    expect(harness.slack.calls('chat.postMessage').filter((call) => call.args.thread_ts === parentTs)).toHaveLength(0);
    const debriefs = await harness.debrief.database.prisma.debrief.findMany({ where: { retroId } });
    expect(debriefs).toHaveLength(1);
    expect(debriefs[0]).toMatchObject({ revision: 2, wentWrong: 'Single-threaded on the champion.' });
  });

  it("tells a teammate that the debrief is the owner's, without opening it", async () => {
    const { retroId } = await logDeal();
    harness.slack.reset();
    await postInteraction(harness.http, blockAction({ actionId: ACTIONS.openDebrief, value: retroId, userId: MANAGER, responseUrl: harness.slack.responseUrl('teammate') }));
    const reply = await harness.slack.waitForCall('response_url');
    expect(reply.args).toMatchObject({ response_type: 'ephemeral' });
    expect(String(reply.args.text)).toContain(`<@${REP}>`);
    expect(harness.slack.calls('views.open')).toHaveLength(0);
  });

  it('refuses a forged signature and a stale timestamp, storing nothing', async () => {
    const before = await countRows();
    const submission = viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState() });
    const forged = await postInteraction(harness.http, submission, { signature: 'v0=' + '0'.repeat(64) });
    expect(forged.status).toBe(401);
    const stale = await postInteraction(harness.http, submission, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect(stale.status).toBe(401);
    await sleep(200);
    expect(await countRows()).toEqual(before);
    expect(harness.slack.calls('chat.postMessage')).toHaveLength(0);
  });

  it('answers malformed payloads with a clear 400 and stores nothing', async () => {
    const before = await countRows();
    const notJson = await postRaw(harness.http, '{"type": "view_submission"', 'application/json');
    expect(notJson.status).toBe(400);
    const unknownShape = await postRaw(harness.http, JSON.stringify({ hello: 'world' }), 'application/json');
    expect(unknownShape.status).toBe(400);
    expect(unknownShape.body).toContain('malformed_payload');
    const badInteraction = await postInteraction(harness.http, { type: 'view_submission', view: {} });
    expect(badInteraction.status).toBe(400);
    expect(await countRows()).toEqual(before);
  });

  it('keeps thread replies once, even when Slack retries the event', async () => {
    const { parentTs } = await logDeal();
    const reply = eventEnvelope(
      { type: 'message', channel: TEST_RETRO_CHANNEL, user: 'U0SE00001', text: 'Their security review took six weeks.', ts: '1800000000.000200', thread_ts: parentTs, channel_type: 'channel' },
      'Ev0RETRY001',
    );
    expect((await postEvent(harness.http, reply)).status).toBe(200);
    expect((await postEvent(harness.http, reply, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    const { prisma } = harness.debrief.database;
    await waitFor(async () => (await prisma.threadReply.count({ where: { messageTs: '1800000000.000200' } })) > 0);
    await sleep(200);
    expect(await prisma.threadReply.count({ where: { messageTs: '1800000000.000200' } })).toBe(1);

    await postEvent(
      harness.http,
      eventEnvelope({
        type: 'message',
        subtype: 'message_changed',
        channel: TEST_RETRO_CHANNEL,
        ts: '1800000000.000300',
        message: { type: 'message', user: 'U0SE00001', text: 'Their security review took eight weeks.', ts: '1800000000.000200', thread_ts: parentTs, edited: { user: 'U0SE00001', ts: '1800000000.000300' } },
      }),
    );
    await waitFor(async () => (await prisma.threadReply.findFirst({ where: { messageTs: '1800000000.000200', editedAt: { not: null } } })) ?? undefined);
    expect((await prisma.threadReply.findFirstOrThrow({ where: { messageTs: '1800000000.000200' } })).text).toBe('Their security review took eight weeks.');
  });

  it('tells the person who logged the deal when the bot is not in the retro channel', async () => {
    harness.slack.failNext('chat.postMessage', 'not_in_channel');
    await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName: 'Hooli' }), userId: MANAGER }));
    const dm = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.channel === MANAGER);
    expect(String(dm.args.text)).toContain('/invite @Debrief');
    expect(await harness.debrief.database.prisma.deal.count({ where: { name: 'Hooli' } })).toBe(1);
  });

  it('still opens the retro when Slack rate-limits the first post', async () => {
    harness.slack.rateLimitNext('chat.postMessage', 1);
    const { parent } = await logDeal({ dealName: 'Rate limited deal' });
    expect(blocksText(parent)).toContain('Rate limited deal');
    const attempts = harness.slack.calls('chat.postMessage').filter((call) => call.args.channel === TEST_RETRO_CHANNEL && !call.args.thread_ts);
    expect(attempts.map((call) => call.status)).toEqual([429, 200]);
  });
});
