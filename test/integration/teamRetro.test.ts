import { ACTIONS, ANONYMOUS_OPTION_VALUE, CALLBACKS, MARK_LESSON_INPUTS, OUTCOME_INPUTS, PERSPECTIVE_INPUTS, SHARE_WITH_NEW_REPS_VALUE, SHORTCUTS } from '../../src/slack/ids';
import { assertWithinSlackLimits } from '../helpers/blockKitLimits';
import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, TEST_RETRO_CHANNEL, type THarness } from '../helpers/debriefHarness';
import type { RecordedCall } from '../helpers/fakeSlack';
import {
  MANAGER,
  REP,
  blockAction,
  checkboxes,
  date,
  debriefFormState,
  eventEnvelope,
  logFormState,
  messageShortcut,
  select,
  stateFor,
  text,
  user,
  viewSubmission,
} from '../helpers/payloads';
import { postEvent, postInteraction } from '../helpers/slackRequests';
import type { TInputState, TViewStateValues } from '../../src/slack/parsers/viewState';
import { sleep, waitFor } from '../helpers/wait';

// The team's side of a retro, through signed requests against the real app and a fake Slack:
// perspectives, the manager's retro and its outcome, thread replies, lessons, and who may do what.

const NOW = new Date('2026-11-23T15:00:00Z');
const SALES_ENGINEER = 'U0SE00001';
const TEAMMATE = 'U0CS00001';
/** A manager through the user group only (MANAGER is one through MANAGER_USER_IDS). */
const GROUP_MANAGER = 'U0LEAD001';
const MANAGER_GROUP = 'S0MANAGERS';

type TModal = { callback_id: string; private_metadata: string; title: { text: string }; blocks: Array<{ block_id?: string; element?: Record<string, unknown> }> };

const blocksText = (call: RecordedCall): string => JSON.stringify(call.args.blocks ?? []);
const viewOf = (call: RecordedCall): TModal => call.args.view as TModal;
const element = (modal: TModal, blockId: string): Record<string, unknown> | undefined => modal.blocks.find((block) => block.block_id === blockId)?.element;

function perspectiveState(values: { role?: string | null; saw?: string | null; wouldChange?: string | null; anonymous?: boolean } = {}): TViewStateValues {
  return stateFor([
    [PERSPECTIVE_INPUTS.role, select(values.role === undefined ? 'sales_engineer' : values.role)],
    [PERSPECTIVE_INPUTS.saw, text(values.saw === undefined ? 'Their security team joined late and blocked the pilot.' : values.saw)],
    [PERSPECTIVE_INPUTS.wouldChange, text(values.wouldChange === undefined ? 'Send the security pack before the pilot.' : values.wouldChange)],
    [PERSPECTIVE_INPUTS.anonymous, checkboxes(values.anonymous ? [ANONYMOUS_OPTION_VALUE] : [])],
  ]);
}

interface TOutcomeValues {
  reason?: string | null;
  lessons?: Array<{ text: string | null; share?: boolean }>;
  actions?: Array<{ text: string | null; owner: string | null; due: string | null }>;
}

/** The outcome modal's state: rows not given are left empty, as Slack sends them. */
function outcomeState(values: TOutcomeValues = {}): TViewStateValues {
  const entries: Array<[{ block: string; action: string }, TInputState]> = [[OUTCOME_INPUTS.primaryReason, select(values.reason === undefined ? 'product_gap' : values.reason)]];
  const lessons = values.lessons ?? [{ text: 'Bring security in before the pilot.', share: true }, { text: 'Multi-thread above the champion.' }];
  for (let row = 0; row < 5; row += 1) {
    entries.push([OUTCOME_INPUTS.lesson(row), text(lessons[row]?.text ?? null)]);
    entries.push([OUTCOME_INPUTS.lessonShare(row), checkboxes(lessons[row]?.share ? [SHARE_WITH_NEW_REPS_VALUE] : [])]);
  }
  const actions = values.actions ?? [{ text: 'Write a security one-pager for pilots', owner: SALES_ENGINEER, due: '2026-12-04' }];
  for (let row = 0; row < 5; row += 1) {
    entries.push([OUTCOME_INPUTS.actionText(row), text(actions[row]?.text ?? null)]);
    entries.push([OUTCOME_INPUTS.actionOwner(row), user(actions[row]?.owner ?? null)]);
    entries.push([OUTCOME_INPUTS.actionDue(row), date(actions[row]?.due ?? null)]);
  }
  return stateFor(entries);
}

