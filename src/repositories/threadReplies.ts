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

    async edit(retroId: string, messageTs: string, text: string, editedAt: Date): Promise<void> {
      await prisma.threadReply.updateMany({ where: { retroId, messageTs }, data: { text, editedAt } });
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
