import type { HomeView, ModalView, PlainTextOption } from '@slack/types';
import { ACTIONS, CALLBACKS, COMMANDS, DEBRIEF_INPUTS, LOSS_REASON_ACTIONS, LOSS_REASON_INPUTS, OUTCOME_INPUTS } from '../../src/slack/ids';
import { assertWithinSlackLimits } from '../helpers/blockKitLimits';
import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, TEST_RETRO_CHANNEL, type THarness } from '../helpers/debriefHarness';
import { fromTeam, installTeams, oauthHarnessOptions, OAUTH_TEAMS, type TOAuthTeam } from '../helpers/oauthInstalls';
import { MANAGER, blockAction, debriefFormState, eventEnvelope, logFormState, select, stateFor, text, viewSubmission } from '../helpers/payloads';
import { postCommand, postEvent, postInteraction } from '../helpers/slackRequests';
import { waitFor } from '../helpers/wait';

// /losses settings > Edit loss reasons, end to end on two OAuth workspaces: a rename relabels
// old retros, the digest, search and the library; a retired reason leaves new debriefs but stays
// on old ones and in search; an added reason is chosen in a debrief; one workspace's taxonomy
// never shows in the other; only admins and managers may change it.

const { acme, globex } = OAUTH_TEAMS;
const WEDNESDAY = new Date('2026-11-25T12:00:00Z');
const ACME_REP = 'U0ACMEREP1';
const GLOBEX_REP = 'U0GLBXREP1';
const LIST_VIEW = 'V0REASONS1';
/** Two OAuth installs and a dozen round trips each: generous on a busy two-core machine. */
const SLOW_MS = 90_000;

type TSelect = { options?: PlainTextOption[]; initial_option?: PlainTextOption; initial_options?: PlainTextOption[] };
function selectIn(view: ModalView, blockId: string): TSelect {
  const block = (view.blocks as Array<{ block_id?: string; element?: TSelect }>).find((candidate) => candidate.block_id === blockId);
  if (!block?.element) throw new Error(`no input ${blockId}`);
  return block.element;
}
const optionTexts = (select: TSelect) => (select.options ?? []).map((option) => option.text.text);
const optionValues = (select: TSelect) => (select.options ?? []).map((option) => option.value);

