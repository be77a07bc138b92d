import type { TPerspectiveAnswers, TPerspectiveRole } from '../domain/teamRetro';
import type { PrismaClient } from '../generated/prisma/client';
import { createDeliveryQueue, type TDeliveryQueue, type TDeliveryRequest } from './slackDeliveries';

export interface TStoredPerspective {
  id: string;
  retroId: string;
  authorSlackUserId: string;
  answers: TPerspectiveAnswers;
  messageTs: string | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

const perspectiveSelect = {
  id: true,
  retroId: true,
  authorSlackUserId: true,
  role: true,
  saw: true,
  wouldChange: true,
  anonymous: true,
  messageTs: true,
  revision: true,
  createdAt: true,
  updatedAt: true,
} as const;

type TPerspectiveRow = {
  id: string;
  retroId: string;
  authorSlackUserId: string;
  role: TPerspectiveRole;
  saw: string;
  wouldChange: string;
  anonymous: boolean;
  messageTs: string | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
};

function toStored(row: TPerspectiveRow): TStoredPerspective {
  const { role, saw, wouldChange, anonymous, ...rest } = row;
  return { ...rest, answers: { role, saw, wouldChange, anonymous } };
}

export function createPerspectiveRepository(prisma: PrismaClient, queue: TDeliveryQueue = createDeliveryQueue(prisma)) {
  return {
    async find(retroId: string, authorSlackUserId: string): Promise<TStoredPerspective | null> {
      const row = await prisma.perspective.findUnique({
        where: { retroId_authorSlackUserId: { retroId, authorSlackUserId } },
        select: perspectiveSelect,
      });
      return row ? toStored(row) : null;
    },

    /**
     * One perspective per author per retro: a second submission edits it and bumps the revision.
     * The `deliveries` showing it in the thread are queued in the same transaction.
     */
    async upsert(retroId: string, authorSlackUserId: string, answers: TPerspectiveAnswers, options: { deliveries?: (perspective: TStoredPerspective) => TDeliveryRequest[] } = {}): Promise<TStoredPerspective> {
      return queue.withDeliveries(
        async (tx) =>
          toStored(
            await tx.perspective.upsert({
              where: { retroId_authorSlackUserId: { retroId, authorSlackUserId } },
              create: { retroId, authorSlackUserId, ...answers },
              update: { ...answers, revision: { increment: 1 } },
              select: perspectiveSelect,
            }),
          ),
        options.deliveries,
      );
    },

    async setMessageTs(perspectiveId: string, messageTs: string): Promise<void> {
      await prisma.perspective.update({ where: { id: perspectiveId }, data: { messageTs } });
    },

    async listForRetro(retroId: string): Promise<TStoredPerspective[]> {
      const rows = await prisma.perspective.findMany({ where: { retroId }, orderBy: { createdAt: 'asc' }, select: perspectiveSelect });
      return rows.map(toStored);
    },
  };
}
export type TPerspectiveRepository = ReturnType<typeof createPerspectiveRepository>;
