import type { AllMiddlewareArgs, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { authorizeLessonMarking } from '../../../services/teamRetro';
import { buildMarkLessonModal } from '../../blocks/teamRetro';
import { ZPostedMessage } from '../../parsers/message';
import type { TListenerDeps } from '../deps';
import { tellPrivately } from '../ephemeral';
import { requestScope } from '../scope';

const ZMessageShortcut = z.object({
  type: z.literal('message_action'),
  trigger_id: z.string(),
  user: z.object({ id: z.string() }),
  channel: z.object({ id: z.string() }),
  message: ZPostedMessage,
});

/**
 * "Mark as lesson" on a reply in a retro thread. Managers get a small modal to trim the reply to
 * the sentence worth keeping; everyone else is told, privately, who can do it.
 */
export function createMarkAsLessonShortcutHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackShortcutMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const shortcut = ZMessageShortcut.safeParse(body);
    if (!shortcut.success) {
      deps.logger.warn('mark_as_lesson used with an unreadable payload', shortcut.error.issues);
      return;
    }
    const { user, channel, message, trigger_id: triggerId } = shortcut.data;
    const tell = (text: string, threadTs?: string) => tellPrivately({ client, logger: deps.logger }, { channelId: channel.id, slackUserId: user.id, threadTs }, text);

    const retro = message.thread_ts ? await deps.repos.retros.findByThread(channel.id, message.thread_ts, requestScope(context)) : null;
    if (!retro || message.ts === message.thread_ts) {
      await tell('*Mark as lesson* works on replies in a retro thread. Open the thread of a lost deal and use it on a reply there.', message.thread_ts);
      return;
    }
    const permission = await authorizeLessonMarking({ client, managers: deps.managers }, { slackUserId: user.id });
    if (!permission.allowed) {
      await tell(permission.explanation, message.thread_ts);
      return;
    }
    const existing = await deps.repos.lessons.findFromReply(retro.id, message.ts);
    await client.views.open({
      trigger_id: triggerId,
      view: buildMarkLessonModal({
        retroId: retro.id,
        messageTs: message.ts,
        // Words from a bot message (Debrief's own summaries included) are nobody's to credit.
        authorSlackUserId: message.bot_id ? null : (message.user ?? null),
        text: existing?.text ?? message.text,
        shareWithNewReps: existing?.shareWithNewReps ?? false,
        alreadyMarked: existing !== null,
      }),
    });
  };
}
