import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { sendWorkspaceExport } from '../../../services/workspaceData';
import { describeCounts } from '../../../domain/workspaceData';
import { settingsPermission } from '../../../services/workspaceSettings';
import { buildWorkspaceDataDeleteModal, DATA_REFUSED } from '../../blocks/workspaceData';
import { COMMANDS } from '../../ids';
import type { TWorkspaceDataDeleteMetadata } from '../../parsers/workspaceDataDelete';
import type { TListenerDeps } from '../deps';

// `/losses data export` and `/losses data delete`: a workspace's data on demand, for its admins and
// managers (the same people as /losses settings). Both run after the command is acknowledged.

export interface TDataCommand {
  slackTeamId: string;
  /** The workspace's Slack domain (the command's team_domain), typed to confirm a delete. */
  teamDomain: string;
  slackUserId: string;
  triggerId: string;
}

type TContext = { client: WebClient; respond: RespondFn };

/** Builds the export and uploads it to the requester's DM; the command was acked with "Preparing…". */
export async function answerDataExport(deps: TListenerDeps, { client, respond }: TContext, command: TDataCommand): Promise<void> {
  const permission = await settingsPermission({ client, managers: deps.managers, logger: deps.logger }, command.slackUserId);
  if (!permission.allowed) {
    await respond({ response_type: 'ephemeral', replace_original: true, text: DATA_REFUSED });
    return;
  }
  let text: string;
  try {
    const outcome = await sendWorkspaceExport({ repos: deps.repos, client, logger: deps.logger }, { slackTeamId: command.slackTeamId, slackUserId: command.slackUserId, now: deps.now?.() ?? new Date() });
    switch (outcome.kind) {
      case 'sent':
        text = `:inbox_tray: Sent this workspace's Debrief data to your DMs as JSON: ${describeCounts(outcome.summary.counts)}.`;
        break;
      case 'nothing_stored':
        text = ':inbox_tray: Debrief has stored nothing for this workspace yet: there is nothing to export.';
        break;
      case 'upload_failed':
        text = `:warning: I could not send the file (${outcome.error}). If this keeps happening, check that Debrief has the files:write scope.`;
        break;
    }
  } catch (error) {
    deps.logger.error(`Workspace data export failed for ${command.slackTeamId}`, error);
    text = ':warning: The export failed on my side. Please try again in a minute.';
  }
  await respond({ response_type: 'ephemeral', replace_original: true, text });
}

/** Opens the delete confirmation modal for admins and managers; others are refused. */
export async function openDataDelete(deps: TListenerDeps, { client, respond }: TContext, command: TDataCommand): Promise<void> {
  const permission = await settingsPermission({ client, managers: deps.managers, logger: deps.logger }, command.slackUserId);
  if (!permission.allowed) {
    await respond({ response_type: 'ephemeral', text: DATA_REFUSED });
    return;
  }
  const metadata: TWorkspaceDataDeleteMetadata = { slackTeamId: command.slackTeamId, confirmationText: command.teamDomain };
  const modal = { confirmationText: command.teamDomain, privateMetadata: JSON.stringify(metadata) };
  let opened;
  try {
    opened = await client.views.open({ trigger_id: command.triggerId, view: buildWorkspaceDataDeleteModal(modal) });
  } catch (error) {
    // The trigger lives three seconds; a slow permission check can outlast it.
    deps.logger.warn('Could not open the data delete modal', error);
    await respond({ response_type: 'ephemeral', text: `I could not open the confirmation in time. Please run \`${COMMANDS.losses} data delete\` again.` });
    return;
  }
  // Then what would go, in numbers: counting a big workspace can take longer than the trigger lives.
  const viewId = opened.view?.id;
  if (!viewId) return;
  try {
    const counts = await deps.repos.workspaceData.counts(command.slackTeamId);
    // The hash makes Slack refuse the update if the modal changed meanwhile; typed text is kept.
    await client.views.update({ view_id: viewId, ...(opened.view?.hash ? { hash: opened.view.hash } : {}), view: buildWorkspaceDataDeleteModal({ ...modal, counts }) });
  } catch (error) {
    deps.logger.warn('Could not show the counts in the data delete modal', error);
  }
}
