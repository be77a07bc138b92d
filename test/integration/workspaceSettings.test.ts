import type { ModalView } from '@slack/types';
import { ACTIONS, CALLBACKS, NO_USER_GROUP_VALUE, WORKSPACE_SETTINGS_ACTIONS, WORKSPACE_SETTINGS_INPUTS } from '../../src/slack/ids';
import type { TViewStateValues } from '../../src/slack/parsers/viewState';
import { assertWithinSlackLimits } from '../helpers/blockKitLimits';
import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, type THarness } from '../helpers/debriefHarness';
import type { ResponseBody } from '../helpers/fakeSlack';
import { fromTeam, installTeams, oauthHarnessOptions, OAUTH_TEAMS, type TOAuthTeam } from '../helpers/oauthInstalls';
import { blockAction, debriefFormState, logFormState, viewSubmission } from '../helpers/payloads';
import { postCommand, postInteraction } from '../helpers/slackRequests';

// /losses settings in OAuth mode with no RETRO_CHANNEL: each workspace's admins (or managers)
// choose its retro channel, managers, reminder timing and competitors, and only that workspace
// follows them.

const MONDAY_10_UTC = new Date('2026-11-23T10:00:00Z');
const { acme, globex } = OAUTH_TEAMS;
const ACME_ADMIN = 'U0ACMEADM1';
const ACME_REP = 'U0ACMEREP1';
const ACME_MANAGER = 'U0ACMEMGR1';
const GLOBEX_REP = 'U0GLBXREP1';
const ACME_RETROS = 'C0ACMERET1';

interface TSettingsValues {
  channel?: string | null;
  group?: string;
  users?: string[];
  nudge?: string;
  competitors?: string | null;
}

function settingsState(values: TSettingsValues): TViewStateValues {
  const input = (id: { block: string; action: string }, state: Record<string, unknown>) => ({ [id.block]: { [id.action]: { type: 'unused', ...state } } });
  return {
    ...input(WORKSPACE_SETTINGS_INPUTS.retroChannelId, { type: 'conversations_select', selected_conversation: values.channel === undefined ? ACME_RETROS : values.channel }),
    ...input(WORKSPACE_SETTINGS_INPUTS.managerUserGroupId, { type: 'static_select', selected_option: { value: values.group ?? NO_USER_GROUP_VALUE } }),
    ...input(WORKSPACE_SETTINGS_INPUTS.managerUserIds, { type: 'multi_users_select', selected_users: values.users ?? [ACME_MANAGER] }),
    ...input(WORKSPACE_SETTINGS_INPUTS.debriefNudgeAfter, { type: 'static_select', selected_option: { value: values.nudge ?? '4h' } }),
    ...input(WORKSPACE_SETTINGS_INPUTS.competitors, { type: 'plain_text_input', value: values.competitors === undefined ? 'Salesforce\nHubSpot\nsalesforce' : values.competitors }),
  };
}

