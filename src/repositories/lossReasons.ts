import type { PrismaClient } from '../generated/prisma/client';
import { workspaceWhere, type TWorkspaceScope } from './scope';

// The loss reasons a workspace edited in /losses settings. No rows: the workspace still uses the
// built-in reasons (services/lossReasons.ts fills them in). Rows are never deleted, so every value
// a debrief or outcome stored keeps its label.

export interface TStoredLossReason {
  value: string;
  label: string;
  position: number;
  retiredAt: Date | null;
}

export function createLossReasonRepository(prisma: PrismaClient) {
  return {
    /** The workspace's reasons in their order; empty when it never edited them. */
    async list(scope: TWorkspaceScope): Promise<TStoredLossReason[]> {
      return prisma.lossReason.findMany({
        where: workspaceWhere(scope),
        select: { value: true, label: true, position: true, retiredAt: true },
        orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
      });
    },

    /**
     * Writes the given reasons (only those an edit changed), together or not at all. Keyed by
     * value, so two people editing different reasons at the same moment do not undo each other.
     */
    async save(workspaceId: string, reasons: readonly TStoredLossReason[]): Promise<void> {
      if (reasons.length === 0) return;
      await prisma.$transaction(async (tx) => {
        for (const reason of reasons) {
          await tx.lossReason.upsert({
            where: { workspaceId_value: { workspaceId, value: reason.value } },
            create: { workspaceId, ...reason },
            update: { label: reason.label, position: reason.position, retiredAt: reason.retiredAt },
            select: { id: true },
          });
        }
      });
    },
  };
}
