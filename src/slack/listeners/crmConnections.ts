import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { connectionUrl, createGenericConnection, MAX_CONNECTION_LABEL } from '../../services/crmConnections';
import { settingsPermission } from '../../services/workspaceSettings';
import { buildCrmConnectionCreatedView, buildCrmConnectionsModal, buildNewCrmConnectionModal } from '../blocks/crmConnectionsModal';
import { CRM_CONNECTION_INPUTS } from '../ids';
import { textValue, ZViewStateValues } from '../parsers/viewState';
import type { TListenerDeps } from './deps';

// /losses settings > Manage CRM connections: list, add (the secret shown once) and revoke the
// workspace's generic-webhook connections. Every step checks again that the person may change
// settings, and reads and writes only the workspace the request comes from.

const ZModalAction = z.object({
  user: z.object({ id: z.string() }),
  trigger_id: z.string(),
  view: z.object({ id: z.string(), hash: z.string().optional() }),
  actions: z.array(z.object({ value: z.string().max(64).optional() })).min(1),
});

const ZNewConnectionSubmission = z.object({
  user: z.object({ id: z.string() }),
  view: z.object({ private_metadata: z.string().max(3000), state: z.object({ values: ZViewStateValues }) }),
});
const ZNewConnectionMetadata = z.object({ listViewId: z.string().max(64) });

const NOT_ALLOWED = "Only workspace admins and Debrief's managers can change CRM connections.";
const NO_KEY = 'CRM connections need ENCRYPTION_KEY on the server, which keeps their secrets sealed. Ask whoever runs Debrief to set it.';

async function mayChange(deps: TListenerDeps, client: WebClient, slackUserId: string): Promise<boolean> {
  return (await settingsPermission({ client, managers: deps.managers, logger: deps.logger }, slackUserId)).allowed;
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
    await client.views.push({ trigger_id: action.data.trigger_id, view: buildNewCrmConnectionModal({ privateMetadata: JSON.stringify({ listViewId: action.data.view.id }) }) });
  };
}

/** "Revoke" (after Slack's confirmation dialog): stops the connection and refreshes the list. */
export function createRevokeCrmConnectionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const action = ZModalAction.safeParse(body);
    const connectionId = action.success ? action.data.actions[0]!.value : undefined;
    if (!action.success || !connectionId || !context.teamId) return;
    if (!(await mayChange(deps, client, action.data.user.id))) {
      await client.views.update({ view_id: action.data.view.id, view: noticeView(NOT_ALLOWED) });
      return;
    }
    const workspace = await deps.repos.workspaces.ensure(context.teamId);
    // Scoped to this workspace: another workspace's connection id revokes nothing.
    const revoked = await deps.repos.crmConnections.revoke({ connectionId, workspaceId: workspace.id, at: deps.now?.() ?? new Date() });
    if (revoked) deps.logger.info(`Workspace ${context.teamId}: CRM connection ${connectionId} revoked by ${action.data.user.id}.`);
    const notice = revoked ? ':white_check_mark: Revoked. Its URL now refuses deliveries.' : 'That connection was already revoked.';
    await client.views.update({ view_id: action.data.view.id, view: await listView(deps, context.teamId, notice) });
  };
}

/** The new connection's name: creates it and shows its URL and secret, once. */
export function createNewCrmConnectionSubmissionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const submission = ZNewConnectionSubmission.safeParse(body);
    const labelBlock = CRM_CONNECTION_INPUTS.label.block;
    if (!submission.success || !context.teamId) {
      await ack({ response_action: 'errors', errors: { [labelBlock]: 'Slack sent this form in a shape I do not understand. Close it and try again.' } });
      return;
    }
    const label = textValue(submission.data.view.state.values, CRM_CONNECTION_INPUTS.label)?.replace(/\s+/g, ' ');
    if (!label) {
      await ack({ response_action: 'errors', errors: { [labelBlock]: 'Give the connection a name.' } });
      return;
    }
    if (label.length > MAX_CONNECTION_LABEL) {
      await ack({ response_action: 'errors', errors: { [labelBlock]: `Keep the name to ${MAX_CONNECTION_LABEL} characters.` } });
      return;
    }
    const secretBox = deps.secretBox;
    if (!secretBox) {
      await ack({ response_action: 'errors', errors: { [labelBlock]: NO_KEY } });
      return;
    }
    if (!(await mayChange(deps, client, submission.data.user.id))) {
      await ack({ response_action: 'errors', errors: { [labelBlock]: NOT_ALLOWED } });
      return;
    }
    const workspace = await deps.repos.workspaces.ensure(context.teamId);
    const created = await createGenericConnection(
      { connections: deps.repos.crmConnections, secretBox },
      { workspaceId: workspace.id, label, createdBySlackUserId: submission.data.user.id },
    );
    if (!created.ok) {
      await ack({ response_action: 'errors', errors: { [labelBlock]: created.problem } });
      return;
    }
    await ack({ response_action: 'update', view: buildCrmConnectionCreatedView({ label, url: connectionUrl(deps.publicUrl, created.connection.id), signingSecret: created.signingSecret }) });
    deps.logger.info(`Workspace ${context.teamId}: CRM connection ${created.connection.id} created by ${submission.data.user.id}.`);

    // The list underneath now has one more; refresh it so "Back" shows it.
    const metadata = ZNewConnectionMetadata.safeParse(safeJson(submission.data.view.private_metadata));
    if (metadata.success) {
      await client.views.update({ view_id: metadata.data.listViewId, view: await listView(deps, context.teamId) }).catch((error: unknown) => {
        deps.logger.warn('Could not refresh the CRM connections list', error);
      });
    }
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
