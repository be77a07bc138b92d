import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { validateWorkspaceSettings } from '../../../domain/workspaceSettings';
import { retroChannelProblem, saveWorkspaceSettings, settingsPermission } from '../../../services/workspaceSettings';
import { describeSavedWorkspaceSettings } from '../../blocks/workspaceSettingsModal';
import { WORKSPACE_SETTINGS_INPUTS } from '../../ids';
import { parseWorkspaceSettingsMetadata, readWorkspaceSettingsAnswers } from '../../parsers/workspaceSettings';
import { toBlockErrors, ZViewStateValues } from '../../parsers/viewState';
import type { TListenerDeps } from '../deps';
import { tellPrivately } from '../ephemeral';

const ZSubmission = z.object({
  team: z.object({ id: z.string() }).nullable(),
  user: z.object({ id: z.string(), team_id: z.string().optional() }),
  view: z.object({ private_metadata: z.string().max(3000), state: z.object({ values: ZViewStateValues }) }),
});

/** Saves /losses settings; every problem is shown on its field, the modal staying open. */
export function createWorkspaceSettingsSubmissionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const submission = ZSubmission.safeParse(body);
    const metadata = submission.success ? parseWorkspaceSettingsMetadata(submission.data.view.private_metadata) : null;
    const slackTeamId = submission.success ? (submission.data.team?.id ?? submission.data.user.team_id) : undefined;
    if (!submission.success || !metadata || !slackTeamId) {
      await ack({ response_action: 'errors', errors: { [WORKSPACE_SETTINGS_INPUTS.retroChannelId.block]: 'Slack sent this form in a shape I do not understand. Close it and run /losses settings again.' } });
      return;
    }
    const { user, view } = submission.data;
    const validated = validateWorkspaceSettings(readWorkspaceSettingsAnswers(view.state.values, metadata));
    if (!validated.ok) {
      await ack({ response_action: 'errors', errors: toBlockErrors(validated.errors, WORKSPACE_SETTINGS_INPUTS) });
      return;
    }
    // Both within Slack's three seconds: whether they may still save (an admin demoted since the
    // modal opened) and whether Debrief can post in the channel they chose.
    const [permission, channelProblem] = await Promise.all([
      settingsPermission({ client, managers: deps.managers, logger: deps.logger }, user.id),
      retroChannelProblem(client, validated.value.retroChannelId),
    ]);
    if (!permission.allowed) {
      await ack({ response_action: 'errors', errors: { [WORKSPACE_SETTINGS_INPUTS.retroChannelId.block]: "Only workspace admins and Debrief's managers can change these settings." } });
      return;
    }
    if (channelProblem) {
      await ack({ response_action: 'errors', errors: { [WORKSPACE_SETTINGS_INPUTS.retroChannelId.block]: channelProblem } });
      return;
    }
    await ack();

    await saveWorkspaceSettings({ repos: deps.repos, settings: deps.workspaceSettings }, { slackTeamId, slackUserId: user.id, values: validated.value, at: deps.now?.() ?? new Date() });
    deps.logger.info(`Workspace ${slackTeamId}: settings saved by ${user.id} (${permission.as}).`);
    await tellPrivately({ client, logger: deps.logger }, { channelId: metadata.channelId, slackUserId: user.id }, describeSavedWorkspaceSettings(validated.value));
  };
}
