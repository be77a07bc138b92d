import type { PrismaClient } from '../generated/prisma/client';
import { isoDateToUtcDate } from '../lib/dates';

// The reads and the one write the "action items due today" reminder needs. ActionItem rows
// belong to the team retro (repositories/actionItems.ts, retroOutcomes.ts); this only looks at
// open items due on a day and records that their owner was reminded.

export interface TDueActionItem {
  id: string;
  text: string;
  dealName: string;
  /** The retro thread, for the link in the DM; null when Slack never gave a permalink. */
  threadUrl: string | null;
}

/** Open, not yet reminded, due that day, in the workspace (through the retro it came from). */
function unsentDueWhere(workspaceId: string, dueOn: string) {
  return { dueOn: isoDateToUtcDate(dueOn), doneAt: null, dueReminderSentAt: null, retro: { workspaceId } } as const;
}

export function createDueActionItemRepository(prisma: PrismaClient) {
  return {
    /** Who has open action items due that day that nobody reminded them of yet. */
    async ownersWithUnsentItems(workspaceId: string, dueOn: string): Promise<string[]> {
      const rows = await prisma.actionItem.findMany({
        where: unsentDueWhere(workspaceId, dueOn),
        distinct: ['ownerSlackUserId'],
        orderBy: { ownerSlackUserId: 'asc' },
        select: { ownerSlackUserId: true },
      });
      return rows.map((row) => row.ownerSlackUserId);
    },

    async listUnsent(workspaceId: string, ownerSlackUserId: string, dueOn: string): Promise<TDueActionItem[]> {
      const rows = await prisma.actionItem.findMany({
        where: { ...unsentDueWhere(workspaceId, dueOn), ownerSlackUserId },
        orderBy: [{ createdAt: 'asc' }, { position: 'asc' }],
        select: { id: true, text: true, retro: { select: { permalink: true, deal: { select: { name: true } } } } },
      });
      return rows.map((row) => ({ id: row.id, text: row.text, dealName: row.retro.deal.name, threadUrl: row.retro.permalink }));
    },

    /** Records that the owner was reminded of these items, so no later pass reminds them again. */
    async markReminded(itemIds: string[], at: Date): Promise<number> {
      const { count } = await prisma.actionItem.updateMany({ where: { id: { in: itemIds }, dueReminderSentAt: null }, data: { dueReminderSentAt: at } });
      return count;
    },
  };
}
export type TDueActionItemRepository = ReturnType<typeof createDueActionItemRepository>;
