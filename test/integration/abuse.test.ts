import type { HomeView, KnownBlock } from '@slack/types';
import { ACTIONS, CALLBACKS, COMMANDS, DEBRIEF_INPUTS, LOG_INPUTS, PERSPECTIVE_INPUTS } from '../../src/slack/ids';
import { liveMentions, controlSequences } from '../helpers/blockKitLimits';
import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, TEST_RETRO_CHANNEL, type THarness } from '../helpers/debriefHarness';
import type { RecordedCall } from '../helpers/fakeSlack';
import { MANAGER, REP, blockAction, checkboxes, debriefFormState, eventEnvelope, logFormState, select, stateFor, text, viewSubmission } from '../helpers/payloads';
import { postCommand, postEvent, postInteraction } from '../helpers/slackRequests';
import { waitFor } from '../helpers/wait';

// People type what they like. Whatever they type (deal names, competitors, debriefs, perspectives,
// thread replies, search queries) must come back as text: never as a ping of the whole channel, a
// mention of someone else, or a link Debrief did not make. And no text can be longer than Slack or
// Debrief keep: forged submissions over the limits are refused on the field.

const WEDNESDAY = new Date('2026-11-25T12:00:00Z');
const PINGS = '<!channel> <!here> <!everyone> <@U0BOSS001> <!subteam^S0EVIL001>';
const LINK = '<https://evil.example/login|Open the CRM>';
const NASTY_DEAL = `${PINGS} Nasty Deal ${LINK}`;
const NASTY_COMPETITOR = `<!here> Rival & Co`;
/** The people Debrief itself mentions on purpose. */
const EXPECTED_MENTIONS = new Set([`<@${REP}>`, `<@${MANAGER}>`]);

