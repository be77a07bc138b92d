import type { PrismaClient } from '../generated/prisma/client';
import { createDeliveryQueue, type TDeliveryQueue, type TDeliveryRequest } from './slackDeliveries';

export interface TStoredLesson {
  id: string;
  retroId: string;
  text: string;
  shareWithNewReps: boolean;
  source: 'outcome' | 'reply';
  /** For lessons marked from a thread reply: that reply's ts. */
  sourceMessageTs: string | null;
  position: number | null;
  /** Whose words these are (the reply's author, or who recorded the outcome). */
  authorSlackUserId: string | null;
  /** Who made it a lesson. */
  createdBySlackUserId: string;
  createdAt: Date;
}

export const lessonSelect = {
  id: true,
  retroId: true,
  text: true,
  shareWithNewReps: true,
  source: true,
  sourceMessageTs: true,
  position: true,
  authorSlackUserId: true,
  createdBySlackUserId: true,
  createdAt: true,
} as const;

export function createLessonRepository(prisma: PrismaClient, queue: TDeliveryQueue = createDeliveryQueue(prisma)) {
  return {
    /**
     * Keeps a thread reply as a lesson. Marking the same reply again updates the lesson (its
     * wording or the new-reps flag) instead of adding a second one.
     */
    async upsertFromReply(input: {
      retroId: string;
      sourceMessageTs: string;
      text: string;
      shareWithNewReps: boolean;
      authorSlackUserId: string | null;
      createdBySlackUserId: string;
    }, options: { deliveries?: () => TDeliveryRequest[] } = {}): Promise<{ lesson: TStoredLesson; created: boolean }> {
      const existing = await prisma.lesson.findUnique({
        where: { retroId_sourceMessageTs: { retroId: input.retroId, sourceMessageTs: input.sourceMessageTs } },
        select: { id: true },
      });
      // The outcome message that lists lessons (`deliveries`) is refreshed with the same transaction.
      const lesson = await queue.withDeliveries(
        (tx) =>
          tx.lesson.upsert({
            where: { retroId_sourceMessageTs: { retroId: input.retroId, sourceMessageTs: input.sourceMessageTs } },
            create: { ...input, source: 'reply' },
            update: { text: input.text, shareWithNewReps: input.shareWithNewReps, createdBySlackUserId: input.createdBySlackUserId },
            select: lessonSelect,
          }),
        options.deliveries && (() => options.deliveries?.() ?? []),
      );
      return { lesson, created: existing === null };
    },

    async findFromReply(retroId: string, sourceMessageTs: string): Promise<TStoredLesson | null> {
      return prisma.lesson.findUnique({ where: { retroId_sourceMessageTs: { retroId, sourceMessageTs } }, select: lessonSelect });
    },

    /** The outcome's lessons in their order, then those marked from replies, oldest first. */
    async listForRetro(retroId: string): Promise<TStoredLesson[]> {
      const rows = await prisma.lesson.findMany({
        where: { retroId },
        orderBy: [{ source: 'asc' }, { position: 'asc' }, { createdAt: 'asc' }],
        select: lessonSelect,
      });
      return rows;
    },
  };
}
export type TLessonRepository = ReturnType<typeof createLessonRepository>;
