import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { isTransactionConflict } from './errors';

// The outbox of Slack writes. A stored change that must show in Slack writes a delivery row in the
// same transaction (enqueueDeliveries with the transaction's client), so a crash can never leave
// a change stored but never shown. The outbox worker then delivers each row in three steps, each
// conditional on its claim, so that several instances never deliver one row at once:
//   1. claimDue: mark due, unclaimed (or lease-expired) rows as ours, with a lease;
//   2. the handler of the row's kind posts or updates the messages;
//   3. complete / retryLater / bury, each only while the claim is still ours.
// An instance that dies between 1 and 3 leaves the lease to expire; the row is then claimed again,
// and its handler looks for a message that may have gone out before posting (see slackWrites).

/**
 * claimDue failed after its claim may have been stored (the database went away before its answer
 * with the claimed rows arrived): rows may be leased to `claimedBy` with nobody working on them.
 * releaseClaim hands them back once the database answers.
 */
export class UnreadClaimError extends Error {
  constructor(
    readonly claimedBy: string,
    cause: unknown,
  ) {
    super(`A claim of due deliveries could not be read back: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'UnreadClaimError';
  }
}

/** A database handle: the client, or the client of a transaction in progress. */
export type TDeliveryDb = Pick<PrismaClient, '$executeRaw'> | Prisma.TransactionClient;

export type TDeliveryState = 'pending' | 'delivered' | 'dead';

export interface TDeliveryRequest {
  workspaceId: string;
  kind: string;
  /** One row per thing shown in Slack, e.g. "debrief.summary:<debrief id>". */
  key: string;
  /**
   * Ids, as a rule: the handler reads the current state when it delivers. Work that stores what a
   * form said (a hand-logged loss) carries the answers themselves, validated, as JSON.
   */
  payload: Record<string, unknown>;
}

/** The delivery of `kind` about one retro: one row per retro and kind, whose payload is the retro's id. */
export function retroDelivery(kind: string, retro: { id: string; workspaceId: string }): TDeliveryRequest {
  return { workspaceId: retro.workspaceId, kind, key: `${kind}:${retro.id}`, payload: { retroId: retro.id } };
}

/** The payload of a retroDelivery, as its handler reads it back. */
export const ZRetroDeliveryPayload = z.object({ retroId: z.string() });

export interface TSlackDelivery {
  id: string;
  workspaceId: string;
  kind: string;
  key: string;
  payload: unknown;
  state: TDeliveryState;
  version: number;
  progress: Record<string, unknown>;
  attempts: number;
  availableAt: Date;
  claimedBy: string | null;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** A row this worker holds: it can only be completed while `claimedBy` and `version` still match. */
export type TClaimedDelivery = TSlackDelivery & { claimedBy: string };

const deliverySelect = {
  id: true,
  workspaceId: true,
  kind: true,
  key: true,
  payload: true,
  state: true,
  version: true,
  progress: true,
  attempts: true,
  availableAt: true,
  claimedBy: true,
  leaseExpiresAt: true,
  lastError: true,
  deliveredAt: true,
  createdAt: true,
} as const;

type TDeliveryRow = Omit<TSlackDelivery, 'state' | 'progress'> & { state: string; progress: unknown };

function toDelivery(row: TDeliveryRow): TSlackDelivery {
  const progress = typeof row.progress === 'object' && row.progress !== null && !Array.isArray(row.progress) ? (row.progress as Record<string, unknown>) : {};
  return { ...row, state: row.state as TDeliveryState, progress };
}

/**
 * Queues deliveries, with the client of the transaction that stores the change they show. A key
 * already pending is coalesced (its version goes up, so a delivery in flight runs once more with
 * the latest state); a key delivered or dead is armed again (an edit to show, a retry by hand).
 * Steps already done (progress) are kept: a DM sent once is not sent again.
 */
export async function enqueueDeliveries(db: TDeliveryDb, requests: TDeliveryRequest[], now: Date = new Date()): Promise<void> {
  for (const request of requests) {
    await db.$executeRaw`
      INSERT INTO slack_deliveries (id, workspace_id, kind, key, payload, state, version, attempts, available_at, created_at, updated_at)
      VALUES (${randomUUID()}::uuid, ${request.workspaceId}::uuid, ${request.kind}, ${request.key}, ${JSON.stringify(request.payload)}::jsonb,
              'pending', 1, 0, ${now}, ${now}, ${now})
      ON CONFLICT (key) DO UPDATE SET
        payload = EXCLUDED.payload,
        version = slack_deliveries.version + 1,
        attempts = CASE WHEN slack_deliveries.state = 'pending' THEN slack_deliveries.attempts ELSE 0 END,
        available_at = CASE WHEN slack_deliveries.state = 'pending' THEN slack_deliveries.available_at ELSE EXCLUDED.available_at END,
        last_error = CASE WHEN slack_deliveries.state = 'pending' THEN slack_deliveries.last_error ELSE NULL END,
        state = 'pending',
        updated_at = EXCLUDED.updated_at`;
  }
}

const MAX_CONFLICT_ATTEMPTS = 3;

/** Queues deliveries with the change they show, in one transaction; wakes the worker once it commits. */
export interface TDeliveryQueue {
  /**
   * Runs `work` in a transaction and queues, in the same transaction, the deliveries its result
   * calls for: either both are stored or neither is. With no deliveries it simply runs `work`.
   */
  withDeliveries<T>(work: (tx: Prisma.TransactionClient) => Promise<T>, deliveries: ((result: T) => TDeliveryRequest[]) | undefined): Promise<T>;
  /** Tells the worker that rows were queued (after a transaction of a repository's own). */
  queued(): void;
}

export function createDeliveryQueue(prisma: PrismaClient, onQueued: () => void = () => undefined): TDeliveryQueue {
  return {
    async withDeliveries(work, deliveries) {
      if (!deliveries) return work(prisma);
      for (let attempt = 1; ; attempt += 1) {
        try {
          let count = 0;
          const result = await prisma.$transaction(async (tx) => {
            const value = await work(tx);
            const requests = deliveries(value);
            count = requests.length;
            await enqueueDeliveries(tx, requests);
            return value;
          });
          if (count > 0) onQueued();
          return result;
        } catch (error) {
          // Rolled back whole by a deadlock with another writer: nothing was stored, so run it again.
          if (!isTransactionConflict(error) || attempt === MAX_CONFLICT_ATTEMPTS) throw error;
        }
      }
    },
    queued: onQueued,
  };
}

/** @param ensureWorkspace stores a team seen for the first time (the workspaces repository's ensure). */
export function createSlackDeliveryRepository(prisma: PrismaClient, queue: TDeliveryQueue, ensureWorkspace: (slackTeamId: string) => Promise<unknown>) {
  async function findByKey(key: string): Promise<TSlackDelivery | null> {
    const row = await prisma.slackDelivery.findUnique({ where: { key }, select: deliverySelect });
    return row ? toDelivery(row) : null;
  }

  return {
    findByKey,

    /** The row of `key` once it is delivered or given up, or null if it is not by then (polled every 25 ms). */
    async settled(key: string, timeoutMs: number): Promise<TSlackDelivery | null> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const row = await findByKey(key);
        if (row && row.state !== 'pending') return row;
        if (Date.now() >= deadline) return null;
        await new Promise((resolve) => setTimeout(resolve, Math.min(25, Math.max(1, deadline - Date.now()))));
      }
    },

    /** Queues deliveries outside a transaction: for work whose change is already stored (a retry by hand). */
    async enqueue(requests: TDeliveryRequest[], now?: Date): Promise<void> {
      await enqueueDeliveries(prisma, requests, now);
      if (requests.length > 0) queue.queued();
    },

    /**
     * Queues one delivery for the workspace of a Slack team, in one statement when the workspace
     * is known (always, after its first request); a team seen for the first time is stored first.
     * This is all a hand-logged loss costs before its modal closes. The key names the request
     * (a modal's view id): the same request queued twice is stored once and left as it is.
     */
    async enqueueForTeam(slackTeamId: string, request: Omit<TDeliveryRequest, 'workspaceId'>, now: Date = new Date()): Promise<void> {
      const insert = () => prisma.$executeRaw`
        INSERT INTO slack_deliveries (id, workspace_id, kind, key, payload, state, version, attempts, available_at, created_at, updated_at)
        SELECT ${randomUUID()}::uuid, workspaces.id, ${request.kind}, ${request.key}, ${JSON.stringify(request.payload)}::jsonb, 'pending', 1, 0, ${now}, ${now}, ${now}
        FROM workspaces WHERE slack_team_id = ${slackTeamId}
        ON CONFLICT (key) DO UPDATE SET updated_at = EXCLUDED.updated_at`;
      if ((await insert()) === 0) {
        await ensureWorkspace(slackTeamId);
        if ((await insert()) === 0) throw new Error(`No workspace for team ${slackTeamId}`);
      }
      queue.queued();
    },

    /**
     * Claims up to `limit` due rows for `leaseMs`. One statement: rows another worker is claiming
     * right now are skipped (SKIP LOCKED), and a row whose lease is still running is not due, so
     * of two workers exactly one gets each row.
     */
    async claimDue(input: { now: Date; leaseMs: number; limit: number; claimer: string }): Promise<TClaimedDelivery[]> {
      // Unique per claim, so that even the same instance cannot complete a row it lost to a retry.
      const claimedBy = `${input.claimer}/${randomUUID()}`;
      const leaseExpiresAt = new Date(input.now.getTime() + input.leaseMs);
      try {
        // The claimed rows come back with the claim, in the one statement.
        const rows = await prisma.$queryRaw<TDeliveryRow[]>`
          UPDATE slack_deliveries
          SET claimed_by = ${claimedBy}, lease_expires_at = ${leaseExpiresAt}, attempts = attempts + 1, updated_at = ${input.now}
          WHERE id IN (
            SELECT id FROM slack_deliveries
            WHERE state = 'pending' AND available_at <= ${input.now}
              AND (lease_expires_at IS NULL OR lease_expires_at <= ${input.now})
            ORDER BY available_at
            LIMIT ${input.limit}
            FOR UPDATE SKIP LOCKED
          )
          RETURNING id::text AS id, workspace_id::text AS "workspaceId", kind, key, payload, state, version, progress, attempts,
                    available_at AS "availableAt", claimed_by AS "claimedBy", lease_expires_at AS "leaseExpiresAt",
                    last_error AS "lastError", delivered_at AS "deliveredAt", created_at AS "createdAt"`;
        // RETURNING keeps no order: the longest-waiting row goes first, as the claim chose them.
        rows.sort((a, b) => a.availableAt.getTime() - b.availableAt.getTime());
        return rows.map((row) => ({ ...toDelivery(row), claimedBy }));
      } catch (error) {
        throw new UnreadClaimError(claimedBy, error);
      }
    },

    /**
     * Hands back the rows of a claim not started: claimed as the worker began to stop, or never
     * read back (UnreadClaimError). They are due again at once, for this or another instance, with
     * the claim's attempt refunded, since none was made. Returns how many there were (none when
     * the claim itself was not stored).
     */
    async releaseClaim(claimedBy: string): Promise<number> {
      const { count } = await prisma.slackDelivery.updateMany({
        where: { claimedBy, state: 'pending' },
        data: { claimedBy: null, leaseExpiresAt: null, attempts: { decrement: 1 } },
      });
      return count;
    },

    /** Records a step of a multi-message delivery as done (e.g. the owner's DM), while the claim is ours. */
    async markStep(claim: TClaimedDelivery, step: string): Promise<void> {
      await prisma.$executeRaw`
        UPDATE slack_deliveries SET progress = progress || jsonb_build_object(${step}::text, true)
        WHERE id = ${claim.id}::uuid AND claimed_by = ${claim.claimedBy}`;
      claim.progress = { ...claim.progress, [step]: true };
    },

    /**
     * Marks a claimed row delivered. When it was enqueued again while in flight (an edit saved
     * meanwhile), it is made due again instead, so the latest version is shown too: 'rearmed'.
     * 'lost' when the claim is no longer ours (the lease expired and another worker took it).
     */
    async complete(claim: TClaimedDelivery, at: Date): Promise<'delivered' | 'rearmed' | 'lost'> {
      const delivered = await prisma.slackDelivery.updateMany({
        where: { id: claim.id, claimedBy: claim.claimedBy, version: claim.version },
        data: { state: 'delivered', deliveredAt: at, claimedBy: null, leaseExpiresAt: null, lastError: null },
      });
      if (delivered.count === 1) return 'delivered';
      const rearmed = await prisma.slackDelivery.updateMany({
        where: { id: claim.id, claimedBy: claim.claimedBy },
        data: { claimedBy: null, leaseExpiresAt: null, attempts: 0, availableAt: at },
      });
      return rearmed.count === 1 ? 'rearmed' : 'lost';
    },

    /**
     * A failed attempt: due again at `retryAt`; attempts are kept so the worker knows when to give
     * up, unless `refundAttempt` (the delivery only waited for another and posted nothing).
     */
    async retryLater(claim: TClaimedDelivery, input: { retryAt: Date; error: string; refundAttempt?: boolean }): Promise<boolean> {
      const { count } = await prisma.slackDelivery.updateMany({
        where: { id: claim.id, claimedBy: claim.claimedBy },
        data: {
          claimedBy: null,
          leaseExpiresAt: null,
          availableAt: input.retryAt,
          lastError: input.error.slice(0, 2000),
          ...(input.refundAttempt ? { attempts: { decrement: 1 } } : {}),
        },
      });
      return count === 1;
    },

    /** Gives a claimed row up: a permanent Slack error, or too many attempts. Enqueueing it again re-arms it. */
    async bury(claim: TClaimedDelivery, input: { at: Date; error: string }): Promise<boolean> {
      const { count } = await prisma.slackDelivery.updateMany({
        where: { id: claim.id, claimedBy: claim.claimedBy },
        data: { state: 'dead', claimedBy: null, leaseExpiresAt: null, lastError: input.error.slice(0, 2000), updatedAt: input.at },
      });
      return count === 1;
    },

    /** Rows by state, for the outbox depth metric. */
    async countByState(): Promise<Record<TDeliveryState, number>> {
      const groups = await prisma.slackDelivery.groupBy({ by: ['state'], _count: { _all: true } });
      const counts: Record<TDeliveryState, number> = { pending: 0, delivered: 0, dead: 0 };
      for (const group of groups) {
        if (group.state === 'pending' || group.state === 'delivered' || group.state === 'dead') counts[group.state] = group._count._all;
      }
      return counts;
    },

    /** When the next pending row is due (null when none is): tests and the drain wait on it. */
    async nextPendingAt(): Promise<Date | null> {
      const row = await prisma.slackDelivery.findFirst({ where: { state: 'pending' }, orderBy: { availableAt: 'asc' }, select: { availableAt: true } });
      return row?.availableAt ?? null;
    },
  };
}
export type TSlackDeliveryRepository = ReturnType<typeof createSlackDeliveryRepository>;
