import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { describeMoment, nextDuePeriod } from '../../../domain/digest/period';
import { dueDigestOf, effectiveDigestSettings } from '../../../services/digest/digestSchedule';
import { describeClock, validateDigestSettings, type TValidDigestSettings } from '../../../domain/digest/settings';
import { slackErrorCode } from '../../../errors';
import { DIGEST_SETTINGS_INPUTS } from '../../ids';
import { parseDigestSettingsMetadata, readDigestSettingsAnswers } from '../../parsers/digestSettings';
import { toBlockErrors, ZViewStateValues } from '../../parsers/viewState';
import type { TListenerDeps } from '../deps';
import { tellPrivately } from '../ephemeral';

const ZSubmission = z.object({
  team: z.object({ id: z.string() }).nullable(),
  user: z.object({ id: z.string(), team_id: z.string().optional() }),
  view: z.object({ private_metadata: z.string(), state: z.object({ values: ZViewStateValues }) }),
});

/**
 * Why Debrief could not post in the channel, or null when it can (or Slack would not say). Reading
 * one message needs only the history scopes Debrief already has, and fails the same way posting would.
 */
async function channelProblem(client: WebClient, channelId: string): Promise<string | null> {
  try {
    await client.conversations.history({ channel: channelId, limit: 1 });
    return null;
  } catch (error) {
    switch (slackErrorCode(error)) {
      case 'not_in_channel':
        return `I'm not in <#${channelId}> yet: invite me there with \`/invite @Debrief\`, or the digest cannot be posted.`;
      case 'channel_not_found':
        // A private channel Debrief is not in looks like no channel at all.
        return `I can't see <#${channelId}>: if it is private, invite me there with \`/invite @Debrief\`, or the digest cannot be posted.`;
      case 'is_archived':
        return `<#${channelId}> is archived, so the digest cannot go there. Pick another channel.`;
      default:
        return null;
    }
  }
}

/** Saves the digest settings a manager submitted; errors are shown on the fields. */
export function createDigestSettingsSubmissionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const submission = ZSubmission.safeParse(body);
    const metadata = submission.success ? parseDigestSettingsMetadata(submission.data.view.private_metadata) : null;
    if (!submission.success || !metadata) {
      await ack({ response_action: 'errors', errors: { [DIGEST_SETTINGS_INPUTS.channelId.block]: 'Slack sent this form in a shape I do not understand. Close it and run /losses digest settings again.' } });
      return;
    }
    const { user, team, view } = submission.data;
    const validated = validateDigestSettings(readDigestSettingsAnswers(view.state.values));
    if (!validated.ok) {
      await ack({ response_action: 'errors', errors: toBlockErrors(validated.errors, DIGEST_SETTINGS_INPUTS) });
      return;
    }
    // Only managers get the modal; a manager removed from the group since then must not save.
    if (!(await deps.managers.isManager(client, user.id))) {
      await ack({ response_action: 'errors', errors: { [DIGEST_SETTINGS_INPUTS.channelId.block]: 'Only managers can change the weekly digest.' } });
      return;
    }
    await ack();

    const workspace = await deps.repos.workspaces.ensure(team?.id ?? user.team_id ?? 'unknown');
    await deps.repos.digests.saveSettings(workspace.id, validated.value, user.id);
    const confirmation = await describeSavedSettings(deps, client, workspace.id, validated.value);
    await tellPrivately({ client, logger: deps.logger }, { channelId: metadata.channelId, slackUserId: user.id }, confirmation);
  };
}

async function describeSavedSettings(deps: TListenerDeps, client: WebClient, workspaceId: string, settings: TValidDigestSettings): Promise<string> {
  if (!settings.enabled) return ':white_check_mark: Saved. The weekly loss digest is paused: nothing is posted until a manager turns it back on.';
  const now = deps.now?.() ?? new Date();
  const lines = [`:white_check_mark: Saved. The weekly loss digest goes to <#${settings.channelId}> on ${describeClock(settings)}.`];
  // Moving the day earlier can make last week's digest due already: the scheduler catches it up.
  const workspace = await deps.repos.digests.findWorkspace(workspaceId);
  const due = workspace ? dueDigestOf(workspace, effectiveDigestSettings(workspace, deps.digest), now) : null;
  const alreadyOut = due ? await deps.repos.digests.findPosted(workspaceId, due.period.label) : null;
  if (due && !alreadyOut) {
    lines.push(`The digest for ${due.period.label} has not gone out yet, so it goes out within a minute.`);
  } else {
    const next = nextDuePeriod(now, settings);
    lines.push(`The next one, for ${next.period.label}, goes out ${describeMoment(next.dueAt, settings.timeZone)}.`);
  }
  const problem = await channelProblem(client, settings.channelId);
  if (problem) lines.push(`:warning: ${problem}`);
  return lines.join(' ');
}
