import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from '../../errors';
import type { TSlackMessage } from '../../slack/blocks/retro';
import { WorkspaceNotInstalledError } from '../../slack/clients';
import { PermanentJobError, type TReminderDeps } from './jobs';

// Slack's answers that mean this person cannot get a DM now or later: retrying would only repeat
// the error, so the reminder ends as failed (with the reason) instead of backing off for hours.
const UNREACHABLE_USER_ERRORS = new Set([
  'user_not_found',
  'account_inactive',
  'user_disabled',
  'cannot_dm_bot',
  'user_is_bot',
  'user_not_visible',
  'users_not_found',
]);

/** The workspace's client; a workspace that uninstalled Debrief gets no more reminders. */
export async function slackClientFor(deps: Pick<TReminderDeps, 'slackClients'>, workspace: { slackTeamId: string }): Promise<WebClient> {
  try {
    return await deps.slackClients.forTeam(workspace.slackTeamId);
  } catch (error) {
    if (error instanceof WorkspaceNotInstalledError) throw new PermanentJobError(error.message, { cause: error });
    throw error;
  }
}

/**
 * DMs a person: conversations.open for the DM channel, then chat.postMessage in it. Throws
 * PermanentJobError when the person cannot receive DMs; other errors (rate limits, Slack down)
 * are thrown as they are, for the runner to retry.
 */
export async function sendDirectMessage(client: WebClient, slackUserId: string, message: TSlackMessage): Promise<{ channel: string; ts: string | undefined }> {
  try {
    const opened = await client.conversations.open({ users: slackUserId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open answered without a channel id');
    const posted = await client.chat.postMessage({ channel, ...message, unfurl_links: false });
    return { channel, ts: posted.ts };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code && UNREACHABLE_USER_ERRORS.has(code)) {
      throw new PermanentJobError(`cannot DM ${slackUserId}: ${code}`, { cause: error });
    }
    throw error;
  }
}
