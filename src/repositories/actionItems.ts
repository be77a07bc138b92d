import type { PrismaClient } from '../generated/prisma/client';
import { toIsoDate } from '../lib/dates';

export interface TStoredActionItem {
  id: string;
  retroId: string;
  text: string;
  ownerSlackUserId: string;
  /** YYYY-MM-DD */
  dueOn: string;
  position: number;
  doneAt: Date | null;
  createdBySlackUserId: string;
}

export const actionItemSelect = {
  id: true,
  retroId: true,
  text: true,
  ownerSlackUserId: true,
  dueOn: true,
  position: true,
  doneAt: true,
  createdBySlackUserId: true,
} as const;

export function toStoredActionItem(row: Omit<TStoredActionItem, 'dueOn'> & { dueOn: Date }): TStoredActionItem {
  return { ...row, dueOn: toIsoDate(row.dueOn) };
}

export function createActionItemRepository(prisma: PrismaClient) {
  return {
    async listForRetro(retroId: string): Promise<TStoredActionItem[]> {
      const rows = await prisma.actionItem.findMany({ where: { retroId }, orderBy: { position: 'asc' }, select: actionItemSelect });
      return rows.map(toStoredActionItem);
    },
  };
}
export type TActionItemRepository = ReturnType<typeof createActionItemRepository>;
