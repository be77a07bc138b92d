import { z } from 'zod';

/** A message as Slack describes it inside events and message shortcuts: who or what wrote it, where in a thread. */
export const ZPostedMessage = z.object({
  ts: z.string(),
  thread_ts: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().default(''),
});
