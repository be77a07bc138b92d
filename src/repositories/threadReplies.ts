import type { PrismaClient } from '../generated/prisma/client';
import { isUniqueViolation } from './errors';

export interface TThreadReply {
  retroId: string;
  messageTs: string;
  authorSlackUserId: string | null;
  text: string;
  postedAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

const replySelect = {
  retroId: true,
  messageTs: true,
  authorSlackUserId: true,
  text: true,
  postedAt: true,
  editedAt: true,
  deletedAt: true,
} as const;

export function createThreadReplyRepository(prisma: PrismaClient) {
  return {
    async add(reply: Omit<TThreadReply, 'editedAt' | 'deletedAt'>): Promise<void> {
      try {
        await prisma.threadReply.create({ data: reply });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    },

    /**
     * Applies an edit. An edit of a reply Debrief never saw (it was posted before the bot joined,
     * or its event was lost) adds the reply as edited, so the discussion is complete either way.
     * An edit older than the one stored (events can arrive out of order) changes nothing.
     */
    async edit(reply: { retroId: string; messageTs: string; authorSlackUserId: string | null; text: string; postedAt: Date; editedAt: Date }): Promise<void> {
      const { retroId, messageTs, text, editedAt } = reply;
      const { count } = await prisma.threadReply.updateMany({
        where: { retroId, messageTs, deletedAt: null, OR: [{ editedAt: null }, { editedAt: { lte: editedAt } }] },
        data: { text, editedAt },
      });
      if (count > 0) return;
      try {
        await prisma.threadReply.create({ data: reply });
      } catch (error) {
        // It exists: deleted, or edited later than this edit. Either way the stored row is newer.
        if (!isUniqueViolation(error)) throw error;
      }
    },

    /** Deleted replies keep their row (marked) so a retro's history is never silently rewritten. */
    async markDeleted(retroId: string, messageTs: string, deletedAt: Date): Promise<void> {
      await prisma.threadReply.updateMany({ where: { retroId, messageTs }, data: { deletedAt, text: '' } });
    },

    async listForRetro(retroId: string): Promise<TThreadReply[]> {
      return prisma.threadReply.findMany({ where: { retroId }, orderBy: { postedAt: 'asc' }, select: replySelect });
    },
  };
}
export type TThreadReplyRepository = ReturnType<typeof createThreadReplyRepository>;
