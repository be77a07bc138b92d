import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from '../../errors';
import type { TLogger } from '../../lib/logger';

/**
 * Tells one person something only they see, where they are: in the retro thread when they pressed
 * a button there. If Slack refuses (the person is not in the channel), a DM says it instead, so a
 * refusal is never silent.
 */
export async function tellPrivately(
  deps: { client: WebClient; logger: TLogger },
  target: { channelId: string; slackUserId: string; threadTs?: string | null },
  text: string,
): Promise<void> {
  try {
    await deps.client.chat.postEphemeral({
      channel: target.channelId,
      user: target.slackUserId,
      text,
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    });
  } catch (error) {
    deps.logger.warn(`chat.postEphemeral to ${target.slackUserId} failed (${slackErrorCode(error) ?? String(error)}); sending a DM instead`);
    await deps.client.chat.postMessage({ channel: target.slackUserId, text }).catch((dmError: unknown) => {
      deps.logger.error(`Could not tell ${target.slackUserId}: ${text}`, dmError);
    });
  }
}
