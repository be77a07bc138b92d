import type { HomeView } from '@slack/types';
import { ACTIONS, CALLBACKS, COMMANDS, DEBRIEF_INPUTS, MARK_LESSON_INPUTS, OUTCOME_INPUTS, PERSPECTIVE_INPUTS, SHORTCUTS } from '../../src/slack/ids';
import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, TEST_RETRO_CHANNEL, type THarness } from '../helpers/debriefHarness';
import type { RecordedCall } from '../helpers/fakeSlack';
import { fromTeam, installTeams, oauthHarnessOptions, OAUTH_TEAMS, type TOAuthTeam } from '../helpers/oauthInstalls';
import { MANAGER, blockAction, checkboxes, debriefFormState, eventEnvelope, logFormState, messageShortcut, select, stateFor, text, viewSubmission } from '../helpers/payloads';
import { postCommand, postEvent, postInteraction } from '../helpers/slackRequests';
import { sleep, waitFor } from '../helpers/wait';

// Two workspaces installed through OAuth on one app, both with their retros in a channel of the
// same id (a Slack Connect channel looks like that). Acme's people try every entry point with
// Globex's ids: buttons, modals, thread events, follow-up DMs, search, export, digest and the Home
// tab. Each attempt must find nothing of Globex's, change nothing, and show nothing.

const { acme, globex } = OAUTH_TEAMS;
const WEDNESDAY = new Date('2026-11-25T12:00:00Z');
const ACME_REP = 'U0ACMEREP1';
const GLOBEX_REP = 'U0GLBXREP1';
const GLOBEX_DEAL = 'Globex Secret Deal';
const ACME_DEAL = 'Acme Visible Deal';

