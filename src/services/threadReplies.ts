import type { TLogger } from '../lib/logger';
import type { TRepositories } from '../repositories';
import { slackTsToDate } from '../lib/dates';
import type { TWorkspaceScope } from '../repositories/scope';

export interface TThreadMessage {
  channelId: string;
  threadTs: string;
  messageTs: string;
  userId: string | null;
  text: string;
}

/** Keeps what people write in a retro thread with the retro; other threads are none of ours. */
export async function recordThreadReply(
  deps: { repos: TRepositories; logger: TLogger },
  message: TThreadMessage,
  scope: TWorkspaceScope,
): Promise<boolean> {
  const retro = await deps.repos.retros.findByThread(message.channelId, message.threadTs, scope);
  if (!retro) return false;
  await deps.repos.threadReplies.add({
    retroId: retro.id,
    messageTs: message.messageTs,
    authorSlackUserId: message.userId,
    text: message.text,
    postedAt: slackTsToDate(message.messageTs),
  });
  return true;
}

export async function recordThreadReplyEdit(
  deps: { repos: TRepositories },
  edit: { channelId: string; threadTs: string; messageTs: string; userId: string | null; text: string; editedAt: Date },
  scope: TWorkspaceScope,
): Promise<void> {
  const retro = await deps.repos.retros.findByThread(edit.channelId, edit.threadTs, scope);
  if (!retro) return;
  await deps.repos.threadReplies.edit({
    retroId: retro.id,
    messageTs: edit.messageTs,
    authorSlackUserId: edit.userId,
    text: edit.text,
    postedAt: slackTsToDate(edit.messageTs),
    editedAt: edit.editedAt,
  });
}

export async function recordThreadReplyDeletion(
  deps: { repos: TRepositories },
  deletion: { channelId: string; threadTs: string; messageTs: string; deletedAt: Date },
  scope: TWorkspaceScope,
): Promise<void> {
  const retro = await deps.repos.retros.findByThread(deletion.channelId, deletion.threadTs, scope);
  if (retro) await deps.repos.threadReplies.markDeleted(retro.id, deletion.messageTs, deletion.deletedAt);
}
