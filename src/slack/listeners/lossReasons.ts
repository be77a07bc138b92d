import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { reasonLabel, type TReasonEdit } from '../../domain/lossReasons';
import { escapeMrkdwn } from '../../lib/mrkdwn';
import { editLossReasons, loadReasonList } from '../../services/lossReasons';
import { settingsPermission } from '../../services/workspaceSettings';
import { buildLossReasonFormModal, buildLossReasonsModal } from '../blocks/lossReasonsModal';
import { LOSS_REASON_INPUTS } from '../ids';
import { menuChoiceEdit, parseReasonFormMetadata, parseReasonMenuChoice, type TReasonFormMetadata } from '../parsers/lossReasons';
import { textValue, ZViewStateValues } from '../parsers/viewState';
import type { TListenerDeps } from './deps';

// /losses settings > Edit loss reasons: the list, each row's menu (move, retire, restore; rename
// opens a form), and the add/rename form. Every step checks again that the person may change
// settings, and reads and writes only the workspace the request comes from.

const ZModalAction = z.object({
  user: z.object({ id: z.string() }),
  trigger_id: z.string(),
  view: z.object({ id: z.string() }),
  actions: z.array(z.object({ selected_option: z.object({ value: z.string() }).optional() })).min(1),
});

const ZFormSubmission = z.object({
  user: z.object({ id: z.string() }),
  view: z.object({ private_metadata: z.string().max(3000), state: z.object({ values: ZViewStateValues }) }),
});

const NOT_ALLOWED = "Only workspace admins and Debrief's managers can change the loss reasons.";

async function mayChange(deps: TListenerDeps, client: WebClient, slackUserId: string): Promise<boolean> {
  return (await settingsPermission({ client, managers: deps.managers, logger: deps.logger }, slackUserId)).allowed;
}

async function listView(deps: TListenerDeps, workspaceId: string, notice?: string) {
  const list = await loadReasonList(deps, workspaceId);
  return buildLossReasonsModal({ ...list, notice });
}

function refusedView(text: string) {
  return buildLossReasonsModal({ catalog: [], customised: true, notice: `:lock: ${text}` });
}

/** What the list says after an edit went through. */
function doneNotice(edit: TReasonEdit, label: string): string {
  const name = `*${escapeMrkdwn(label)}*`;
  switch (edit.kind) {
    case 'add':
      return `:white_check_mark: Added ${name}. Reps can choose it in new debriefs.`;
    case 'rename':
      return `:white_check_mark: Renamed to ${name}. Past retros, digests and searches show the new name.`;
    case 'move':
      return `Moved ${name} ${edit.direction}.`;
    case 'retire':
      return `:white_check_mark: Retired ${name}. It is no longer offered; retros that have it keep it, and \`reason:\` still finds them.`;
    case 'restore':
      return `:white_check_mark: Restored ${name}. It is offered again.`;
  }
}

/** Applies an edit for the request's workspace; the notice to show, or the problem. */
async function applyEdit(deps: TListenerDeps, input: { slackTeamId: string; slackUserId: string; edit: TReasonEdit }) {
  const workspace = await deps.repos.workspaces.ensure(input.slackTeamId);
  const result = await editLossReasons(deps, { workspaceId: workspace.id, edit: input.edit, at: deps.now?.() ?? new Date() });
  if (result.ok) deps.logger.info(`Workspace ${input.slackTeamId}: loss reason ${result.value} (${input.edit.kind}) by ${input.slackUserId}.`);
  return { workspaceId: workspace.id, result };
}

/** "Edit loss reasons" in the settings modal: pushes the list. */
export function createManageLossReasonsHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const action = ZModalAction.safeParse(body);
    if (!action.success || !context.teamId) return;
    const allowed = await mayChange(deps, client, action.data.user.id);
    const view = allowed ? await listView(deps, (await deps.repos.workspaces.ensure(context.teamId)).id) : refusedView(NOT_ALLOWED);
    await client.views.push({ trigger_id: action.data.trigger_id, view });
  };
}