/** Every message, ephemeral, update, response and Home tab Debrief sent, as Slack would parse it. */
function sentPayloads(calls: RecordedCall[]): Array<{ method: string; text?: string; blocks: KnownBlock[] }> {
  const payloads: Array<{ method: string; text?: string; blocks: KnownBlock[] }> = [];
  for (const call of calls) {
    if (['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'response_url'].includes(call.method)) {
      payloads.push({ method: call.method, text: typeof call.args.text === 'string' ? call.args.text : undefined, blocks: (call.args.blocks as KnownBlock[] | undefined) ?? [] });
    }
    if (call.method === 'views.publish' || call.method === 'views.update') payloads.push({ method: call.method, blocks: (call.args.view as HomeView).blocks as KnownBlock[] });
  }
  return payloads;
}

describe.each(DATABASE_KINDS)('abuse and bad input (%s)', (kind) => {
  let harness: THarness;
  let retroId: string;

  beforeAll(async () => {
    harness = await startHarness(kind, { now: () => WEDNESDAY });
    await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName: NASTY_DEAL, competitor: NASTY_COMPETITOR }) }));
    await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts !== undefined);
    const retro = await harness.debrief.database.prisma.retro.findFirstOrThrow({ select: { id: true, messageTs: true } });
    retroId = retro.id;
    await harness.debrief.database.prisma.retro.update({ where: { id: retro.id }, data: { createdAt: new Date('2026-11-24T10:00:00Z') } });

    const debrief = debriefFormState({ winnerName: NASTY_COMPETITOR, whyWinnerWon: `Because ${PINGS}`, buyerWords: `${LINK} ${PINGS}` });
    await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.debriefModal, privateMetadata: JSON.stringify({ retroId }), values: debrief }));
    const perspective = stateFor([
      [PERSPECTIVE_INPUTS.role, select('sales_engineer')],
      [PERSPECTIVE_INPUTS.saw, text(`I saw ${PINGS}`)],
      [PERSPECTIVE_INPUTS.wouldChange, text(`Change ${LINK}`)],
      [PERSPECTIVE_INPUTS.anonymous, checkboxes([])],
    ]);
    await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.perspectiveModal, userId: MANAGER, privateMetadata: JSON.stringify({ retroId }), values: perspective }));
    await postEvent(harness.http, eventEnvelope({ type: 'message', channel: TEST_RETRO_CHANNEL, channel_type: 'channel', user: MANAGER, text: `Reply with ${PINGS} about pricing`, ts: '1764000000.000100', thread_ts: retro.messageTs }));
    await waitFor(async () => (await harness.debrief.database.prisma.threadReply.count()) === 1 && (await harness.debrief.database.prisma.perspective.count()) === 1 && (await harness.debrief.database.prisma.debrief.count()) === 1);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  async function command(userId: string, commandText: string): Promise<RecordedCall> {
    const responseUrl = harness.slack.responseUrl();
    const answer = await postCommand(harness.http, { command: COMMANDS.losses, text: commandText, user_id: userId, response_url: responseUrl });
    if (answer.body) return { method: 'response_url', args: answer.json as Record<string, unknown>, at: Date.now(), status: 200, path: '' };
    return harness.slack.waitForCall('response_url', (call) => call.path === new URL(responseUrl).pathname, 10_000);
  }

  it('shows deal names, competitors, debriefs, perspectives and replies as text everywhere they appear', async () => {
    // Search (the query itself carries pings too), the digest preview and the Home tab show them again.
    await command(REP, `nasty ${PINGS}`);
    await command(REP, 'nasty');
    await command(REP, 'competitor:rival');
    await command(MANAGER, 'digest');
    await postEvent(harness.http, eventEnvelope({ type: 'app_home_opened', user: REP, channel: `D${REP}`, tab: 'home', event_ts: '1764000000.000200' }));
    await harness.slack.waitForCall('views.publish');

    const payloads = sentPayloads(harness.slack.calls());
    // The user text did reach these messages (escaped), so the checks below check something.
    const everything = JSON.stringify(payloads);
    expect(everything).toContain('Nasty Deal');
    expect(everything).toContain('&lt;!channel&gt;');
    expect(payloads.filter((payload) => JSON.stringify(payload).includes('Nasty Deal')).length).toBeGreaterThanOrEqual(6);

    for (const payload of payloads) {
      const unexpected = liveMentions(payload).filter((mention) => !EXPECTED_MENTIONS.has(mention));
      expect({ method: payload.method, unexpected }).toEqual({ method: payload.method, unexpected: [] });
      expect({ method: payload.method, links: controlSequences(payload).filter((sequence) => sequence.startsWith('<https://evil.example')) }).toEqual({ method: payload.method, links: [] });
    }
  });

  it('answers a search query full of pings with its words as text', async () => {
    const answer = await command(REP, `${PINGS} competitor:${NASTY_COMPETITOR.replace(/\s/g, '')}`);
    const payload = { text: String(answer.args.text ?? ''), blocks: (answer.args.blocks as KnownBlock[] | undefined) ?? [] };
    // Only the deal's owner, whom the result names on purpose.
    expect(liveMentions(payload).filter((mention) => !EXPECTED_MENTIONS.has(mention))).toEqual([]);
    expect(JSON.stringify(payload)).toContain('&lt;!channel&gt;');
  });

  it('refuses forged submissions longer than the modals allow, on the field', async () => {
    const longDebrief = viewSubmission({ callbackId: CALLBACKS.debriefModal, privateMetadata: JSON.stringify({ retroId }), values: debriefFormState({ buyerWords: 'x'.repeat(5000), winnerName: 'y'.repeat(500) }) });
    const debriefAnswer = await postInteraction(harness.http, longDebrief);
    expect(debriefAnswer.json).toMatchObject({ response_action: 'errors', errors: { [DEBRIEF_INPUTS.buyerWords.block]: expect.stringContaining('2900'), [DEBRIEF_INPUTS.winnerName.block]: expect.stringContaining('120') } });

    const longLog = viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName: 'd'.repeat(300), competitor: 'c'.repeat(300), crmUrl: `https://crm.example.com/${'a'.repeat(3000)}` }) });
    const logAnswer = await postInteraction(harness.http, longLog);
    expect(logAnswer.json).toMatchObject({
      response_action: 'errors',
      errors: { [LOG_INPUTS.dealName.block]: expect.any(String), [LOG_INPUTS.competitor.block]: expect.any(String), [LOG_INPUTS.crmUrl.block]: expect.stringContaining('2000') },
    });

    const longPerspective = stateFor([
      [PERSPECTIVE_INPUTS.role, select('sales_engineer')],
      [PERSPECTIVE_INPUTS.saw, text('s'.repeat(6000))],
      [PERSPECTIVE_INPUTS.wouldChange, text('ok')],
      [PERSPECTIVE_INPUTS.anonymous, checkboxes([])],
    ]);
    const perspectiveAnswer = await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.perspectiveModal, userId: MANAGER, privateMetadata: JSON.stringify({ retroId }), values: longPerspective }));
    expect(perspectiveAnswer.json).toMatchObject({ response_action: 'errors', errors: { [PERSPECTIVE_INPUTS.saw.block]: expect.stringContaining('under') } });

    const tooLongQuery = await postCommand(harness.http, { command: COMMANDS.losses, text: `q ${'w'.repeat(600)}`, user_id: REP, response_url: harness.slack.responseUrl() });
    expect(tooLongQuery.body).toContain('too long');

    // Nothing of the forged answers was kept.
    const stored = await harness.debrief.database.prisma.debrief.findFirstOrThrow({ select: { buyerWords: true } });
    expect(stored.buyerWords?.length).toBeLessThan(2900);
    expect(await harness.debrief.database.prisma.deal.count()).toBe(1);
  });

  it('keeps a button value from another deal type out: a malformed id is refused, not looked up', async () => {
    const responseUrl = harness.slack.responseUrl();
    await postInteraction(harness.http, blockAction({ actionId: ACTIONS.openDebrief, value: `${PINGS}`, responseUrl }));
    const answer = await harness.slack.waitForCall('response_url', (call) => call.path === new URL(responseUrl).pathname);
    expect(liveMentions({ text: String(answer.args.text ?? ''), blocks: [] })).toEqual([]);
  });
});
