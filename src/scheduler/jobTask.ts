import { hostname } from 'node:os';
import type { TLogger } from '../lib/logger';
import type { TClaimedJob, TScheduledJobRepository } from '../repositories/scheduledJobs';
import { PermanentJobError, type TJobHandler, type TJobResult } from '../services/reminders/jobs';
import type { TScheduledTask } from './scheduler';

export interface TJobTaskOptions {
  jobs: TScheduledJobRepository;
  logger: TLogger;
  /** Names this instance in claims, for whoever reads the table; uniqueness comes from the claim itself. */
  claimer?: string;
  /** Longer than any single job can take (a DM with Slack's retries): a live runner never loses its claim. */
  leaseMs?: number;
  batchSize?: number;
  /** Claims before a failing job is given up; retries back off 1, 2, 4, 8 … minutes (at most an hour). */
  maxAttempts?: number;
}

export const DEFAULT_LEASE_MS = 5 * 60_000;
const DEFAULT_BATCH_SIZE = 20;
const DEFAULT_MAX_ATTEMPTS = 5;
/** A backlog after downtime is worked off over several ticks rather than in one endless pass. */
const MAX_BATCHES_PER_TICK = 10;

export const DEFAULT_CLAIMER = `${hostname()}:${process.pid}`;

export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

/** A scheduler task that claims due jobs of the handler's kind and runs them, each exactly once. */
export function createJobTask<TPayload>(handler: TJobHandler<TPayload>, options: TJobTaskOptions): TScheduledTask {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const claimer = options.claimer ?? DEFAULT_CLAIMER;
  const { jobs, logger } = options;

  async function runOne(job: TClaimedJob, now: Date): Promise<void> {
    const payload = handler.payloadSchema.safeParse(job.payload);
    if (!payload.success) {
      // Only Debrief writes payloads; an unreadable one is a bug that retrying will not fix.
      logger.error(`Job ${job.key} has an unreadable payload; giving up on it`, payload.error.issues);
      await jobs.failClaimed(job, { at: now, error: `invalid payload: ${payload.error.message}`, retryAt: null });
      return;
    }
    let result: TJobResult;
    try {
      result = await handler.run({ id: job.id, key: job.key, workspaceId: job.workspaceId, payload: payload.data, attempts: job.attempts }, now);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const givingUp = error instanceof PermanentJobError || job.attempts >= maxAttempts;
      const retryAt = givingUp ? null : new Date(now.getTime() + retryDelayMs(job.attempts));
      logger.warn(`Job ${job.key} failed (attempt ${job.attempts}): ${message}${retryAt ? `; retrying at ${retryAt.toISOString()}` : '; giving up'}`);
      await jobs.failClaimed(job, { at: now, error: message, retryAt });
      return;
    }
    const kept = 'done' in result ? await jobs.finish(job, { at: now, outcome: result.done }) : await jobs.rescheduleClaimed(job, { dueAt: result.rescheduleAt, payload: result.payload });
    if (!kept) logger.warn(`Job ${job.key} was rescheduled or taken over while it ran; its new schedule stands.`);
  }

  return {
    name: `jobs:${handler.kind}`,
    async runDue(now) {
      for (let batch = 0; batch < MAX_BATCHES_PER_TICK; batch += 1) {
        const claimed = await jobs.claimDue({ kind: handler.kind, now, leaseMs, limit: batchSize, claimer });
        for (const job of claimed) await runOne(job, now);
        if (claimed.length < batchSize) return;
      }
    },
  };
}
