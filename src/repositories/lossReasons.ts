import type { PrismaClient } from '../generated/prisma/client';
import { joinPeerInvalidation } from '../lib/peerInvalidation';
import { createTtlCache } from '../lib/ttlCache';
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

/**
 * How long a workspace's reasons are reused without reading them again. Every modal, summary and
 * search names reasons, several of them before Slack is answered; edits are rare. The instance that
 * saves forgets at once (both threads of a WORK_THREAD process); other replicas within this long.
 */
export const LOSS_REASONS_TTL_MS = 30_000;

export function createLossReasonRepository(prisma: PrismaClient, options: { peerChannel?: string } = {}) {
  const cache = createTtlCache<string, TStoredLossReason[]>({ maxEntries: 5000 });
  // Bumped by every save: a read that started before it must not store what it read.
  let generation = 0;
  const forgetAll = () => {
    generation += 1;
    cache.clear();
  };
  // Scopes name a workspace by id or by team, so a save forgets every workspace's copy (edits are rare).
  const peers = joinPeerInvalidation(options.peerChannel, forgetAll);

  function read(scope: TWorkspaceScope): Promise<TStoredLossReason[]> {
    return prisma.lossReason.findMany({
      where: workspaceWhere(scope),
      select: { value: true, label: true, position: true, retiredAt: true },
      orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
    });
  }

  return {
    /** The workspace's reasons in their order; empty when it never edited them. Cached (LOSS_REASONS_TTL_MS). */
    async list(scope: TWorkspaceScope): Promise<TStoredLossReason[]> {
      const key = 'workspaceId' in scope ? `workspace:${scope.workspaceId}` : `team:${scope.slackTeamId}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const readIn = generation;
      const rows = await read(scope);
      if (readIn === generation) cache.set(key, rows, LOSS_REASONS_TTL_MS);
      return rows;
    },

    /** The same, read from the database now: what an edit is applied to. */
    listFresh: read,

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
      forgetAll();
      peers.announce('*');
    },
  };
}
