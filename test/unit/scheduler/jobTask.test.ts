import { z } from 'zod';
import { createJobTask, DEFAULT_LEASE_MS, retryDelayMs } from '../../../src/scheduler/jobTask';
import { PermanentJobError, type TJobContext, type TJobResult } from '../../../src/services/reminders/jobs';
import { DATABASE_KINDS } from '../../helpers/database';
import { useTestRepositories } from '../../helpers/testRepositories';

const T0 = new Date('2026-11-23T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const silentLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const ZPayload = z.object({ n: z.number() });

describe.each(DATABASE_KINDS)('job task on %s', (kind) => {
  const db = useTestRepositories(kind);
  let workspaceId: string;
  let counter = 0;

  beforeAll(async () => {
    workspaceId = (await db.repos.workspaces.ensure('T0TASK')).id;
  });

  /** A task over a kind of its own, whose handler records its runs and answers with `behave`. */
  async function setUp(behave: (job: TJobContext<{ n: number }>, now: Date) => Promise<TJobResult>, payload: unknown = { n: 1 }) {
    counter += 1;
    const jobKind = `task_test_${counter}`;
    const key = `${jobKind}:job`;
    await db.database.prisma.scheduledJob.create({ data: { workspaceId, kind: jobKind, key, dueAt: T0, payload: payload as object } });
    const runs: Date[] = [];
    const task = createJobTask(
      {
        kind: jobKind,
        payloadSchema: ZPayload,
        run: (job, now) => {
          runs.push(now);
          return behave(job, now);
        },
      },
      { jobs: db.repos.scheduledJobs, logger: silentLogger, maxAttempts: 3 },
    );
    return { task, runs, row: () => db.repos.scheduledJobs.findByKey(key), jobKind };
  }

  it('runs a due job once and records how it ended', async () => {
    const { task, runs, row } = await setUp(async () => ({ done: 'sent' }));
    await task.runDue(at(-1));
    expect(runs).toHaveLength(0);
    await task.runDue(T0);
    await task.runDue(at(60_000));
    expect(runs).toHaveLength(1);
    expect(await row()).toMatchObject({ outcome: 'sent', doneAt: T0 });
  });

  it('runs again, once, a job whose runner died mid-job, after its lease', async () => {
    const { task, runs, row, jobKind } = await setUp(async () => ({ done: 'sent' }));
    // Another instance claimed it and crashed before finishing.
    await db.repos.scheduledJobs.claimDue({ kind: jobKind, now: T0, leaseMs: DEFAULT_LEASE_MS, limit: 1, claimer: 'crashed' });
    await task.runDue(at(DEFAULT_LEASE_MS - 1));
    expect(runs).toHaveLength(0);
    await task.runDue(at(DEFAULT_LEASE_MS));
    await task.runDue(at(DEFAULT_LEASE_MS + 60_000));
    expect(runs).toHaveLength(1);
    expect(await row()).toMatchObject({ outcome: 'sent', attempts: 2 });
  });

  it('backs off after a failure and gives up after the last attempt', async () => {
    const { task, runs, row } = await setUp(async () => {
      throw new Error('slack is down');
    });
    await task.runDue(T0); // attempt 1, retry after 1 minute
    await task.runDue(at(retryDelayMs(1) - 1));
    expect(runs).toHaveLength(1);
    await task.runDue(at(retryDelayMs(1))); // attempt 2, retry after 2 minutes more
    expect(runs).toHaveLength(2);
    await task.runDue(at(retryDelayMs(1) + retryDelayMs(2))); // attempt 3 of 3: give up
    expect(await row()).toMatchObject({ outcome: 'failed', lastError: 'slack is down', attempts: 3 });
    await task.runDue(at(24 * 3600_000));
    expect(runs).toHaveLength(3);
  });

  it('gives up at once on a failure retrying cannot fix', async () => {
    const { task, runs, row } = await setUp(async () => {
      throw new PermanentJobError('cannot DM U1: account_inactive');
    });
    await task.runDue(T0);
    await task.runDue(at(3600_000));
    expect(runs).toHaveLength(1);
    expect(await row()).toMatchObject({ outcome: 'failed', lastError: 'cannot DM U1: account_inactive' });
  });

  it('never runs a job whose payload does not match the schema', async () => {
    const { task, runs, row } = await setUp(async () => ({ done: 'sent' }), { n: 'not a number' });
    await task.runDue(T0);
    expect(runs).toHaveLength(0);
    expect(await row()).toMatchObject({ outcome: 'failed', lastError: expect.stringContaining('invalid payload') });
  });

  it('reschedules a job that asks for it, with its new payload', async () => {
    const { task, runs, row } = await setUp(async (job) => (job.payload.n < 2 ? { rescheduleAt: at(3600_000), payload: { n: job.payload.n + 1 } } : { done: 'sent' }));
    await task.runDue(T0);
    expect(await row()).toMatchObject({ dueAt: at(3600_000), payload: { n: 2 }, doneAt: null, attempts: 0 });
    await task.runDue(at(3600_000));
    expect(runs).toHaveLength(2);
    expect(await row()).toMatchObject({ outcome: 'sent' });
  });
});