/** "Add a reason": pushes the form. */
export function createAddLossReasonHandler(deps: TListenerDeps) {
  return async ({ ack, body, client }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const action = ZModalAction.safeParse(body);
    if (!action.success) return;
    if (!(await mayChange(deps, client, action.data.user.id))) {
      await client.views.update({ view_id: action.data.view.id, view: refusedView(NOT_ALLOWED) });
      return;
    }
    const metadata: TReasonFormMetadata = { listViewId: action.data.view.id };
    await client.views.push({ trigger_id: action.data.trigger_id, view: buildLossReasonFormModal({ privateMetadata: JSON.stringify(metadata) }) });
  };
}

/** A row's menu: rename pushes the form; move, retire and restore apply at once and refresh the list. */
export function createLossReasonMenuHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const action = ZModalAction.safeParse(body);
    const choice = action.success ? parseReasonMenuChoice(action.data.actions[0]!.selected_option?.value) : null;
    if (!action.success || !choice || !context.teamId) return;
    const { user, view, trigger_id: triggerId } = action.data;
    if (!(await mayChange(deps, client, user.id))) {
      await client.views.update({ view_id: view.id, view: refusedView(NOT_ALLOWED) });
      return;
    }
    const edit = menuChoiceEdit(choice);
    if (!edit) {
      const workspace = await deps.repos.workspaces.ensure(context.teamId);
      const reason = (await loadReasonList(deps, workspace.id)).catalog.find((candidate) => candidate.value === choice.value);
      if (!reason) {
        await client.views.update({ view_id: view.id, view: await listView(deps, workspace.id, ':warning: That reason is not in this workspace any more.') });
        return;
      }
      const metadata: TReasonFormMetadata = { listViewId: view.id, value: reason.value };
      await client.views.push({ trigger_id: triggerId, view: buildLossReasonFormModal({ privateMetadata: JSON.stringify(metadata), current: reason }) });
      return;
    }
    const { workspaceId, result } = await applyEdit(deps, { slackTeamId: context.teamId, slackUserId: user.id, edit });
    const notice = result.ok ? doneNotice(edit, reasonLabel(result.catalog, result.value)) : `:warning: ${escapeMrkdwn(result.problem)}`;
    await client.views.update({ view_id: view.id, view: await listView(deps, workspaceId, notice) });
  };
}

/** The add/rename form: every problem on the field, the form staying open; then back to the refreshed list. */
export function createLossReasonFormSubmissionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const submission = ZFormSubmission.safeParse(body);
    const metadata = submission.success ? parseReasonFormMetadata(submission.data.view.private_metadata) : null;
    const labelBlock = LOSS_REASON_INPUTS.label.block;
    if (!submission.success || !metadata || !context.teamId) {
      await ack({ response_action: 'errors', errors: { [labelBlock]: 'Slack sent this form in a shape I do not understand. Close it and try again.' } });
      return;
    }
    const userId = submission.data.user.id;
    if (!(await mayChange(deps, client, userId))) {
      await ack({ response_action: 'errors', errors: { [labelBlock]: NOT_ALLOWED } });
      return;
    }
    const label = textValue(submission.data.view.state.values, LOSS_REASON_INPUTS.label) ?? '';
    const edit: TReasonEdit = metadata.value ? { kind: 'rename', value: metadata.value, label } : { kind: 'add', label };
    const { workspaceId, result } = await applyEdit(deps, { slackTeamId: context.teamId, slackUserId: userId, edit });
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: { [labelBlock]: result.problem } });
      return;
    }
    // Closes the form; the list underneath is refreshed to show the change.
    await ack();
    await client.views
      .update({ view_id: metadata.listViewId, view: await listView(deps, workspaceId, doneNotice(edit, reasonLabel(result.catalog, result.value))) })
      .catch((error: unknown) => deps.logger.warn('Could not refresh the loss reasons list', error));
  };
}