describe.each(DATABASE_KINDS)('tenant isolation between two OAuth workspaces (%s)', (kind) => {
  let harness: THarness;
  let clock = WEDNESDAY;
  let globexRetro: { id: string; messageTs: string };
  let globexDebriefId: string;

  const prisma = () => harness.debrief.database.prisma;

  function envelopeFrom(team: TOAuthTeam, event: Record<string, unknown>): Record<string, unknown> {
    return {
      ...eventEnvelope({ ...event, team: team.teamId }),
      team_id: team.teamId,
      authorizations: [{ team_id: team.teamId, enterprise_id: null, is_enterprise_install: false, is_bot: true, user_id: team.botUserId }],
    };
  }

  async function logDeal(team: TOAuthTeam, userId: string, dealName: string): Promise<{ id: string; messageTs: string }> {
    const submission = viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName, owner: userId, competitor: 'Initech' }) });
    await postInteraction(harness.http, fromTeam(submission, team.teamId, userId));
    await harness.slack.waitForCall('chat.postMessage', (call) => call.token === team.token && call.args.thread_ts !== undefined && String(call.args.text).includes(dealName));
    const retro = await prisma().retro.findFirstOrThrow({ where: { deal: { name: dealName } }, select: { id: true, messageTs: true } });
    // Digests count retros by when they opened: put them in this week, whatever the real date.
    await prisma().retro.update({ where: { id: retro.id }, data: { createdAt: new Date('2026-11-24T10:00:00Z') } });
    return { id: retro.id, messageTs: retro.messageTs! };
  }

  /** Presses a button in Acme, with Acme's user, carrying `value`; returns the private answer. */
  async function pressInAcme(actionId: string, value: string, userId = ACME_REP): Promise<RecordedCall> {
    const responseUrl = harness.slack.responseUrl();
    const action = blockAction({ actionId, value, userId, channelId: TEST_RETRO_CHANNEL, messageTs: globexRetro.messageTs, responseUrl });
    await postInteraction(harness.http, fromTeam(action, acme.teamId, userId));
    return harness.slack.waitForCall('response_url', (call) => call.path === new URL(responseUrl).pathname);
  }

  function acmeCalls(method: string): RecordedCall[] {
    return harness.slack.calls(method).filter((call) => call.token === acme.token);
  }

  async function command(team: TOAuthTeam, userId: string, textOfCommand: string): Promise<RecordedCall> {
    const responseUrl = harness.slack.responseUrl();
    await postCommand(harness.http, { command: COMMANDS.losses, text: textOfCommand, team_id: team.teamId, user_id: userId, channel_id: TEST_RETRO_CHANNEL, response_url: responseUrl });
    return harness.slack.waitForCall('response_url', (call) => call.path === new URL(responseUrl).pathname, 10_000);
  }

  beforeAll(async () => {
    // MANAGER (payloads) is a manager in both workspaces through MANAGER_USER_IDS, so Acme's
    // manager is refused for lack of access, never for lack of rights.
    harness = await startHarness(kind, { ...oauthHarnessOptions(), now: () => clock });
    await installTeams(harness, [acme, globex]);
    globexRetro = await logDeal(globex, GLOBEX_REP, GLOBEX_DEAL);
    await logDeal(acme, ACME_REP, ACME_DEAL);
    // Both installed well before the digest's week, whatever the real date: a workspace is owed no
    // digest of a week that ended before it was created. Set once both rows exist (the first
    // request of each creates it).
    expect((await prisma().workspace.updateMany({ data: { createdAt: new Date('2026-11-01T00:00:00Z') } })).count).toBe(2);
    const debrief = viewSubmission({ callbackId: CALLBACKS.debriefModal, privateMetadata: JSON.stringify({ retroId: globexRetro.id }), values: debriefFormState() });
    await postInteraction(harness.http, fromTeam(debrief, globex.teamId, GLOBEX_REP));
    await waitFor(async () => (await prisma().debrief.count()) === 1);
    globexDebriefId = (await prisma().debrief.findFirstOrThrow({ where: { retroId: globexRetro.id } })).id;
    // A reply in Globex's thread, from Globex: recorded, as the control for Acme's attempt below.
    await postEvent(harness.http, envelopeFrom(globex, { type: 'message', channel: TEST_RETRO_CHANNEL, channel_type: 'channel', user: GLOBEX_REP, text: 'Their CFO said no.', ts: '1764000000.000100', thread_ts: globexRetro.messageTs }));
    await waitFor(async () => (await prisma().threadReply.count({ where: { retroId: globexRetro.id } })) === 1);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  beforeEach(() => {
    clock = WEDNESDAY;
  });

  it("cannot open or submit a debrief or a perspective on the other workspace's retro", async () => {
    expect(String((await pressInAcme(ACTIONS.openDebrief, globexRetro.id)).args.text)).toContain('no longer exists');
    expect(String((await pressInAcme(ACTIONS.openPerspective, globexRetro.id)).args.text)).toContain('no longer exists');
    expect(acmeCalls('views.open')).toHaveLength(0);

    const debrief = viewSubmission({ callbackId: CALLBACKS.debriefModal, privateMetadata: JSON.stringify({ retroId: globexRetro.id }), values: debriefFormState({ buyerWords: 'Forged words' }) });
    // Refused before the modal closes: the form stays open and says why.
    const debriefRefused = await postInteraction(harness.http, fromTeam(debrief, acme.teamId, ACME_REP));
    expect(debriefRefused.json).toMatchObject({ response_action: 'errors', errors: { [DEBRIEF_INPUTS.primaryReason.block]: expect.stringContaining('no longer exists') } });

    const perspective = viewSubmission({
      callbackId: CALLBACKS.perspectiveModal,
      privateMetadata: JSON.stringify({ retroId: globexRetro.id }),
      values: stateFor([
        [PERSPECTIVE_INPUTS.role, select('sales_engineer')],
        [PERSPECTIVE_INPUTS.saw, text('Forged view')],
        [PERSPECTIVE_INPUTS.wouldChange, text('Nothing')],
        [PERSPECTIVE_INPUTS.anonymous, checkboxes([])],
      ]),
    });
    const perspectiveRefused = await postInteraction(harness.http, fromTeam(perspective, acme.teamId, ACME_REP));
    expect(perspectiveRefused.json).toMatchObject({ response_action: 'errors', errors: { [PERSPECTIVE_INPUTS.saw.block]: expect.stringContaining('nothing to add to') } });

    expect(await prisma().debrief.findMany({ where: { retroId: globexRetro.id }, select: { authorSlackUserId: true, buyerWords: true } })).toEqual([
      { authorSlackUserId: GLOBEX_REP, buyerWords: expect.not.stringContaining('Forged') },
    ]);
    expect(await prisma().perspective.count()).toBe(0);
    // Nothing was posted in or about Globex's thread with any token.
    expect(harness.slack.calls().filter((call) => call.args.thread_ts === globexRetro.messageTs && call.token === acme.token)).toHaveLength(0);
  });

  it("cannot run, close or add lessons to the other workspace's team retro", async () => {
    expect(String((await pressInAcme(ACTIONS.runTeamRetro, globexRetro.id, MANAGER)).args.text)).toContain('no longer exists');
    expect(String((await pressInAcme(ACTIONS.recordOutcome, globexRetro.id, MANAGER)).args.text)).toContain('no longer exists');

    const outcome = viewSubmission({ callbackId: CALLBACKS.retroOutcomeModal, userId: MANAGER, privateMetadata: JSON.stringify({ retroId: globexRetro.id }), values: stateFor([[OUTCOME_INPUTS.primaryReason, select('product_gap')]]) });
    const refused = await postInteraction(harness.http, fromTeam(outcome, acme.teamId, MANAGER));
    expect(refused.json).toMatchObject({ response_action: 'errors', errors: { [OUTCOME_INPUTS.primaryReason.block]: expect.stringContaining('no longer exists') } });

    // "Mark as lesson" on a reply of Globex's thread, used from Acme's side of the shared channel.
    const shortcut = messageShortcut({ callbackId: SHORTCUTS.markAsLesson, userId: MANAGER, channelId: TEST_RETRO_CHANNEL, message: { ts: '1764000000.000100', threadTs: globexRetro.messageTs, user: GLOBEX_REP, text: 'Their CFO said no.' } });
    await postInteraction(harness.http, fromTeam(shortcut, acme.teamId, MANAGER));
    await harness.slack.waitForCall('chat.postEphemeral', (call) => call.token === acme.token && String(call.args.text).includes('works on replies in a retro thread'));
    const lesson = viewSubmission({
      callbackId: CALLBACKS.markLessonModal,
      userId: MANAGER,
      privateMetadata: JSON.stringify({ retroId: globexRetro.id, messageTs: '1764000000.000100', authorSlackUserId: GLOBEX_REP }),
      values: stateFor([[MARK_LESSON_INPUTS.text, text('Stolen lesson')], [MARK_LESSON_INPUTS.share, checkboxes([])]]),
    });
    await postInteraction(harness.http, fromTeam(lesson, acme.teamId, MANAGER));
    await harness.slack.waitForCall('chat.postMessage', (call) => call.token === acme.token && call.args.channel === MANAGER && String(call.args.text).includes('Stolen lesson'));

    expect(acmeCalls('views.open')).toHaveLength(0);
    const retro = await prisma().retro.findUniqueOrThrow({ where: { id: globexRetro.id }, select: { teamRetroStartedAt: true, status: true } });
    expect(retro).toEqual({ teamRetroStartedAt: null, status: 'debriefed' });
    expect(await prisma().retroOutcome.count()).toBe(0);
    expect(await prisma().lesson.count()).toBe(0);
  });

  it("keeps nothing Acme writes in Globex's thread, and ignores Globex's follow-up buttons pressed from Acme", async () => {
    await postEvent(harness.http, envelopeFrom(acme, { type: 'message', channel: TEST_RETRO_CHANNEL, channel_type: 'channel', user: ACME_REP, text: 'Injected reply', ts: '1764000000.000200', thread_ts: globexRetro.messageTs }));
    await sleep(300);
    expect(await prisma().threadReply.findMany({ where: { retroId: globexRetro.id }, select: { text: true } })).toEqual([{ text: 'Their CFO said no.' }]);

    const followUp = await prisma().scheduledJob.findFirstOrThrow({ where: { kind: 'revisit_follow_up' } });
    const answer = await pressInAcme(ACTIONS.followUpDone, globexDebriefId, GLOBEX_REP);
    expect(String(answer.args.text)).toContain('no longer exists');
    expect(await prisma().scheduledJob.findUniqueOrThrow({ where: { id: followUp.id } })).toMatchObject({ doneAt: null, dueAt: followUp.dueAt });
  });

  it('searches, exports and previews only its own losses, and its Home tab shows only them', async () => {
    const searched = await command(acme, MANAGER, 'deal');
    expect(JSON.stringify(searched.args.blocks)).toContain(ACME_DEAL);
    expect(JSON.stringify(searched.args.blocks)).not.toContain(GLOBEX_DEAL);
    // The control: Globex finds its own deal with the same words.
    expect(JSON.stringify((await command(globex, MANAGER, 'secret deal')).args.blocks)).toContain(GLOBEX_DEAL);
    expect(JSON.stringify((await command(acme, MANAGER, 'secret')).args.blocks)).not.toContain(GLOBEX_DEAL);

    const preview = await command(acme, MANAGER, 'digest');
    expect(JSON.stringify(preview.args.blocks)).toContain(ACME_DEAL);
    expect(JSON.stringify(preview.args.blocks)).not.toContain(GLOBEX_DEAL);

    const exported = await command(acme, MANAGER, 'export');
    expect(String(exported.args.text)).toContain('Sent 1 lost deal');
    await harness.slack.waitForCall('files.completeUploadExternal', (call) => call.token === acme.token);
    const csv = harness.slack.uploads().filter((upload) => upload.token === acme.token).map((upload) => upload.bytes.toString('utf-8')).join('\n');
    expect(csv).toContain(ACME_DEAL);
    expect(csv).not.toContain(GLOBEX_DEAL);

    await postEvent(harness.http, envelopeFrom(acme, { type: 'app_home_opened', user: ACME_REP, channel: 'D0ACMEREP1', tab: 'home', event_ts: '1764000000.000300' }));
    const home = await harness.slack.waitForCall('views.publish', (call) => call.token === acme.token);
    const shown = JSON.stringify((home.args.view as HomeView).blocks);
    expect(shown).toContain(ACME_DEAL);
    expect(shown).not.toContain(GLOBEX_DEAL);
  });

  it("posts each workspace's weekly digest with its own token and its own losses only", async () => {
    clock = new Date('2026-11-30T09:05:00Z'); // Monday after: week 2026-W48 is due in both (UTC)
    await harness.debrief.scheduler.tick();
    const parents = harness.slack.calls('chat.postMessage').filter((call) => call.args.thread_ts === undefined && JSON.stringify(call.args).includes('2026-W48'));
    const byToken = (team: TOAuthTeam) => JSON.stringify(parents.filter((call) => call.token === team.token).map((call) => call.args.blocks));
    expect(byToken(acme)).toContain(ACME_DEAL);
    expect(byToken(acme)).not.toContain(GLOBEX_DEAL);
    expect(byToken(globex)).toContain(GLOBEX_DEAL);
    expect(byToken(globex)).not.toContain(ACME_DEAL);
  });
});
