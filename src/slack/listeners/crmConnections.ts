import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { TSecretBox } from '../../lib/secretBox';
import { z } from 'zod';
import { CONNECTION_KINDS, connectionUrl, createConnection, replaceHubSpotCredentials, type TConnectionKind } from '../../services/crmConnections';
import { settingsPermission } from '../../services/workspaceSettings';
import { buildCrmConnectionCreatedView, buildCrmConnectionsModal, buildNewCrmConnectionModal, buildReplaceCrmCredentialsModal } from '../blocks/crmConnectionsModal';
import { CRM_CONNECTION_ADD_ACTIONS, CRM_CONNECTION_INPUTS } from '../ids';
import { parseNewConnectionForm, parseReplaceHubSpotCredentialsForm } from '../parsers/crmConnectionForm';
import { ZViewStateValues } from '../parsers/viewState';
import type { TListenerDeps } from './deps';

// /losses settings > Manage CRM connections: list, add (what Debrief makes shown once), replace
// HubSpot's pasted credentials, and revoke the workspace's CRM connections. Every step checks again that the person may change
// settings, and reads and writes only the workspace the request comes from.

const ZModalAction = z.object({
  user: z.object({ id: z.string() }),
  trigger_id: z.string(),
  view: z.object({ id: z.string(), hash: z.string().optional() }),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().max(64).optional() })).min(1),
});

const ZNewConnectionSubmission = z.object({
  user: z.object({ id: z.string() }),
  view: z.object({ private_metadata: z.string().max(3000), state: z.object({ values: ZViewStateValues }) }),
});
const ZNewConnectionMetadata = z.object({ listViewId: z.string().max(64).optional(), kind: z.enum(CONNECTION_KINDS).default('generic') });
const ZReplaceMetadata = z.object({ listViewId: z.string().max(64), connectionId: z.string().max(64) });

/** Which "Add" button was pressed says the kind; the value is only a fallback. */
function kindOfAddAction(actionId: string): TConnectionKind {
  return CONNECTION_KINDS.find((kind) => CRM_CONNECTION_ADD_ACTIONS[kind] === actionId) ?? 'generic';
}

const NOT_ALLOWED = "Only workspace admins and Debrief's managers can change CRM connections.";
const NO_KEY = 'CRM connections need ENCRYPTION_KEY on the server, which keeps their secrets sealed. Ask whoever runs Debrief to set it.';

async function mayChange(deps: TListenerDeps, client: WebClient, slackUserId: string): Promise<boolean> {
  return (await settingsPermission({ client, managers: deps.managers, logger: deps.logger }, slackUserId)).allowed;
}

/** The secret box when this person may store connection secrets now; else why not, for the form. */
async function secretsAllowance(deps: TListenerDeps, client: WebClient, slackUserId: string): Promise<{ ok: true; secretBox: TSecretBox } | { ok: false; problem: string }> {
  if (!deps.secretBox) return { ok: false, problem: NO_KEY };
  if (!(await mayChange(deps, client, slackUserId))) return { ok: false, problem: NOT_ALLOWED };
  return { ok: true, secretBox: deps.secretBox };
}

async function listView(deps: TListenerDeps, slackTeamId: string, notice?: string) {
  const workspace = await deps.repos.workspaces.ensure(slackTeamId);
  const connections = await deps.repos.crmConnections.listActive(workspace.id);
  return buildCrmConnectionsModal({ connections, publicUrl: deps.publicUrl, notice });
}

function noticeView(text: string) {
  return buildCrmConnectionsModal({ connections: [], publicUrl: undefined, notice: `:lock: ${text}` });
}

/** "Manage CRM connections" in the settings modal: pushes the list. */
export function createManageCrmConnectionsHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const action = ZModalAction.safeParse(body);
    if (!action.success || !context.teamId) return;
    const allowed = await mayChange(deps, client, action.data.user.id);
    const view = !deps.secretBox ? noticeView(NO_KEY) : allowed ? await listView(deps, context.teamId) : noticeView(NOT_ALLOWED);
    await client.views.push({ trigger_id: action.data.trigger_id, view });
  };
}

/** "Add a connection": pushes the form that asks for its name. */
export function createAddCrmConnectionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const action = ZModalAction.safeParse(body);
    if (!action.success) return;
    if (!(await mayChange(deps, client, action.data.user.id))) {
      await client.views.update({ view_id: action.data.view.id, view: noticeView(NOT_ALLOWED) });
      return;
    }
    const kind = kindOfAddAction(action.data.actions[0]!.action_id);
    await client.views.push({ trigger_id: action.data.trigger_id, view: buildNewCrmConnectionModal({ kind, privateMetadata: JSON.stringify({ listViewId: action.data.view.id, kind }) }) });
  };
}

/**
 * A button on one connection of the list (its id in the value), pressed by someone who may change
 * connections, with the request's workspace; null when there is nothing more to do (a payload not
 * understood, or a refusal already shown in place of the list).
 */
async function readConnectionButton(deps: TListenerDeps, client: WebClient, body: unknown, slackTeamId: string | undefined) {
  const action = ZModalAction.safeParse(body);
  const connectionId = action.success ? action.data.actions[0]!.value : undefined;
  if (!action.success || !connectionId || !slackTeamId) return null;
  if (!(await mayChange(deps, client, action.data.user.id))) {
    await client.views.update({ view_id: action.data.view.id, view: noticeView(NOT_ALLOWED) });
    return null;
  }
  const workspace = await deps.repos.workspaces.ensure(slackTeamId);
  return { action: action.data, connectionId, workspace, slackTeamId };
}

