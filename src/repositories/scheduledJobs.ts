import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { isUniqueViolation } from './errors';

// The persisted side of the scheduler. A job is a row; running it takes three steps, each a
// conditional UPDATE, so that several instances sharing the database never run one job twice:
//   1. claimDue: mark due, unclaimed (or lease-expired) rows as ours, with a lease;
//   2. the runner does the work (a Slack DM);
//   3. finish / reschedule / fail, each only while the claim is still ours.
// A runner that dies between 1 and 3 leaves the lease to expire; the job is then claimed again.

export type TJobPayload = Prisma.InputJsonValue;

export interface TScheduledJob {
  id: string;
  workspaceId: string;
  kind: string;
  key: string;
  dueAt: Date;
  /** As stored; the runner of each kind parses it with its own zod schema. */
  payload: unknown;
  claimedBy: string | null;
  attempts: number;
  lastError: string | null;
  doneAt: Date | null;
  outcome: string | null;
}

/** A job this runner holds: finishing it is only possible while `claimedBy` still matches. */
export type TClaimedJob = TScheduledJob & { claimedBy: string };

export interface TScheduleJobInput {
  workspaceId: string;
  kind: string;
  key: string;
  dueAt: Date;
  payload: TJobPayload;
}

const jobSelect = {
  id: true,
  workspaceId: true,
  kind: true,
  key: true,
  dueAt: true,
  payload: true,
  claimedBy: true,
  attempts: true,
  lastError: true,
  doneAt: true,
  outcome: true,
} as const;

/** Everything that makes a job pending again, as if it had just been scheduled. */
const pendingAgain = {
  doneAt: null,
  outcome: null,
  claimedBy: null,
  claimedAt: null,
  leaseExpiresAt: null,
  attempts: 0,
  lastError: null,
} as const;

export function createScheduledJobRepository(prisma: PrismaClient) {
  async function findByKey(key: string): Promise<TScheduledJob | null> {
    return prisma.scheduledJob.findUnique({ where: { key }, select: jobSelect });
  }

  return {
    findByKey,

    /**
     * Schedules a job once: when a job with this key exists, in whatever state, it is left alone.
     * For work that must happen once per thing (the debrief nudges of a retro), whoever schedules
     * it again (a retried delivery, a second instance) changes nothing.
     */
    async scheduleOnce(input: TScheduleJobInput): Promise<TScheduledJob> {
      // Prisma's INSERT … ON CONFLICT DO NOTHING: no error, no race, and the new row in one
      // statement; a job scheduled before is read.
      const [created] = await prisma.scheduledJob.createManyAndReturn({ data: [input], skipDuplicates: true, select: jobSelect });
      if (created) return created;
      const job = await findByKey(input.key);
      if (!job) throw new Error(`Scheduled job ${input.key} vanished right after it was scheduled`);
      return job;
    },

    /**
     * Schedules a job, replacing the due time and payload of an existing one and making it pending
     * again (a new revisit date, a snooze). A runner still holding the old claim can no longer
     * finish it, so the new schedule wins.
     */
    async scheduleReplacing(input: TScheduleJobInput): Promise<TScheduledJob> {
      const { key, ...rest } = input;
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await prisma.scheduledJob.upsert({
            where: { key },
            create: input,
            update: { ...rest, ...pendingAgain },
            select: jobSelect,
          });
        } catch (error) {
          // Two instances created it at once; the second upsert now finds the row and updates it.
          if (!isUniqueViolation(error) || attempt > 0) throw error;
        }
      }
    },

    /**
     * Claims up to `limit` due jobs of one kind for `leaseMs`. One statement: rows another runner
     * is claiming right now are skipped (SKIP LOCKED), and a row whose lease is still running is
     * not due, so of two runners exactly one gets each job.
     */
    async claimDue(input: { kind: string; now: Date; leaseMs: number; limit: number; claimer: string }): Promise<TClaimedJob[]> {
      // Unique per claim, so that even the same instance cannot finish a job it lost to a retry.
      const claimedBy = `${input.claimer}/${randomUUID()}`;
      const leaseExpiresAt = new Date(input.now.getTime() + input.leaseMs);
      const claimed = await prisma.$queryRaw<Array<{ id: string }>>`
        UPDATE scheduled_jobs
        SET claimed_by = ${claimedBy}, claimed_at = ${input.now}, lease_expires_at = ${leaseExpiresAt},
            attempts = attempts + 1, updated_at = ${input.now}
        WHERE id IN (
          SELECT id FROM scheduled_jobs
          WHERE kind = ${input.kind} AND done_at IS NULL AND due_at <= ${input.now}
            AND (lease_expires_at IS NULL OR lease_expires_at <= ${input.now})
          ORDER BY due_at
          LIMIT ${input.limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING id::text AS id`;
      if (claimed.length === 0) return [];
      const rows = await prisma.scheduledJob.findMany({
        where: { id: { in: claimed.map((row) => row.id) }, claimedBy },
        orderBy: { dueAt: 'asc' },
        select: jobSelect,
      });
      return rows.map((row) => ({ ...row, claimedBy }));
    },

    /** Marks a claimed job done; false when the claim was lost (lease expired and taken, or replaced). */
    async finish(job: TClaimedJob, input: { at: Date; outcome: string }): Promise<boolean> {
      const { count } = await prisma.scheduledJob.updateMany({
        where: { id: job.id, claimedBy: job.claimedBy, doneAt: null },
        data: { doneAt: input.at, outcome: input.outcome, leaseExpiresAt: null },
      });
      return count === 1;
    },

    /** Sets a claimed job due again later with a new payload (the second reminder). */
    async rescheduleClaimed(job: TClaimedJob, input: { dueAt: Date; payload: TJobPayload }): Promise<boolean> {
      const { count } = await prisma.scheduledJob.updateMany({
        where: { id: job.id, claimedBy: job.claimedBy, doneAt: null },
        data: { dueAt: input.dueAt, payload: input.payload, ...pendingAgain },
      });
      return count === 1;
    },

    /**
     * Records a failed attempt: due again at `retryAt`, or, with retryAt null, given up (done,
     * outcome "failed"). Attempts are kept, so the runner can tell when to give up.
     */
    async failClaimed(job: TClaimedJob, input: { at: Date; error: string; retryAt: Date | null }): Promise<boolean> {
      const lastError = input.error.slice(0, 2000);
      const data =
        input.retryAt === null
          ? { doneAt: input.at, outcome: 'failed', lastError, leaseExpiresAt: null }
          : { dueAt: input.retryAt, lastError, claimedBy: null, claimedAt: null, leaseExpiresAt: null };
      const { count } = await prisma.scheduledJob.updateMany({ where: { id: job.id, claimedBy: job.claimedBy, doneAt: null }, data });
      return count === 1;
    },

    /** Ends a job from outside a runner (cancelled, or marked done by a person); false if none matched. */
    async close(key: string, input: { at: Date; outcome: string; onlyIfPending?: boolean }): Promise<boolean> {
      const { count } = await prisma.scheduledJob.updateMany({
        where: { key, ...(input.onlyIfPending ? { doneAt: null } : {}) },
        data: { doneAt: input.at, outcome: input.outcome, claimedBy: null, claimedAt: null, leaseExpiresAt: null },
      });
      return count === 1;
    },
  };
}
export type TScheduledJobRepository = ReturnType<typeof createScheduledJobRepository>;
