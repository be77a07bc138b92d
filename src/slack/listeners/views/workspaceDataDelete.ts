import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { deleteWorkspaceData } from '../../../services/workspaceData';
import { settingsPermission } from '../../../services/workspaceSettings';
import { describeDeletion } from '../../blocks/workspaceData';
import { WORKSPACE_DATA_DELETE_INPUTS } from '../../ids';
import { isDeleteConfirmed, parseWorkspaceDataDeleteMetadata } from '../../parsers/workspaceDataDelete';
import { ZViewStateValues } from '../../parsers/viewState';
import type { TListenerDeps } from '../deps';

const ZSubmission = z.object({
  team: z.object({ id: z.string() }).nullable(),
  user: z.object({ id: z.string(), team_id: z.string().optional() }),
  view: z.object({ private_metadata: z.string().max(3000), state: z.object({ values: ZViewStateValues }) }),
});

const errorOn = (message: string) => ({ response_action: 'errors' as const, errors: { [WORKSPACE_DATA_DELETE_INPUTS.confirmation.block]: message } });

/** /losses data delete, confirmed: checks the typed name and the person, then deletes everything. */
export function createWorkspaceDataDeleteSubmissionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const submission = ZSubmission.safeParse(body);
    const metadata = submission.success ? parseWorkspaceDataDeleteMetadata(submission.data.view.private_metadata) : null;
    const slackTeamId = submission.success ? (submission.data.team?.id ?? submission.data.user.team_id) : undefined;
    if (!submission.success || !metadata || !slackTeamId || metadata.slackTeamId !== slackTeamId) {
      await ack(errorOn(`Slack sent this form in a shape I do not understand. Nothing was deleted; close it and run /losses data delete again.`));
      return;
    }
    const { user, view } = submission.data;
    if (!isDeleteConfirmed(view.state.values, metadata.confirmationText)) {
      await ack(errorOn(`Type ${metadata.confirmationText} exactly to confirm. Nothing was deleted.`));
      return;
    }
    // Within Slack's three seconds: whether they may still do this (an admin demoted since the modal opened).
    const permission = await settingsPermission({ client, managers: deps.managers, logger: deps.logger }, user.id);
    if (!permission.allowed) {
      await ack(errorOn("Only workspace admins and Debrief's managers can delete this workspace's data. Nothing was deleted."));
      return;
    }
    await ack();

    const now = deps.now?.() ?? new Date();
    let text: string;
    try {
      const result = await deleteWorkspaceData(
        { repos: deps.repos, logger: deps.logger, forgetSettings: (teamId) => deps.workspaceSettings.forget(teamId) },
        { slackTeamId, requestedBy: `${user.id} (${permission.as})`, now },
      );
      text = describeDeletion(result?.deleted ?? null);
    } catch (error) {
      deps.logger.error(`Deleting the data of workspace ${slackTeamId} failed; nothing was deleted (one transaction)`, error);
      text = ':warning: Deleting failed on my side, and nothing was deleted. Please try again in a minute.';
    }
    // A DM, not an ephemeral: a record of what was deleted that the person can find again.
    await client.chat.postMessage({ channel: user.id, text }).catch((error: unknown) => deps.logger.error(`Could not tell ${user.id} about the data delete`, error));
  };
}
