import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import { z } from 'zod';
import { slackErrorCode } from '../errors';
import type { TLogger } from '../lib/logger';
import { classifyFailure } from './retryPolicy';

// Posting a message exactly once although a delivery may be tried again after Slack accepted it
// (the answer was lost, or the instance died before storing the ts). Each post carries message
// metadata naming it; a retry first looks for a message with that name and adopts its ts.

export const DELIVERY_EVENT_TYPE = 'debrief_delivery';

const ZMessages = z.looseObject({
  messages: z
    .array(
      z.looseObject({
        ts: z.string(),
        metadata: z.looseObject({ event_type: z.string(), event_payload: z.looseObject({ key: z.string().optional() }) }).optional(),
      }),
    )
    .default([]),
});

/** What a handler needs to post without duplicates. */
export interface TPostOnceContext {
  client: WebClient;
  /** True when an earlier attempt of this delivery may already have posted (it was claimed before). */
  mayHavePosted: boolean;
}

/** The ts of the message named `marker` in the channel (or in the thread of threadTs), if there is one. */
export async function findPostedMessage(client: WebClient, input: { channel: string; threadTs?: string; marker: string }): Promise<string | null> {
  const answer = input.threadTs
    ? await client.conversations.replies({ channel: input.channel, ts: input.threadTs, include_all_metadata: true, limit: 200 })
    : await client.conversations.history({ channel: input.channel, include_all_metadata: true, limit: 200 });
  const { messages } = ZMessages.parse(answer);
  const found = messages.find((message) => message.metadata?.event_type === DELIVERY_EVENT_TYPE && message.metadata.event_payload.key === input.marker);
  return found?.ts ?? null;
}

/**
 * Posts a channel or thread message named `marker` (unique to the thing it shows, e.g.
 * "retro.parent:<id>") and returns its ts. When an earlier attempt may have posted it, the
 * message is looked up first and adopted instead of posted again.
 */
export async function postOnce(
  context: TPostOnceContext,
  marker: string,
  message: ChatPostMessageArguments & { channel: string; thread_ts?: string },
): Promise<string> {
  if (context.mayHavePosted) {
    const adopted = await findPostedMessage(context.client, { channel: message.channel, threadTs: message.thread_ts, marker });
    if (adopted) return adopted;
  }
  const posted = await context.client.chat.postMessage({ ...message, metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: marker } } });
  if (!posted.ts) throw new Error(`chat.postMessage answered without a ts for ${marker}`);
  return posted.ts;
}

/**
 * Runs a Slack call whose failure must not hold up the rest of a delivery (a status line on the
 * parent, a DM): a permanent error is logged and skipped, a passing one thrown so the delivery is
 * retried.
 */
export async function unlessPermanent(logger: TLogger, what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (classifyFailure(error).action !== 'give_up') throw error;
    logger.warn(`Could not ${what}: ${slackErrorCode(error) ?? String(error)}`);
  }
}