describe.each(DATABASE_KINDS)('/losses settings per workspace (%s)', (kind) => {
  let harness: THarness;

  beforeEach(async () => {
    harness = await startHarness(kind, { ...oauthHarnessOptions(), retroChannelId: undefined, managers: { userIds: [] }, now: () => MONDAY_10_UTC });
    await installTeams(harness, [acme, globex]);
    harness.slack.setResponse('users.info', (args): ResponseBody => ({ ok: true, user: { id: args.user, name: 'someone', is_admin: args.user === ACME_ADMIN, is_owner: false, deleted: false } }));
    harness.slack.setResponse('usergroups.list', { ok: true, usergroups: [{ id: 'S0ACMELEAD', handle: 'sales-leads', name: 'Sales leads' }] });
  });

  afterEach(async () => {
    await harness.stop();
  });

  async function openSettings(team: TOAuthTeam, userId: string): Promise<{ view?: ModalView; refusal?: string }> {
    const responseUrl = harness.slack.responseUrl();
    const opensBefore = harness.slack.calls('views.open').length;
    const answer = await postCommand(harness.http, { command: '/losses', text: 'settings', team_id: team.teamId, user_id: userId, channel_id: 'C0GENERAL1', response_url: responseUrl });
    expect(answer.status).toBe(200);
    const outcome = await Promise.race([
      harness.slack.waitForCall('views.open', (call) => call.token === team.token && harness.slack.calls('views.open').length > opensBefore).then((call) => ({ view: call.args.view as ModalView })),
      harness.slack.waitForCall('response_url', (call) => call.path.endsWith(new URL(responseUrl).pathname)).then((call) => ({ refusal: String(call.args.text) })),
    ]);
    return outcome;
  }

  async function submitSettings(team: TOAuthTeam, userId: string, view: ModalView, values: TSettingsValues) {
    const submission = viewSubmission({ callbackId: CALLBACKS.workspaceSettingsModal, privateMetadata: view.private_metadata ?? '', values: settingsState(values) });
    return postInteraction(harness.http, fromTeam(submission, team.teamId, userId));
  }

  async function logDeal(team: TOAuthTeam, userId: string, dealName: string, competitor = 'Globex') {
    const submission = viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName, owner: userId, competitor }) });
    await postInteraction(harness.http, fromTeam(submission, team.teamId, userId));
  }

  it('lets an admin choose the channel, managers, timing and competitors, which only that workspace follows', async () => {
    // Before anyone chose a channel, a logged loss is refused with what to do, and nothing is kept.
    await logDeal(acme, ACME_REP, 'Early loss');
    const notice = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.channel === ACME_REP && String(call.args.text).includes('/losses settings'));
    expect(notice.token).toBe(acme.token);
    expect(await harness.debrief.database.prisma.deal.count()).toBe(0);

    const { view } = await openSettings(acme, ACME_ADMIN);
    expect(view?.callback_id).toBe(CALLBACKS.workspaceSettingsModal);
    assertWithinSlackLimits(view!);
    expect(JSON.stringify(view!.blocks)).toContain('@sales-leads');

    const saved = await submitSettings(acme, ACME_ADMIN, view!, {});
    expect(saved.body).toBe('');
    const confirmation = await harness.slack.waitForCall('chat.postEphemeral', (call) => String(call.args.text).startsWith(':white_check_mark: Saved'));
    expect(confirmation.args).toMatchObject({ channel: 'C0GENERAL1', user: ACME_ADMIN });
    expect(String(confirmation.args.text)).toContain(`<#${ACME_RETROS}>`);
    const stored = await harness.debrief.database.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: acme.teamId } });
    expect(stored).toMatchObject({ retroChannelId: ACME_RETROS, managerUserIds: [ACME_MANAGER], managerUserGroupId: null, debriefNudgeAfter: '4h', competitors: ['Salesforce', 'HubSpot'], settingsSavedBySlackUserId: ACME_ADMIN });

    // A loss now opens in the chosen channel, the competitor spelled as the team listed it, and the
    // owner's reminder is due after four working hours.
    await logDeal(acme, ACME_REP, 'Acme after settings', 'SALESFORCE ');
    const parent = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.channel === ACME_RETROS && call.args.thread_ts === undefined);
    expect(parent.token).toBe(acme.token);
    const deal = await harness.debrief.database.prisma.deal.findFirstOrThrow({ where: { name: 'Acme after settings' } });
    expect(deal.competitor).toBe('Salesforce');
    const nudge = await harness.debrief.database.prisma.scheduledJob.findFirstOrThrow({ where: { kind: 'debrief_nudge' } });
    expect(nudge.dueAt).toEqual(new Date('2026-11-23T14:00:00Z'));

    // The debrief suggests the list too, and a listed winner keeps the team's spelling.
    const retro = await harness.debrief.database.prisma.retro.findFirstOrThrow({ where: { dealId: deal.id } });
    await postInteraction(harness.http, fromTeam(blockAction({ actionId: ACTIONS.openDebrief, value: retro.id, userId: ACME_REP }), acme.teamId, ACME_REP));
    const debriefModal = await harness.slack.waitForCall('views.open', (call) => (call.args.view as ModalView).callback_id === CALLBACKS.debriefModal);
    expect(JSON.stringify((debriefModal.args.view as ModalView).blocks)).toContain('Known competitors: Salesforce, HubSpot.');
    const debrief = viewSubmission({ callbackId: CALLBACKS.debriefModal, privateMetadata: JSON.stringify({ retroId: retro.id }), values: debriefFormState({ winnerName: 'hubspot' }) });
    await postInteraction(harness.http, fromTeam(debrief, acme.teamId, ACME_REP));
    await harness.slack.waitForCall('chat.postMessage', (call) => call.token === acme.token && JSON.stringify(call.args.blocks ?? []).includes('Debrief from'));
    expect((await harness.debrief.database.prisma.debrief.findFirstOrThrow({ where: { retroId: retro.id } })).winnerName).toBe('HubSpot');

    // The manager chosen in Acme may open Acme's settings, but is nobody in Globex.
    expect((await openSettings(acme, ACME_MANAGER)).view).toBeDefined();
    expect((await openSettings(globex, ACME_MANAGER)).refusal).toContain('Only workspace admins');

    // Globex chose nothing: its losses still have nowhere to go.
    await logDeal(globex, GLOBEX_REP, 'Globex loss');
    await harness.slack.waitForCall('chat.postMessage', (call) => call.args.channel === GLOBEX_REP && call.token === globex.token && String(call.args.text).includes('/losses settings'));
    expect(await harness.debrief.database.prisma.retro.count()).toBe(1);
  });

  it("pushes the weekly digest's schedule from the settings, for managers only", async () => {
    async function pressDigestSchedule(userId: string, settingsView: ModalView): Promise<ModalView> {
      const before = harness.slack.calls('views.push').length;
      const action = {
        ...blockAction({ actionId: WORKSPACE_SETTINGS_ACTIONS.digestSchedule, value: 'open', userId }),
        container: { type: 'view', view_id: 'V0SETTINGS' },
        view: { id: 'V0SETTINGS', hash: '1.abc', callback_id: CALLBACKS.workspaceSettingsModal, private_metadata: settingsView.private_metadata },
      };
      await postInteraction(harness.http, fromTeam(action, acme.teamId, userId));
      const pushed = await harness.slack.waitForCall('views.push', (call) => call.token === acme.token && harness.slack.calls('views.push').length > before);
      const view = pushed.args.view as ModalView;
      assertWithinSlackLimits(view);
      return view;
    }

    // An admin who is not one of Debrief's managers may change the settings, not the digest.
    const { view: adminView } = await openSettings(acme, ACME_ADMIN);
    expect(JSON.stringify(adminView!.blocks)).toContain(WORKSPACE_SETTINGS_ACTIONS.digestSchedule);
    const refused = await pressDigestSchedule(ACME_ADMIN, adminView!);
    expect(refused.callback_id).toBeUndefined();
    expect(JSON.stringify(refused.blocks)).toContain('change the weekly digest');

    await submitSettings(acme, ACME_ADMIN, adminView!, {});
    await harness.slack.waitForCall('chat.postEphemeral', (call) => String(call.args.text).startsWith(':white_check_mark: Saved'));
    const { view: managerView } = await openSettings(acme, ACME_MANAGER);
    const digestSettings = await pressDigestSchedule(ACME_MANAGER, managerView!);
    expect(digestSettings.callback_id).toBe(CALLBACKS.digestSettingsModal);
    // Its confirmation goes where /losses settings was run.
    expect(JSON.parse(digestSettings.private_metadata ?? '{}')).toEqual({ channelId: 'C0GENERAL1' });
  });

  it('refuses people who are neither admins nor managers, privately', async () => {
    const { refusal, view } = await openSettings(acme, ACME_REP);
    expect(view).toBeUndefined();
    expect(refusal).toContain(':lock:');
  });

  it('validates on the fields, keeping the modal open', async () => {
    const { view } = await openSettings(acme, ACME_ADMIN);
    const errorsOf = async (values: TSettingsValues, userId = ACME_ADMIN) => {
      const answer = await submitSettings(acme, userId, view!, values);
      return (JSON.parse(answer.body) as { response_action: string; errors: Record<string, string> }).errors;
    };

    expect(await errorsOf({ channel: null })).toHaveProperty(WORKSPACE_SETTINGS_INPUTS.retroChannelId.block);
    expect((await errorsOf({ competitors: 'x'.repeat(81) }))[WORKSPACE_SETTINGS_INPUTS.competitors.block]).toContain('longer than 80');
    expect((await errorsOf({ users: Array.from({ length: 31 }, (_, index) => `U0PERSON${String(index).padStart(2, '0')}`) }))[WORKSPACE_SETTINGS_INPUTS.managerUserIds.block]).toContain('at most 30');
    // Someone who is neither admin nor manager (a forged submission) cannot save.
    expect((await errorsOf({}, ACME_REP))[WORKSPACE_SETTINGS_INPUTS.retroChannelId.block]).toContain('Only workspace admins');

    harness.slack.setResponse('conversations.info', (args): ResponseBody => ({ ok: true, channel: { id: args.channel, is_channel: true, is_archived: false, is_member: false } }));
    expect((await errorsOf({}))[WORKSPACE_SETTINGS_INPUTS.retroChannelId.block]).toContain('/invite @Debrief');

    const workspace = await harness.debrief.database.prisma.workspace.findUnique({ where: { slackTeamId: acme.teamId } });
    expect(workspace?.settingsSavedAt ?? null).toBeNull();
  });
});
