import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { slackTsToDate } from '../../../lib/dates';
import { recordThreadReply, recordThreadReplyDeletion, recordThreadReplyEdit } from '../../../services/threadReplies';
import { ZPostedMessage } from '../../parsers/message';
import type { TListenerDeps } from '../deps';
import { requestScope } from '../scope';

const ZThreadReply = ZPostedMessage.extend({
  subtype: z.literal('thread_broadcast').optional(),
  channel: z.string(),
  thread_ts: z.string(),
});

const ZReplyChanged = z.object({
  subtype: z.literal('message_changed'),
  channel: z.string(),
  message: ZPostedMessage.extend({ edited: z.object({ ts: z.string() }).optional() }),
});

const ZReplyDeleted = z.object({
  subtype: z.literal('message_deleted'),
  channel: z.string(),
  deleted_ts: z.string(),
  event_ts: z.string(),
  previous_message: z.object({ thread_ts: z.string().optional() }).optional(),
});

/** Keeps the discussion in retro threads: new replies, edits and deletions. */
export function createThreadMessageHandler(deps: TListenerDeps) {
  return async ({ event, context }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs): Promise<void> => {
    const reply = ZThreadReply.safeParse(event);
    if (reply.success) {
      const { channel, ts, thread_ts: threadTs, user, bot_id: botId, text } = reply.data;
      if (ts === threadTs || botId) return;
      await recordThreadReply(deps, { channelId: channel, threadTs, messageTs: ts, userId: user ?? null, text }, requestScope(context));
      return;
    }
    const changed = ZReplyChanged.safeParse(event);
    if (changed.success) {
      const { message, channel } = changed.data;
      // Slack also sends message_changed when it unfurls a link or when Debrief updates its own
      // messages; only a person's edit (it carries `edited`) changes what they said.
      if (!message.thread_ts || message.thread_ts === message.ts || message.bot_id || !message.edited) return;
      await recordThreadReplyEdit(deps, {
        channelId: channel,
        threadTs: message.thread_ts,
        messageTs: message.ts,
        userId: message.user ?? null,
        text: message.text,
        editedAt: slackTsToDate(message.edited.ts),
      }, requestScope(context));
      return;
    }
    const deleted = ZReplyDeleted.safeParse(event);
    if (deleted.success && deleted.data.previous_message?.thread_ts) {
      await recordThreadReplyDeletion(deps, {
        channelId: deleted.data.channel,
        threadTs: deleted.data.previous_message.thread_ts,
        messageTs: deleted.data.deleted_ts,
        deletedAt: slackTsToDate(deleted.data.event_ts),
      }, requestScope(context));
    }
  };
}