describe.each(DATABASE_KINDS)('loss reasons per workspace (%s)', (kind) => {
  let harness: THarness;
  const prisma = () => harness.debrief.database.prisma;

  beforeEach(async () => {
    // MANAGER (payloads) is a manager in both workspaces; the reps are nobody special.
    harness = await startHarness(kind, { ...oauthHarnessOptions(), now: () => WEDNESDAY });
    await installTeams(harness, [acme, globex]);
  }, SLOW_MS);

  afterEach(async () => {
    await harness.stop();
  });

  async function logDeal(team: TOAuthTeam, userId: string, dealName: string): Promise<string> {
    const submission = viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName, owner: userId, competitor: 'Initech' }) });
    await postInteraction(harness.http, fromTeam(submission, team.teamId, userId));
    await harness.slack.waitForCall('chat.postMessage', (call) => call.token === team.token && call.args.thread_ts !== undefined && String(call.args.text).includes(dealName));
    const retro = await prisma().retro.findFirstOrThrow({ where: { deal: { name: dealName } }, select: { id: true } });
    // In this week, for the digest preview.
    await prisma().retro.update({ where: { id: retro.id }, data: { createdAt: new Date('2026-11-24T10:00:00Z') } });
    return retro.id;
  }

  /** Presses "Add my debrief" (or "Edit debrief") and returns the modal Slack was asked to open. */
  async function openDebrief(team: TOAuthTeam, userId: string, retroId: string): Promise<ModalView> {
    const before = harness.slack.calls('views.open').length;
    await postInteraction(harness.http, fromTeam(blockAction({ actionId: ACTIONS.openDebrief, value: retroId, userId }), team.teamId, userId));
    const opened = await harness.slack.waitForCall('views.open', (call) => call.token === team.token && harness.slack.calls('views.open').length > before);
    const view = opened.args.view as ModalView;
    expect(view.callback_id).toBe(CALLBACKS.debriefModal);
    assertWithinSlackLimits(view);
    return view;
  }

  async function submitDebrief(team: TOAuthTeam, userId: string, view: ModalView, reasons: { primaryReason: string; secondaryReasons?: string[] }) {
    const submission = viewSubmission({ callbackId: CALLBACKS.debriefModal, privateMetadata: view.private_metadata, values: debriefFormState({ secondaryReasons: [], ...reasons }) });
    return postInteraction(harness.http, fromTeam(submission, team.teamId, userId));
  }

  /** Debriefs through the modal and waits until the debrief is stored (the thread shows it through the outbox). */
  async function debriefAndWait(team: TOAuthTeam, userId: string, retroId: string, reasons: { primaryReason: string; secondaryReasons?: string[] }): Promise<void> {
    const answer = await submitDebrief(team, userId, await openDebrief(team, userId, retroId), reasons);
    expect(answer.body).toBe('');
    await waitFor(async () => (await prisma().debrief.count({ where: { retroId } })) === 1);
  }

  /** A button inside the settings modals, as `userId` of `team`. */
  async function pressInModal(team: TOAuthTeam, userId: string, actionId: string, viewId = 'V0SETTINGS') {
    const action = { ...blockAction({ actionId, value: 'x', userId }), container: { type: 'view', view_id: viewId }, view: { id: viewId, hash: '1.abc', callback_id: CALLBACKS.workspaceSettingsModal } };
    await postInteraction(harness.http, fromTeam(action, team.teamId, userId));
  }

  /** Settings > Edit loss reasons: the list Slack was asked to push. */
  async function openReasons(team: TOAuthTeam, userId: string): Promise<ModalView> {
    const before = harness.slack.calls('views.push').length;
    await pressInModal(team, userId, LOSS_REASON_ACTIONS.manage);
    const pushed = await harness.slack.waitForCall('views.push', (call) => call.token === team.token && harness.slack.calls('views.push').length > before);
    const view = pushed.args.view as ModalView;
    assertWithinSlackLimits(view);
    return view;
  }

  /** Chooses `operation` in a reason's row menu; returns the view the list was updated to, or the pushed form. */
  async function chooseInMenu(team: TOAuthTeam, userId: string, value: string, operation: string): Promise<{ method: string; view: ModalView }> {
    const counts = { update: harness.slack.calls('views.update').length, push: harness.slack.calls('views.push').length };
    const action = {
      ...blockAction({ actionId: 'unused', value: 'unused', userId }),
      container: { type: 'view', view_id: LIST_VIEW },
      view: { id: LIST_VIEW, hash: '1.abc', callback_id: CALLBACKS.lossReasonsModal },
      actions: [{ type: 'overflow', action_id: `${LOSS_REASON_ACTIONS.menuPrefix}${value}`, block_id: 'b1', selected_option: { text: { type: 'plain_text', text: 'x' }, value: `${operation}:${value}` }, action_ts: '1' }],
    };
    await postInteraction(harness.http, fromTeam(action, team.teamId, userId));
    const call = await waitFor(() => harness.slack.calls('views.update')[counts.update] ?? harness.slack.calls('views.push')[counts.push]);
    const view = call.args.view as ModalView;
    assertWithinSlackLimits(view);
    return { method: call.method, view };
  }

  /** Submits the add/rename form with `label`; the JSON answer ('' when it closed). */
  async function submitReasonForm(team: TOAuthTeam, userId: string, label: string, value?: string) {
    const submission = viewSubmission({
      callbackId: CALLBACKS.lossReasonFormModal,
      userId,
      privateMetadata: JSON.stringify({ listViewId: LIST_VIEW, ...(value ? { value } : {}) }),
      values: stateFor([[LOSS_REASON_INPUTS.label, text(label)]]),
    });
    return postInteraction(harness.http, fromTeam(submission, team.teamId, userId));
  }

  async function command(team: TOAuthTeam, userId: string, textOfCommand: string): Promise<string> {
    const responseUrl = harness.slack.responseUrl();
    const acked = await postCommand(harness.http, { command: COMMANDS.losses, text: textOfCommand, team_id: team.teamId, user_id: userId, channel_id: TEST_RETRO_CHANNEL, response_url: responseUrl });
    // Help and searches Debrief cannot read are answered in the acknowledgement itself.
    if (acked.body) return acked.body;
    const answer = await harness.slack.waitForCall('response_url', (call) => call.path === new URL(responseUrl).pathname, 10_000);
    return JSON.stringify(answer.args);
  }

  it('renames and retires a reason: old retros, the digest, search and the library follow, new debriefs no longer offer it', async () => {
    const oldRetro = await logDeal(acme, ACME_REP, 'Acme Old Deal');
    await debriefAndWait(acme, ACME_REP, oldRetro, { primaryReason: 'product_gap', secondaryReasons: ['price_budget'] });
    const outcome = viewSubmission({
      callbackId: CALLBACKS.retroOutcomeModal,
      userId: MANAGER,
      privateMetadata: JSON.stringify({ retroId: oldRetro }),
      values: stateFor([[OUTCOME_INPUTS.primaryReason, select('product_gap')], [OUTCOME_INPUTS.lesson(0), text('Show the roadmap before the pilot.')]]),
    });
    expect((await postInteraction(harness.http, fromTeam(outcome, acme.teamId, MANAGER))).body).toBe('');
    await waitFor(async () => (await prisma().retroOutcome.count({ where: { retroId: oldRetro } })) === 1);

    // The built-in list until someone edits it.
    const list = await openReasons(acme, MANAGER);
    expect(list.callback_id).toBe(CALLBACKS.lossReasonsModal);
    expect(JSON.stringify(list.blocks)).toContain('built-in reasons');
    expect(await prisma().lossReason.count()).toBe(0);

    // Rename: the menu pushes the form, prefilled; saving closes it and refreshes the list.
    const form = await chooseInMenu(acme, MANAGER, 'product_gap', 'rename');
    expect(form.method).toBe('views.push');
    expect(JSON.stringify(form.view.blocks)).toContain('"initial_value":"Product gap"');
    expect((await submitReasonForm(acme, MANAGER, 'Missing capabilities', 'product_gap')).body).toBe('');
    const refreshed = await harness.slack.waitForCall('views.update', (call) => call.args.view_id === LIST_VIEW && JSON.stringify(call.args.view).includes('Renamed to'));
    expect(JSON.stringify(refreshed.args.view)).toContain('*Missing capabilities*');
    // The first edit made the built-in list the workspace's own, the stored value unchanged.
    expect(await prisma().lossReason.count()).toBe(9);
    expect(await prisma().debrief.findFirstOrThrow({ where: { retroId: oldRetro }, select: { primaryReason: true } })).toEqual({ primaryReason: 'product_gap' });

    // The old retro's outcome modal, the digest, search and the library all say the new name.
    await postInteraction(harness.http, fromTeam(blockAction({ actionId: ACTIONS.recordOutcome, value: oldRetro, userId: MANAGER }), acme.teamId, MANAGER));
    const outcomeModal = (await harness.slack.waitForCall('views.open', (call) => (call.args.view as ModalView).callback_id === CALLBACKS.retroOutcomeModal)).args.view as ModalView;
    assertWithinSlackLimits(outcomeModal);
    expect(selectIn(outcomeModal, OUTCOME_INPUTS.primaryReason.block).initial_option?.text.text).toBe('Missing capabilities');
    expect(JSON.stringify(outcomeModal.blocks)).toContain("The rep's debrief says: *Missing capabilities*");
    expect(await command(acme, MANAGER, 'digest')).toContain('Missing capabilities');
    const searched = await command(acme, MANAGER, 'reason:"Missing capabilities"');
    expect(searched).toContain('Acme Old Deal');
    expect(searched).toContain('Missing capabilities');
    await postEvent(harness.http, { ...eventEnvelope({ type: 'app_home_opened', user: MANAGER, channel: 'D0ACMEMGR1', tab: 'home', event_ts: '1764000000.000300', team: acme.teamId }), team_id: acme.teamId, authorizations: [{ team_id: acme.teamId, enterprise_id: null, is_enterprise_install: false, is_bot: true, user_id: acme.botUserId }] });
    const home = await harness.slack.waitForCall('views.publish', (call) => call.token === acme.token);
    expect(JSON.stringify((home.args.view as HomeView).blocks)).toContain('Missing capabilities');

    // Retire it: gone from a new debrief, kept (marked) on the old one, still searchable.
    const retired = await chooseInMenu(acme, MANAGER, 'product_gap', 'retire');
    expect(retired.method).toBe('views.update');
    expect(JSON.stringify(retired.view.blocks)).toContain('Retired *Missing capabilities*');
    const newRetro = await logDeal(acme, ACME_REP, 'Acme New Deal');
    const fresh = await openDebrief(acme, ACME_REP, newRetro);
    expect(optionValues(selectIn(fresh, DEBRIEF_INPUTS.primaryReason.block))).not.toContain('product_gap');
    expect(optionValues(selectIn(fresh, DEBRIEF_INPUTS.secondaryReasons.block))).not.toContain('product_gap');
    // A retired reason sent anyway (a form opened before it was retired) is refused on its field.
    const refused = await submitDebrief(acme, ACME_REP, fresh, { primaryReason: 'product_gap' });
    expect(refused.json).toMatchObject({ response_action: 'errors', errors: { [DEBRIEF_INPUTS.primaryReason.block]: expect.stringContaining('from the list') } });

    const editing = await openDebrief(acme, ACME_REP, oldRetro);
    const primary = selectIn(editing, DEBRIEF_INPUTS.primaryReason.block);
    expect(optionTexts(primary)).toContain('Missing capabilities (retired)');
    expect(primary.initial_option?.value).toBe('product_gap');
    expect((await submitDebrief(acme, ACME_REP, editing, { primaryReason: 'product_gap' })).body).toBe('');
    await waitFor(async () => (await prisma().debrief.findFirstOrThrow({ where: { retroId: oldRetro } })).revision === 2);
    expect(await command(acme, MANAGER, 'reason:missing')).toContain('Acme Old Deal');
  }, SLOW_MS);

  it('adds a reason a debrief can use, and keeps each workspace to its own reasons', async () => {
    const acmeRetro = await logDeal(acme, ACME_REP, 'Acme Hosting Deal');
    const globexRetro = await logDeal(globex, GLOBEX_REP, 'Globex Deal');

    await openReasons(acme, MANAGER);
    const form = await (async () => {
      const before = harness.slack.calls('views.push').length;
      await pressInModal(acme, MANAGER, LOSS_REASON_ACTIONS.add, LIST_VIEW);
      return (await harness.slack.waitForCall('views.push', () => harness.slack.calls('views.push').length > before)).args.view as ModalView;
    })();
    expect(form.callback_id).toBe(CALLBACKS.lossReasonFormModal);
    assertWithinSlackLimits(form);
    expect((await submitReasonForm(acme, MANAGER, 'Data residency')).body).toBe('');
    expect((await submitReasonForm(acme, MANAGER, 'Commercials', 'price_budget')).body).toBe('');

    const acmeModal = await openDebrief(acme, ACME_REP, acmeRetro);
    expect(optionTexts(selectIn(acmeModal, DEBRIEF_INPUTS.primaryReason.block))).toEqual(expect.arrayContaining(['Commercials', 'Data residency']));
    await debriefAndWait(acme, ACME_REP, acmeRetro, { primaryReason: 'data_residency', secondaryReasons: ['price_budget'] });
    expect(await prisma().debrief.findFirstOrThrow({ where: { retroId: acmeRetro }, select: { primaryReason: true } })).toEqual({ primaryReason: 'data_residency' });
    expect(await command(acme, MANAGER, 'reason:residency')).toContain('Acme Hosting Deal');

    // Globex still has the built-in reasons: no "Data residency", "Price or budget" as it was.
    const globexModal = await openDebrief(globex, GLOBEX_REP, globexRetro);
    const globexOptions = selectIn(globexModal, DEBRIEF_INPUTS.primaryReason.block);
    expect(optionTexts(globexOptions)).toContain('Price or budget');
    expect(optionValues(globexOptions)).not.toContain('data_residency');
    expect((await submitDebrief(globex, GLOBEX_REP, globexModal, { primaryReason: 'data_residency' })).json).toMatchObject({ response_action: 'errors' });
    expect(await command(globex, MANAGER, 'reason:residency')).toContain('is not a loss reason I know');
    expect(await command(globex, MANAGER, 'help')).toContain('Price or budget');
    expect(await prisma().lossReason.count({ where: { workspace: { slackTeamId: globex.teamId } } })).toBe(0);
    // Globex's list is its own (built-in) one.
    expect(JSON.stringify((await openReasons(globex, MANAGER)).blocks)).not.toContain('Data residency');
  }, SLOW_MS);

  it('lets only admins and managers change the reasons, and explains every refusal on the field', async () => {
    expect(JSON.stringify((await openReasons(acme, ACME_REP)).blocks)).toContain('Only workspace admins');
    expect(JSON.stringify((await chooseInMenu(acme, ACME_REP, 'other', 'retire')).view.blocks)).toContain('Only workspace admins');
    expect((await submitReasonForm(acme, ACME_REP, 'Sneaky')).json).toMatchObject({ response_action: 'errors', errors: { [LOSS_REASON_INPUTS.label.block]: expect.stringContaining('Only workspace admins') } });
    expect(await prisma().lossReason.count()).toBe(0);

    const problemOf = async (label: string, value?: string) => {
      const answer = await submitReasonForm(acme, MANAGER, label, value);
      expect(answer.json).toMatchObject({ response_action: 'errors' });
      return String((answer.json as { errors: Record<string, string> }).errors[LOSS_REASON_INPUTS.label.block]);
    };
    expect(await problemOf('   ')).toContain('Give the reason a name');
    expect(await problemOf('x'.repeat(76))).toContain('75 characters');
    expect(await problemOf('price OR budget')).toContain('already a reason');
    expect(await problemOf('Sales execution', 'other')).toContain('already a reason');
    expect(await prisma().lossReason.count()).toBe(0);

    // Everything retired but one: that one stays.
    const workspace = await harness.debrief.repos.workspaces.ensure(acme.teamId);
    await harness.debrief.repos.lossReasons.save(workspace.id, [
      { value: 'other', label: 'Other', position: 0, retiredAt: null },
      { value: 'price_budget', label: 'Price or budget', position: 1, retiredAt: WEDNESDAY },
    ]);
    const lastOne = await chooseInMenu(acme, MANAGER, 'other', 'retire');
    expect(JSON.stringify(lastOne.view.blocks)).toContain('Keep at least one reason');
    expect(await prisma().lossReason.findFirstOrThrow({ where: { value: 'other' } })).toMatchObject({ retiredAt: null });
  }, SLOW_MS);
});
