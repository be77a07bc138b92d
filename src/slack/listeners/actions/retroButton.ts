import type { RespondFn } from '@slack/bolt';
import { z } from 'zod';
import type { TLogger } from '../../../lib/logger';

/** A button in a retro thread (or a DM about a retro) whose value is the retro's id. */
export const ZRetroButtonAction = z.object({
  trigger_id: z.string(),
  user: z.object({ id: z.string() }),
  channel: z.object({ id: z.string() }).optional(),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ value: z.uuid() })).min(1),
});
export type TRetroButtonAction = z.infer<typeof ZRetroButtonAction>;

export const OUT_OF_DATE_BUTTON = 'That button is out of date. Open the retro thread and try again.';

/** Where to answer privately: where the button was pressed, in the retro thread when it was there. */
export function privateReplyTarget(action: TRetroButtonAction, retro: { channelId: string; messageTs: string | null }) {
  const channelId = action.channel?.id ?? retro.channelId;
  const threadTs = action.message?.thread_ts ?? (channelId === retro.channelId ? retro.messageTs : null);
  return { channelId, slackUserId: action.user.id, threadTs };
}

/**
 * The pressed retro button, or undefined after telling the presser privately that the button is
 * out of date (an unreadable payload usually means a message from an older version of Debrief).
 */
export async function readRetroButton(
  body: unknown,
  how: { name: string; respond: RespondFn; logger: TLogger },
): Promise<TRetroButtonAction | undefined> {
  const action = ZRetroButtonAction.safeParse(body);
  if (action.success) return action.data;
  how.logger.warn(`${how.name} pressed with an unreadable payload`, action.error.issues);
  await how.respond({ response_type: 'ephemeral', replace_original: false, text: OUT_OF_DATE_BUTTON });
  return undefined;
}