describe.each(DATABASE_KINDS)('team retro on %s', (kind) => {
  let harness: THarness;

  beforeAll(async () => {
    harness = await startHarness(kind, { now: () => NOW, managers: { userGroupId: MANAGER_GROUP, userIds: [MANAGER] } });
  });
  afterAll(async () => {
    await harness?.stop();
  });
  beforeEach(() => {
    harness.slack.reset();
    harness.slack.setResponse('usergroups.users.list', (args) =>
      args.usergroup === MANAGER_GROUP ? { ok: true, users: [GROUP_MANAGER] } : { ok: false, error: 'no_such_subteam' },
    );
  });

  const prisma = () => harness.debrief.database.prisma;

  /** Logs a deal, waits for its thread, and optionally has the owner debrief it. */
  async function openRetro(options: { debrief?: boolean } = {}) {
    await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName: 'Acme Corp renewal' }) }));
    const prompt = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts !== undefined && blocksText(call).includes(ACTIONS.runTeamRetro));
    const retroId = (JSON.parse(blocksText(prompt)) as Array<{ type: string; elements?: Array<{ value: string }> }>).find((block) => block.type === 'actions')!.elements![0]!.value;
    const parentTs = String(prompt.args.thread_ts);
    await harness.slack.waitForCall('chat.postMessage', (call) => call.args.channel === REP && blocksText(call).includes(retroId));
    if (options.debrief) {
      await postInteraction(
        harness.http,
        viewSubmission({ callbackId: CALLBACKS.debriefModal, privateMetadata: JSON.stringify({ retroId }), values: debriefFormState({ primaryReason: 'price_budget' }) }),
      );
      await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts === parentTs && blocksText(call).includes('Debrief from'));
      await harness.slack.waitForCall('chat.update', (call) => call.args.ts === parentTs);
    }
    harness.slack.reset();
    harness.slack.setResponse('usergroups.users.list', (args) =>
      args.usergroup === MANAGER_GROUP ? { ok: true, users: [GROUP_MANAGER] } : { ok: false, error: 'no_such_subteam' },
    );
    return { retroId, parentTs, prompt };
  }

  const press = (actionId: string, retroId: string, userId: string, messageTs?: string) =>
    postInteraction(harness.http, blockAction({ actionId, value: retroId, userId, messageTs, responseUrl: harness.slack.responseUrl(`${actionId}-${userId}`) }));

  async function openOutcomeModal(retroId: string, userId = MANAGER): Promise<TModal> {
    await press(ACTIONS.recordOutcome, retroId, userId);
    const open = await harness.slack.waitForCall('views.open');
    const modal = viewOf(open);
    expect(modal.callback_id).toBe(CALLBACKS.retroOutcomeModal);
    return modal;
  }

  it('puts "Add my perspective" and "Run team retro" on the thread prompt', async () => {
    const { prompt, retroId } = await openRetro();
    const buttons = (JSON.parse(blocksText(prompt)) as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>)
      .find((block) => block.type === 'actions')!
      .elements!.map((button) => [button.action_id, button.value]);
    expect(buttons).toEqual([
      [ACTIONS.openDebrief, retroId],
      [ACTIONS.openPerspective, retroId],
      [ACTIONS.runTeamRetro, retroId],
    ]);
  });

  it('adds a perspective in the thread, then edits the same message in place', async () => {
    const { retroId, parentTs } = await openRetro();

    await press(ACTIONS.openPerspective, retroId, SALES_ENGINEER);
    const open = await harness.slack.waitForCall('views.open');
    const modal = viewOf(open);
    expect(modal.callback_id).toBe(CALLBACKS.perspectiveModal);
    expect(JSON.parse(modal.private_metadata)).toEqual({ retroId });
    assertWithinSlackLimits(modal as never);

    const invalid = await postInteraction(
      harness.http,
      viewSubmission({ callbackId: CALLBACKS.perspectiveModal, userId: SALES_ENGINEER, privateMetadata: modal.private_metadata, values: perspectiveState({ saw: '   ', role: null }) }),
    );
    expect(invalid.json).toEqual({
      response_action: 'errors',
      errors: { [PERSPECTIVE_INPUTS.saw.block]: expect.stringContaining('what you saw'), [PERSPECTIVE_INPUTS.role.block]: expect.any(String) },
    });
    expect(await prisma().perspective.count({ where: { retroId } })).toBe(0);

    await postInteraction(
      harness.http,
      viewSubmission({ callbackId: CALLBACKS.perspectiveModal, userId: SALES_ENGINEER, privateMetadata: modal.private_metadata, values: perspectiveState({ anonymous: true }) }),
    );
    const posted = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts === parentTs);
    expect(posted.args.channel).toBe(TEST_RETRO_CHANNEL);
    expect(blocksText(posted)).toContain(`Perspective from <@${SALES_ENGINEER}>`);
    expect(blocksText(posted)).toContain('Their security team joined late');
    expect(blocksText(posted)).toContain('without a name in digests');
    // The message's ts is stored once Slack has answered the post.
    const stored = await waitFor(async () => (await prisma().perspective.findFirst({ where: { retroId, messageTs: { not: null } } })) ?? undefined);
    expect(stored).toMatchObject({ authorSlackUserId: SALES_ENGINEER, role: 'sales_engineer', anonymous: true, revision: 1, messageTs: posted.response?.ts });

    // Reopening prefills the saved answers; saving edits the same message.
    harness.slack.reset();
    await press(ACTIONS.openPerspective, retroId, SALES_ENGINEER);
    const reopened = viewOf(await harness.slack.waitForCall('views.open'));
    expect(element(reopened, PERSPECTIVE_INPUTS.saw.block)?.initial_value).toBe('Their security team joined late and blocked the pilot.');
    expect(element(reopened, PERSPECTIVE_INPUTS.role.block)?.initial_option).toMatchObject({ value: 'sales_engineer' });
    expect(element(reopened, PERSPECTIVE_INPUTS.anonymous.block)?.initial_options).toEqual([expect.objectContaining({ value: ANONYMOUS_OPTION_VALUE })]);

    await postInteraction(
      harness.http,
      viewSubmission({
        callbackId: CALLBACKS.perspectiveModal,
        userId: SALES_ENGINEER,
        privateMetadata: reopened.private_metadata,
        values: perspectiveState({ wouldChange: 'Book the security review in week one.', anonymous: false }),
      }),
    );
    const update = await harness.slack.waitForCall('chat.update', (call) => call.args.ts === posted.response?.ts);
    expect(blocksText(update)).toContain('Book the security review in week one.');
    expect(blocksText(update)).toContain('(edited)');
    expect(blocksText(update)).not.toContain('without a name in digests');
    await sleep(100);
    expect(harness.slack.calls('chat.postMessage').filter((call) => call.args.thread_ts === parentTs)).toHaveLength(0);
    const rows = await prisma().perspective.findMany({ where: { retroId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ revision: 2, anonymous: false, wouldChange: 'Book the security review in week one.' });
  });

  it("points the deal owner to the debrief instead of a perspective", async () => {
    const { retroId, parentTs } = await openRetro();
    await press(ACTIONS.openPerspective, retroId, REP);
    const ephemeral = await harness.slack.waitForCall('chat.postEphemeral');
    expect(ephemeral.args).toMatchObject({ user: REP, channel: TEST_RETRO_CHANNEL, thread_ts: parentTs });
    expect(String(ephemeral.args.text)).toContain('Add my debrief');
    expect(harness.slack.calls('views.open')).toHaveLength(0);
  });

  it('refuses "Run team retro" to a teammate, naming who can run it', async () => {
    const { retroId, parentTs } = await openRetro();
    await press(ACTIONS.runTeamRetro, retroId, TEAMMATE);
    const ephemeral = await harness.slack.waitForCall('chat.postEphemeral');
    expect(ephemeral.args).toMatchObject({ user: TEAMMATE, channel: TEST_RETRO_CHANNEL, thread_ts: parentTs });
    const explanation = String(ephemeral.args.text);
    expect(explanation).toContain('Only managers and the deal owner can run the team retro');
    expect(explanation).toContain(`<!subteam^${MANAGER_GROUP}>`);
    expect(explanation).toContain(`<@${MANAGER}>`);
    expect(explanation).toContain(`the owner is <@${REP}>`);
    await sleep(100);
    expect(harness.slack.calls('chat.postMessage')).toHaveLength(0);
    expect(await prisma().retro.findUniqueOrThrow({ where: { id: retroId } })).toMatchObject({ agendaTs: null, teamRetroStartedAt: null });
  });

  it('lets the deal owner run the team retro once, posting the agenda in the thread', async () => {
    const { retroId, parentTs } = await openRetro({ debrief: true });
    await press(ACTIONS.runTeamRetro, retroId, REP);
    const agenda = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts === parentTs);
    const agendaText = blocksText(agenda);
    for (const question of ['What happened?', 'Why did the winner win?', 'What was in our control?', 'What do we change?']) expect(agendaText).toContain(question);
    expect(agendaText).toContain(ACTIONS.recordOutcome);
    expect(agendaText).toContain('Price or budget'); // the rep's reason, for the discussion
    const started = await waitFor(async () => (await prisma().retro.findFirst({ where: { id: retroId, agendaTs: { not: null } } })) ?? undefined);
    expect(started).toMatchObject({ agendaTs: agenda.response?.ts, teamRetroStartedBySlackUserId: REP, teamRetroStartedAt: NOW });

    // A second press (here by a manager) does not post the agenda twice.
    await press(ACTIONS.runTeamRetro, retroId, MANAGER);
    const ephemeral = await harness.slack.waitForCall('chat.postEphemeral', (call) => call.args.user === MANAGER);
    expect(String(ephemeral.args.text)).toContain(`already started by <@${REP}>`);
    expect(harness.slack.calls('chat.postMessage').filter((call) => call.args.thread_ts === parentTs)).toHaveLength(1);
  });

  it('lets a manager from the user group run the team retro', async () => {
    const { retroId, parentTs } = await openRetro();
    await press(ACTIONS.runTeamRetro, retroId, GROUP_MANAGER);
    const agenda = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts === parentTs);
    expect(blocksText(agenda)).toContain(`run by <@${GROUP_MANAGER}>`);
    expect(harness.slack.calls('chat.postEphemeral')).toHaveLength(0);
  });

  it('refuses the outcome modal to a teammate', async () => {
    const { retroId } = await openRetro();
    await press(ACTIONS.recordOutcome, retroId, TEAMMATE);
    const ephemeral = await harness.slack.waitForCall('chat.postEphemeral');
    expect(String(ephemeral.args.text)).toContain('Only managers and the deal owner can record or edit the retro outcome');
    expect(harness.slack.calls('views.open')).toHaveLength(0);

    // A submission forged (or left open after losing the role) is refused on the form itself.
    const forged = await postInteraction(
      harness.http,
      viewSubmission({ callbackId: CALLBACKS.retroOutcomeModal, userId: TEAMMATE, privateMetadata: JSON.stringify({ retroId }), values: outcomeState() }),
    );
    expect(forged.json).toEqual({ response_action: 'errors', errors: { [OUTCOME_INPUTS.primaryReason.block]: expect.stringContaining('Only managers and the deal owner') } });
    expect(await prisma().retroOutcome.count({ where: { retroId } })).toBe(0);
  });

  it('answers a listener that failed before acking with a prompt 500, not a late 404', async () => {
    const { retroId } = await openRetro();
    // The database fails while the outcome form is checked, before anything could be acked.
    const lookup = jest.spyOn(harness.debrief.repos.retros, 'findById').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    try {
      const answer = await postInteraction(
        harness.http,
        viewSubmission({ callbackId: CALLBACKS.retroOutcomeModal, userId: MANAGER, privateMetadata: JSON.stringify({ retroId }), values: outcomeState() }),
      );
      expect(answer.status).toBe(500);
      expect(lookup).toHaveBeenCalled();
    } finally {
      lookup.mockRestore();
    }
    expect(await prisma().retroOutcome.count({ where: { retroId } })).toBe(0);
  });

  it('validates the outcome inline, then closes the retro: outcome in the thread, parent reviewed, earlier answers kept', async () => {
    const { retroId, parentTs } = await openRetro({ debrief: true });
    await postInteraction(
      harness.http,
      viewSubmission({ callbackId: CALLBACKS.perspectiveModal, userId: SALES_ENGINEER, privateMetadata: JSON.stringify({ retroId }), values: perspectiveState() }),
    );
    await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts === parentTs && blocksText(call).includes('Perspective from'));
    harness.slack.reset();

    const modal = await openOutcomeModal(retroId);
    assertWithinSlackLimits(modal as never);
    // A first close starts from the rep's reason.
    expect(element(modal, OUTCOME_INPUTS.primaryReason.block)?.initial_option).toMatchObject({ value: 'price_budget' });

    const invalid = await postInteraction(
      harness.http,
      viewSubmission({
        callbackId: CALLBACKS.retroOutcomeModal,
        userId: MANAGER,
        privateMetadata: modal.private_metadata,
        values: outcomeState({
          lessons: [{ text: null }, { text: null, share: true }],
          actions: [
            { text: 'Call the CISO', owner: null, due: '2026-12-01' },
            { text: 'Update the pilot checklist', owner: SALES_ENGINEER, due: '2026-11-01' },
          ],
        }),
      }),
    );
    expect(invalid.json).toEqual({
      response_action: 'errors',
      errors: {
        [OUTCOME_INPUTS.lessonShare(1).block]: expect.stringContaining('Write the lesson'),
        [OUTCOME_INPUTS.actionOwner(0).block]: expect.stringContaining('owns'),
        [OUTCOME_INPUTS.actionDue(1).block]: expect.stringContaining('today or a later date'),
      },
    });
    const noLessons = await postInteraction(
      harness.http,
      viewSubmission({ callbackId: CALLBACKS.retroOutcomeModal, userId: MANAGER, privateMetadata: modal.private_metadata, values: outcomeState({ lessons: [], actions: [] }) }),
    );
    expect(noLessons.json).toEqual({ response_action: 'errors', errors: { [OUTCOME_INPUTS.lesson(0).block]: expect.stringContaining('at least one lesson') } });
    expect(await prisma().retroOutcome.count({ where: { retroId } })).toBe(0);

    const valid = await postInteraction(
      harness.http,
      viewSubmission({ callbackId: CALLBACKS.retroOutcomeModal, userId: MANAGER, privateMetadata: modal.private_metadata, values: outcomeState() }),
    );
    expect(valid.body).toBe('');
    const outcome = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts === parentTs && blocksText(call).includes('Team retro closed'));
    const outcomeText = blocksText(outcome);
    expect(outcomeText).toContain(`Team retro closed by <@${MANAGER}>`);
    expect(outcomeText).toContain('Product gap');
    expect(outcomeText).toContain('the debrief said: Price or budget');
    expect(outcomeText).toContain('Bring security in before the pilot.');
    expect(outcomeText).toContain('for new reps');
    expect(outcomeText).toContain(`Write a security one-pager for pilots: <@${SALES_ENGINEER}>, due Dec 4, 2026`);
    expect(outcomeText).toContain(ACTIONS.recordOutcome);
    const parent = await harness.slack.waitForCall('chat.update', (call) => call.args.ts === parentTs);
    expect(blocksText(parent)).toContain('Reviewed by the team');

    const retro = await prisma().retro.findUniqueOrThrow({ where: { id: retroId } });
    expect(retro).toMatchObject({ status: 'reviewed', closedAt: NOW });
    expect(await prisma().retroOutcome.findUniqueOrThrow({ where: { retroId } })).toMatchObject({
      primaryReason: 'product_gap',
      closedBySlackUserId: MANAGER,
      revision: 1,
      messageTs: outcome.response?.ts,
    });
    const lessons = await prisma().lesson.findMany({ where: { retroId }, orderBy: { position: 'asc' } });
    expect(lessons.map(({ text: lesson, shareWithNewReps, source }) => ({ lesson, shareWithNewReps, source }))).toEqual([
      { lesson: 'Bring security in before the pilot.', shareWithNewReps: true, source: 'outcome' },
      { lesson: 'Multi-thread above the champion.', shareWithNewReps: false, source: 'outcome' },
    ]);
    const items = await prisma().actionItem.findMany({ where: { retroId } });
    expect(items).toEqual([expect.objectContaining({ text: 'Write a security one-pager for pilots', ownerSlackUserId: SALES_ENGINEER, createdBySlackUserId: MANAGER, doneAt: null })]);
    expect(items[0]!.dueOn.toISOString().slice(0, 10)).toBe('2026-12-04');
    // Closing keeps every earlier answer: the rep's reason and the perspective are untouched.
    expect(await prisma().debrief.findFirstOrThrow({ where: { retroId } })).toMatchObject({ primaryReason: 'price_budget' });
    expect(await prisma().perspective.count({ where: { retroId } })).toBe(1);
  });

  it('reopens the outcome prefilled and records each edit as a revision', async () => {
    const { retroId, parentTs } = await openRetro({ debrief: true });
    const first = await openOutcomeModal(retroId, REP);
    await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.retroOutcomeModal, userId: REP, privateMetadata: first.private_metadata, values: outcomeState() }));
    const outcome = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts === parentTs && blocksText(call).includes('Team retro closed'));
    await prisma().actionItem.updateMany({ where: { retroId }, data: { doneAt: NOW } });
    harness.slack.reset();

    const reopened = await openOutcomeModal(retroId, MANAGER);
    expect(reopened.title.text).toBe('Edit retro outcome');
    expect(element(reopened, OUTCOME_INPUTS.primaryReason.block)?.initial_option).toMatchObject({ value: 'product_gap' });
    expect(element(reopened, OUTCOME_INPUTS.lesson(0).block)?.initial_value).toBe('Bring security in before the pilot.');
    expect(element(reopened, OUTCOME_INPUTS.lessonShare(0).block)?.initial_options).toEqual([expect.objectContaining({ value: SHARE_WITH_NEW_REPS_VALUE })]);
    expect(element(reopened, OUTCOME_INPUTS.lessonShare(1).block)?.initial_options).toBeUndefined();
    expect(element(reopened, OUTCOME_INPUTS.actionOwner(0).block)?.initial_user).toBe(SALES_ENGINEER);
    expect(element(reopened, OUTCOME_INPUTS.actionDue(0).block)?.initial_date).toBe('2026-12-04');

    await postInteraction(
      harness.http,
      viewSubmission({
        callbackId: CALLBACKS.retroOutcomeModal,
        userId: MANAGER,
        privateMetadata: reopened.private_metadata,
        values: outcomeState({
          reason: 'risk_implementation',
          lessons: [{ text: 'Bring security in before the pilot.', share: true }],
          actions: [
            { text: 'Write a security one-pager for pilots', owner: SALES_ENGINEER, due: '2026-12-04' },
            { text: 'Add a security step to the pilot checklist', owner: MANAGER, due: '2026-12-11' },
          ],
        }),
      }),
    );
    const edit = await harness.slack.waitForCall('chat.update', (call) => call.args.ts === outcome.response?.ts);
    const editText = blocksText(edit);
    expect(editText).toContain('Risk or implementation concerns');
    expect(editText).toContain('(edited)');
    expect(editText).toContain(`Revision 2, last edited by <@${MANAGER}>`);
    expect(editText).not.toContain('Multi-thread above the champion.');
    expect(editText).toContain('Add a security step to the pilot checklist');
    await sleep(100);
    expect(harness.slack.calls('chat.postMessage').filter((call) => call.args.thread_ts === parentTs)).toHaveLength(0);

    const stored = await prisma().retroOutcome.findUniqueOrThrow({ where: { retroId }, include: { revisions: { orderBy: { revision: 'asc' } } } });
    // The closer stays the closer; the edit is its own revision, and the first version is kept whole.
    expect(stored).toMatchObject({ primaryReason: 'risk_implementation', revision: 2, closedBySlackUserId: REP });
    expect(stored.revisions.map((revision) => [revision.revision, revision.savedBySlackUserId])).toEqual([
      [1, REP],
      [2, MANAGER],
    ]);
    expect(stored.revisions[0]!.snapshot).toMatchObject({
      primaryReason: 'product_gap',
      lessons: [{ text: 'Bring security in before the pilot.' }, { text: 'Multi-thread above the champion.' }],
    });
    expect(await prisma().lesson.count({ where: { retroId, source: 'outcome' } })).toBe(1);
    // The unchanged action item stays done; the new one is open.
    const items = await prisma().actionItem.findMany({ where: { retroId }, orderBy: { position: 'asc' } });
    expect(items.map((item) => [item.text, item.doneAt])).toEqual([
      ['Write a security one-pager for pilots', NOW],
      ['Add a security step to the pilot checklist', null],
    ]);
    expect((await prisma().retro.findUniqueOrThrow({ where: { id: retroId } })).status).toBe('reviewed');
  });

  it('follows edits and deletions of replies in the retro thread', async () => {
    const { retroId, parentTs } = await openRetro();
    const reply = (ts: string, words: string) =>
      eventEnvelope({ type: 'message', channel: TEST_RETRO_CHANNEL, user: SALES_ENGINEER, text: words, ts, thread_ts: parentTs, channel_type: 'channel' });
    await postEvent(harness.http, reply('1800000100.000100', 'Procurement wanted a 3-year lock-in.'));
    await postEvent(harness.http, reply('1800000100.000200', 'Wrong thread, sorry.'));
    await waitFor(async () => (await prisma().threadReply.count({ where: { retroId } })) === 2);

    await postEvent(
      harness.http,
      eventEnvelope({
        type: 'message',
        subtype: 'message_changed',
        channel: TEST_RETRO_CHANNEL,
        ts: '1800000100.000300',
        message: { type: 'message', user: SALES_ENGINEER, text: 'Procurement wanted a 2-year lock-in.', ts: '1800000100.000100', thread_ts: parentTs, edited: { user: SALES_ENGINEER, ts: '1800000100.000300' } },
        previous_message: { type: 'message', user: SALES_ENGINEER, text: 'Procurement wanted a 3-year lock-in.', ts: '1800000100.000100', thread_ts: parentTs },
      }),
    );
    await postEvent(
      harness.http,
      eventEnvelope({
        type: 'message',
        subtype: 'message_deleted',
        channel: TEST_RETRO_CHANNEL,
        ts: '1800000100.000400',
        event_ts: '1800000100.000400',
        deleted_ts: '1800000100.000200',
        hidden: true,
        previous_message: { type: 'message', user: SALES_ENGINEER, text: 'Wrong thread, sorry.', ts: '1800000100.000200', thread_ts: parentTs },
      }),
    );
    const edited = await waitFor(async () => (await prisma().threadReply.findFirst({ where: { retroId, messageTs: '1800000100.000100', editedAt: { not: null } } })) ?? undefined);
    expect(edited).toMatchObject({ text: 'Procurement wanted a 2-year lock-in.', authorSlackUserId: SALES_ENGINEER, editedAt: new Date(1800000100000) });
    const deleted = await waitFor(async () => (await prisma().threadReply.findFirst({ where: { retroId, messageTs: '1800000100.000200', deletedAt: { not: null } } })) ?? undefined);
    expect(deleted).toMatchObject({ text: '', deletedAt: new Date(1800000100000) });
    // Deleted replies keep their row: the retro's history shows that something was said and removed.
    expect(await prisma().threadReply.count({ where: { retroId } })).toBe(2);

    const changed = (ts: string, message: Record<string, unknown>) =>
      postEvent(harness.http, eventEnvelope({ type: 'message', subtype: 'message_changed', channel: TEST_RETRO_CHANNEL, ts, message: { type: 'message', thread_ts: parentTs, ...message } }));
    // An older edit arriving late, a link unfurl (no "edited") and Debrief's own updates change nothing.
    await changed('1800000100.000500', { user: SALES_ENGINEER, text: 'Procurement wanted a lock-in.', ts: '1800000100.000100', edited: { user: SALES_ENGINEER, ts: '1800000099.900000' } });
    await changed('1800000100.000600', { user: SALES_ENGINEER, text: 'Procurement wanted a 2-year lock-in. https://example.com', ts: '1800000100.000100', attachments: [{ id: 1 }] });
    await changed('1800000100.000700', { bot_id: 'B0BOT', text: 'Debrief summary', ts: '1800000100.000700', edited: { user: 'U0BOT', ts: '1800000100.000700' } });
    // An edit of a reply sent before Debrief was listening adds it, marked as edited.
    await changed('1800000100.000800', { user: TEAMMATE, text: 'They asked for SOC 2 in week one.', ts: '1800000099.000100', edited: { user: TEAMMATE, ts: '1800000100.000800' } });
    const unseen = await waitFor(async () => (await prisma().threadReply.findFirst({ where: { retroId, messageTs: '1800000099.000100' } })) ?? undefined);
    expect(unseen).toMatchObject({ authorSlackUserId: TEAMMATE, text: 'They asked for SOC 2 in week one.', postedAt: new Date(1800000099000), editedAt: new Date(1800000100001) });
    expect(await prisma().threadReply.findFirstOrThrow({ where: { retroId, messageTs: '1800000100.000100' } })).toMatchObject({ text: 'Procurement wanted a 2-year lock-in.' });
    expect(await prisma().threadReply.count({ where: { retroId } })).toBe(3);
  });

  it('lets a manager mark a reply as a lesson, shown on the outcome of a closed retro', async () => {
    const { retroId, parentTs } = await openRetro({ debrief: true });
    const closing = await openOutcomeModal(retroId);
    await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.retroOutcomeModal, userId: MANAGER, privateMetadata: closing.private_metadata, values: outcomeState() }));
    const outcome = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts === parentTs && blocksText(call).includes('Team retro closed'));
    harness.slack.reset();

    const replyTs = '1800000200.000100';
    const words = 'Next time, get legal the redlines in week one: they waited a month for ours.';
    await postInteraction(
      harness.http,
      messageShortcut({ callbackId: SHORTCUTS.markAsLesson, userId: MANAGER, message: { ts: replyTs, threadTs: parentTs, user: SALES_ENGINEER, text: words } }),
    );
    const modal = viewOf(await harness.slack.waitForCall('views.open'));
    expect(modal.callback_id).toBe(CALLBACKS.markLessonModal);
    expect(element(modal, MARK_LESSON_INPUTS.text.block)?.initial_value).toBe(words);
    assertWithinSlackLimits(modal as never);

    const empty = await postInteraction(
      harness.http,
      viewSubmission({ callbackId: CALLBACKS.markLessonModal, userId: MANAGER, privateMetadata: modal.private_metadata, values: stateFor([[MARK_LESSON_INPUTS.text, text('  ')]]) }),
    );
    expect(empty.json).toEqual({ response_action: 'errors', errors: { [MARK_LESSON_INPUTS.text.block]: expect.any(String) } });

    await postInteraction(
      harness.http,
      viewSubmission({
        callbackId: CALLBACKS.markLessonModal,
        userId: MANAGER,
        privateMetadata: modal.private_metadata,
        values: stateFor([
          [MARK_LESSON_INPUTS.text, text('Send legal our redlines in week one.')],
          [MARK_LESSON_INPUTS.share, checkboxes([SHARE_WITH_NEW_REPS_VALUE])],
        ]),
      }),
    );
    const refreshed = await harness.slack.waitForCall('chat.update', (call) => call.args.ts === outcome.response?.ts);
    expect(blocksText(refreshed)).toContain('Lessons from the discussion');
    expect(blocksText(refreshed)).toContain(`Send legal our redlines in week one. (from <@${SALES_ENGINEER}>'s reply)`);
    const confirmation = await harness.slack.waitForCall('chat.postEphemeral');
    expect(confirmation.args).toMatchObject({ user: MANAGER, channel: TEST_RETRO_CHANNEL, thread_ts: parentTs });
    expect(await prisma().lesson.findFirstOrThrow({ where: { retroId, source: 'reply' } })).toMatchObject({
      text: 'Send legal our redlines in week one.',
      shareWithNewReps: true,
      sourceMessageTs: replyTs,
      authorSlackUserId: SALES_ENGINEER,
      createdBySlackUserId: MANAGER,
    });

    // Marking the same reply again edits that lesson rather than adding one.
    harness.slack.reset();
    await postInteraction(
      harness.http,
      messageShortcut({ callbackId: SHORTCUTS.markAsLesson, userId: MANAGER, message: { ts: replyTs, threadTs: parentTs, user: SALES_ENGINEER, text: words } }),
    );
    const again = viewOf(await harness.slack.waitForCall('views.open'));
    expect(element(again, MARK_LESSON_INPUTS.text.block)?.initial_value).toBe('Send legal our redlines in week one.');
    await postInteraction(
      harness.http,
      viewSubmission({ callbackId: CALLBACKS.markLessonModal, userId: MANAGER, privateMetadata: again.private_metadata, values: stateFor([[MARK_LESSON_INPUTS.text, text('Send legal our redlines in the first week.')]]) }),
    );
    await harness.slack.waitForCall('chat.update', (call) => call.args.ts === outcome.response?.ts);
    const replyLessons = await prisma().lesson.findMany({ where: { retroId, source: 'reply' } });
    expect(replyLessons).toEqual([expect.objectContaining({ text: 'Send legal our redlines in the first week.', shareWithNewReps: false })]);
  });

  it('refuses "Mark as lesson" to a non-manager, and outside retro threads', async () => {
    const { retroId, parentTs } = await openRetro();
    await postInteraction(
      harness.http,
      messageShortcut({ callbackId: SHORTCUTS.markAsLesson, userId: TEAMMATE, message: { ts: '1800000300.000100', threadTs: parentTs, user: TEAMMATE, text: 'A lesson?' } }),
    );
    const refusal = await harness.slack.waitForCall('chat.postEphemeral');
    expect(refusal.args).toMatchObject({ user: TEAMMATE, channel: TEST_RETRO_CHANNEL, thread_ts: parentTs });
    expect(String(refusal.args.text)).toContain('Only managers can mark a reply as a lesson');
    expect(String(refusal.args.text)).toContain(`<@${MANAGER}>`);

    harness.slack.reset();
    await postInteraction(
      harness.http,
      messageShortcut({ callbackId: SHORTCUTS.markAsLesson, userId: MANAGER, channelId: 'C0OTHER001', message: { ts: '1800000300.000200', user: TEAMMATE, text: 'Lunch?' } }),
    );
    const elsewhere = await harness.slack.waitForCall('chat.postEphemeral');
    expect(String(elsewhere.args.text)).toContain('works on replies in a retro thread');

    // A forged submission from a non-manager is refused too.
    const forged = await postInteraction(
      harness.http,
      viewSubmission({
        callbackId: CALLBACKS.markLessonModal,
        userId: TEAMMATE,
        privateMetadata: JSON.stringify({ retroId, messageTs: '1800000300.000100', authorSlackUserId: TEAMMATE }),
        values: stateFor([[MARK_LESSON_INPUTS.text, text('A lesson?')]]),
      }),
    );
    expect(forged.json).toEqual({ response_action: 'errors', errors: { [MARK_LESSON_INPUTS.text.block]: expect.stringContaining('Only managers') } });
    expect(harness.slack.calls('views.open')).toHaveLength(0);
    expect(await prisma().lesson.count({ where: { retroId } })).toBe(0);
  });
});
