import type { TPerspectiveAnswers, TPerspectiveRole } from '../domain/teamRetro';
import type { PrismaClient } from '../generated/prisma/client';

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

export function createPerspectiveRepository(prisma: PrismaClient) {
  return {
    async find(retroId: string, authorSlackUserId: string): Promise<TStoredPerspective | null> {
      const row = await prisma.perspective.findUnique({
        where: { retroId_authorSlackUserId: { retroId, authorSlackUserId } },
        select: perspectiveSelect,
      });
      return row ? toStored(row) : null;
    },

    /** One perspective per author per retro: a second submission edits it and bumps the revision. */
    async upsert(retroId: string, authorSlackUserId: string, answers: TPerspectiveAnswers): Promise<TStoredPerspective> {
      const row = await prisma.perspective.upsert({
        where: { retroId_authorSlackUserId: { retroId, authorSlackUserId } },
        create: { retroId, authorSlackUserId, ...answers },
        update: { ...answers, revision: { increment: 1 } },
        select: perspectiveSelect,
      });
      return toStored(row);
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
