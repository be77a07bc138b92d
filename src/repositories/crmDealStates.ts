import type { TDealSource } from '../domain/lostDeal';
import type { PrismaClient } from '../generated/prisma/client';
import { isUniqueViolation } from './errors';

/** 'stale': the CRM already reported a later change of this deal; this delivery is out of date. */
export type TDealChangeOrder = 'current' | 'stale';

export function createCrmDealStateRepository(prisma: PrismaClient) {
  return {
    /**
     * Records that a CRM reported the deal lost (or no longer lost) at `at`, unless a later change
     * is already recorded. A change at the same instant counts as current: it is a redelivery,
     * and what follows it is idempotent. The update is conditional on the stored time, so two
     * replicas racing on one deal cannot both move it backwards.
     */
    async recordChange(
      workspaceId: string,
      source: TDealSource,
      externalId: string,
      change: { lost: boolean; at: Date },
    ): Promise<TDealChangeOrder> {
      const advance = () =>
        prisma.crmDealState.updateMany({
          where: { workspaceId, source, externalId, changedAt: { lte: change.at } },
          data: { lost: change.lost, changedAt: change.at },
        });
      if ((await advance()).count > 0) return 'current';
      try {
        await prisma.crmDealState.create({ data: { workspaceId, source, externalId, lost: change.lost, changedAt: change.at } });
        return 'current';
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      // The row exists: either it is newer, or another delivery created it a moment ago.
      return (await advance()).count > 0 ? 'current' : 'stale';
    },
  };
}
export type TCrmDealStateRepository = ReturnType<typeof createCrmDealStateRepository>;