/** A HubSpot connection's "Replace credentials": pushes the form for a new client secret and token. */
export function createReplaceCrmCredentialsHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const pressed = await readConnectionButton(deps, client, body, context.teamId);
    if (!pressed) return;
    const { action, connectionId, workspace, slackTeamId } = pressed;
    const connection = (await deps.repos.crmConnections.listActive(workspace.id)).find((listed) => listed.id === connectionId && listed.source === 'hubspot');
    if (!connection) {
      await client.views.update({ view_id: action.view.id, view: await listView(deps, slackTeamId, 'That connection was revoked.') });
      return;
    }
    await client.views.push({
      trigger_id: action.trigger_id,
      view: buildReplaceCrmCredentialsModal({ label: connection.label, privateMetadata: JSON.stringify({ listViewId: action.view.id, connectionId }) }),
    });
  };
}

/** "Revoke" (after Slack's confirmation dialog): stops the connection and refreshes the list. */
export function createRevokeCrmConnectionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const pressed = await readConnectionButton(deps, client, body, context.teamId);
    if (!pressed) return;
    const { action, connectionId, workspace, slackTeamId } = pressed;
    // Scoped to this workspace: another workspace's connection id revokes nothing.
    const revoked = await deps.repos.crmConnections.revoke({ connectionId, workspaceId: workspace.id, at: deps.now?.() ?? new Date() });
    if (revoked) deps.logger.info(`Workspace ${slackTeamId}: CRM connection ${connectionId} revoked by ${action.user.id}.`);
    const notice = revoked ? ':white_check_mark: Revoked. Its URL now refuses deliveries.' : 'That connection was already revoked.';
    await client.views.update({ view_id: action.view.id, view: await listView(deps, slackTeamId, notice) });
  };
}

/** The new connection's form: creates it and shows its URL and what Debrief made for it, once. */
export function createNewCrmConnectionSubmissionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const submission = ZNewConnectionSubmission.safeParse(body);
    const labelBlock = CRM_CONNECTION_INPUTS.label.block;
    const metadata = submission.success ? ZNewConnectionMetadata.safeParse(safeJson(submission.data.view.private_metadata)) : undefined;
    if (!submission.success || !metadata?.success || !context.teamId) {
      await ack({ response_action: 'errors', errors: { [labelBlock]: 'Slack sent this form in a shape I do not understand. Close it and try again.' } });
      return;
    }
    const { kind, listViewId } = metadata.data;
    const form = parseNewConnectionForm(kind, submission.data.view.state.values);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const allowance = await secretsAllowance(deps, client, submission.data.user.id);
    if (!allowance.ok) {
      await ack({ response_action: 'errors', errors: { [labelBlock]: allowance.problem } });
      return;
    }
    const { secretBox } = allowance;
    const workspace = await deps.repos.workspaces.ensure(context.teamId);
    const { label, credentials } = form.value;
    const created = await createConnection({ connections: deps.repos.crmConnections, secretBox }, { workspaceId: workspace.id, label, createdBySlackUserId: submission.data.user.id, credentials });
    if (!created.ok) {
      await ack({ response_action: 'errors', errors: { [labelBlock]: created.problem } });
      return;
    }
    await ack({ response_action: 'update', view: buildCrmConnectionCreatedView({ label, url: connectionUrl(deps.publicUrl, created.connection.id, kind), shown: created.shown }) });
    deps.logger.info(`Workspace ${context.teamId}: ${kind} CRM connection ${created.connection.id} created by ${submission.data.user.id}.`);
    if (listViewId) await refreshList(deps, client, listViewId, context.teamId);
  };
}

/** New HubSpot credentials for a connection of this workspace; the URL stays. */
export function createReplaceCrmCredentialsSubmissionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const submission = ZNewConnectionSubmission.safeParse(body);
    const secretBlock = CRM_CONNECTION_INPUTS.hubspotClientSecret.block;
    const metadata = submission.success ? ZReplaceMetadata.safeParse(safeJson(submission.data.view.private_metadata)) : undefined;
    if (!submission.success || !metadata?.success || !context.teamId) {
      await ack({ response_action: 'errors', errors: { [secretBlock]: 'Slack sent this form in a shape I do not understand. Close it and try again.' } });
      return;
    }
    const form = parseReplaceHubSpotCredentialsForm(submission.data.view.state.values);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const allowance = await secretsAllowance(deps, client, submission.data.user.id);
    if (!allowance.ok) {
      await ack({ response_action: 'errors', errors: { [secretBlock]: allowance.problem } });
      return;
    }
    const { secretBox } = allowance;
    const workspace = await deps.repos.workspaces.ensure(context.teamId);
    // Scoped to this workspace: another workspace's connection id replaces nothing.
    const replaced = await replaceHubSpotCredentials({ connections: deps.repos.crmConnections, secretBox }, { workspaceId: workspace.id, connectionId: metadata.data.connectionId, ...form.value });
    if (!replaced) {
      await ack({ response_action: 'errors', errors: { [secretBlock]: 'That connection was revoked; make a new one.' } });
      return;
    }
    await ack({ response_action: 'clear' });
    deps.logger.info(`Workspace ${context.teamId}: CRM connection ${metadata.data.connectionId} credentials replaced by ${submission.data.user.id}.`);
    await refreshList(deps, client, metadata.data.listViewId, context.teamId, ':white_check_mark: Credentials replaced.');
  };
}

/** The list underneath changed; refresh it so "Back" (or the modal left open) shows it. */
async function refreshList(deps: TListenerDeps, client: WebClient, listViewId: string, slackTeamId: string, notice?: string): Promise<void> {
  await client.views.update({ view_id: listViewId, view: await listView(deps, slackTeamId, notice) }).catch((error: unknown) => {
    deps.logger.warn('Could not refresh the CRM connections list', error);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
