import type { TRepositories } from '../../../src/repositories';
import type { TScheduleJobInput } from '../../../src/repositories/scheduledJobs';
import { DATABASE_KINDS } from '../../helpers/database';
import { useTestRepositories } from '../../helpers/testRepositories';

const T0 = new Date('2026-11-23T09:00:00Z');
const LEASE_MS = 5 * 60_000;
const minutesAfter = (minutes: number, from = T0) => new Date(from.getTime() + minutes * 60_000);

describe.each(DATABASE_KINDS)('scheduled job store on %s', (kind) => {
  const store = useTestRepositories(kind, { secondInstance: true });
  let workspaceId: string;
  let counter = 0;

  beforeAll(async () => {
    workspaceId = (await store.repos.workspaces.ensure('T0JOBS')).id;
  });

  /** Each test uses its own kind, so claims in one test never see another test's jobs. */
  function newKind(): string {
    counter += 1;
    return `test_kind_${counter}`;
  }

  function job(kind: string, overrides: Partial<TScheduleJobInput> = {}): TScheduleJobInput {
    counter += 1;
    return { workspaceId, kind, key: `${kind}:${counter}`, dueAt: T0, payload: { n: counter }, ...overrides };
  }

  const claim = (store: TRepositories, kind: string, now: Date, claimer = 'test', limit = 10) =>
    store.scheduledJobs.claimDue({ kind, now, leaseMs: LEASE_MS, limit, claimer });

  it('schedules once per key: a second schedule keeps the first due time and payload', async () => {
    const jobKind = newKind();
    const first = await store.repos.scheduledJobs.scheduleOnce(job(jobKind, { key: `${jobKind}:once`, payload: { first: true } }));
    const again = await store.repos.scheduledJobs.scheduleOnce(job(jobKind, { key: `${jobKind}:once`, dueAt: minutesAfter(60), payload: { first: false } }));
    expect(again).toMatchObject({ id: first.id, dueAt: T0, payload: { first: true }, doneAt: null, attempts: 0 });
    expect(await store.database.prisma.scheduledJob.count({ where: { key: `${jobKind}:once` } })).toBe(1);
  });

  it('claims nothing before the due time', async () => {
    const jobKind = newKind();
    await store.repos.scheduledJobs.scheduleOnce(job(jobKind, { dueAt: minutesAfter(10) }));
    expect(await claim(store.repos, jobKind, minutesAfter(9))).toEqual([]);
    expect(await claim(store.repos, jobKind, minutesAfter(10))).toHaveLength(1);
  });

  it('gives each job to exactly one of two claimers racing for it', async () => {
    const jobKind = newKind();
    const keys: string[] = [];
    for (let index = 0; index < 20; index += 1) keys.push((await store.repos.scheduledJobs.scheduleOnce(job(jobKind))).key);

    const [mine, theirs] = await Promise.all([claim(store.repos, jobKind, T0, 'instance-a', 20), claim(store.otherRepos, jobKind, T0, 'instance-b', 20)]);
    const claimedKeys = [...mine, ...theirs].map((claimed) => claimed.key);
    expect(claimedKeys.sort()).toEqual([...keys].sort()); // every job claimed…
    expect(new Set(claimedKeys).size).toBe(claimedKeys.length); // …by one claimer only
    expect([...mine, ...theirs].every((claimed) => claimed.attempts === 1)).toBe(true);
    expect(await claim(store.repos, jobKind, T0)).toEqual([]);
  });

  it('lets only one of two claimers win a single due job', async () => {
    const jobKind = newKind();
    await store.repos.scheduledJobs.scheduleOnce(job(jobKind));
    const results = await Promise.all([claim(store.repos, jobKind, T0, 'instance-a'), claim(store.otherRepos, jobKind, T0, 'instance-b')]);
    expect(results.map((claimed) => claimed.length).sort()).toEqual([0, 1]);
  });

  it('gives a job whose lease expired to the next claimer, and only the new claim can finish it', async () => {
    const jobKind = newKind();
    const scheduled = await store.repos.scheduledJobs.scheduleOnce(job(jobKind));
    const [crashed] = await claim(store.repos, jobKind, T0, 'crashed-instance');
    expect(crashed).toMatchObject({ id: scheduled.id, attempts: 1 });

    // While the lease runs, nobody else gets it.
    expect(await claim(store.otherRepos, jobKind, minutesAfter(4))).toEqual([]);
    const [retried] = await claim(store.otherRepos, jobKind, minutesAfter(5), 'healthy-instance');
    expect(retried).toMatchObject({ id: scheduled.id, attempts: 2 });
    expect(retried!.claimedBy).not.toBe(crashed!.claimedBy);

    // The first runner wakes up late: its claim is gone, so it cannot mark the job.
    expect(await store.repos.scheduledJobs.finish(crashed!, { at: minutesAfter(6), outcome: 'sent' })).toBe(false);
    expect(await store.otherRepos.scheduledJobs.finish(retried!, { at: minutesAfter(6), outcome: 'sent' })).toBe(true);
    expect(await store.repos.scheduledJobs.findByKey(scheduled.key)).toMatchObject({ outcome: 'sent', doneAt: minutesAfter(6) });
    expect(await claim(store.repos, jobKind, minutesAfter(60))).toEqual([]);
  });

  it('reschedules a claimed job as a fresh one, due at the new time with the new payload', async () => {
    const jobKind = newKind();
    await store.repos.scheduledJobs.scheduleOnce(job(jobKind, { payload: { remindersSent: 0 } }));
    const [claimed] = await claim(store.repos, jobKind, T0);
    expect(await store.repos.scheduledJobs.rescheduleClaimed(claimed!, { dueAt: minutesAfter(24 * 60), payload: { remindersSent: 1 } })).toBe(true);
    expect(await store.repos.scheduledJobs.findByKey(claimed!.key)).toMatchObject({ attempts: 0, claimedBy: null, doneAt: null, payload: { remindersSent: 1 } });
    expect(await claim(store.repos, jobKind, minutesAfter(24 * 60 - 1))).toEqual([]);
    expect(await claim(store.repos, jobKind, minutesAfter(24 * 60))).toHaveLength(1);
  });

  it('records failures: retried at the given time, or given up as failed', async () => {
    const jobKind = newKind();
    await store.repos.scheduledJobs.scheduleOnce(job(jobKind));
    const [first] = await claim(store.repos, jobKind, T0);
    expect(await store.repos.scheduledJobs.failClaimed(first!, { at: T0, error: 'ratelimited', retryAt: minutesAfter(2) })).toBe(true);
    expect(await claim(store.repos, jobKind, minutesAfter(1))).toEqual([]);
    const [second] = await claim(store.repos, jobKind, minutesAfter(2));
    expect(second).toMatchObject({ attempts: 2, lastError: 'ratelimited' });
    expect(await store.repos.scheduledJobs.failClaimed(second!, { at: minutesAfter(2), error: 'account_inactive', retryAt: null })).toBe(true);
    expect(await store.repos.scheduledJobs.findByKey(second!.key)).toMatchObject({ outcome: 'failed', lastError: 'account_inactive', doneAt: minutesAfter(2) });
    expect(await claim(store.repos, jobKind, minutesAfter(600))).toEqual([]);
  });

  it('replaces a schedule: a finished job is pending again, and a runner holding the old claim loses it', async () => {
    const jobKind = newKind();
    const input = job(jobKind);
    await store.repos.scheduledJobs.scheduleOnce(input);
    const [claimed] = await claim(store.repos, jobKind, T0);
    await store.repos.scheduledJobs.scheduleReplacing({ ...input, dueAt: minutesAfter(30), payload: { replaced: true } });
    expect(await store.repos.scheduledJobs.finish(claimed!, { at: T0, outcome: 'sent' })).toBe(false);
    expect(await store.repos.scheduledJobs.findByKey(input.key)).toMatchObject({ doneAt: null, dueAt: minutesAfter(30), payload: { replaced: true } });

    const [again] = await claim(store.repos, jobKind, minutesAfter(30));
    await store.repos.scheduledJobs.finish(again!, { at: minutesAfter(30), outcome: 'sent' });
    await store.repos.scheduledJobs.scheduleReplacing({ ...input, dueAt: minutesAfter(90) });
    expect(await store.repos.scheduledJobs.findByKey(input.key)).toMatchObject({ doneAt: null, outcome: null, dueAt: minutesAfter(90), attempts: 0 });
  });

  it('closes a job from outside a runner, optionally only while it is pending', async () => {
    const jobKind = newKind();
    const input = job(jobKind);
    await store.repos.scheduledJobs.scheduleOnce(input);
    expect(await store.repos.scheduledJobs.close(input.key, { at: T0, outcome: 'cancelled', onlyIfPending: true })).toBe(true);
    expect(await store.repos.scheduledJobs.close(input.key, { at: minutesAfter(1), outcome: 'cancelled', onlyIfPending: true })).toBe(false);
    expect(await store.repos.scheduledJobs.close(input.key, { at: minutesAfter(2), outcome: 'done' })).toBe(true);
    expect(await store.repos.scheduledJobs.findByKey(input.key)).toMatchObject({ outcome: 'done', doneAt: minutesAfter(2) });
    expect(await store.repos.scheduledJobs.close(`${jobKind}:missing`, { at: T0, outcome: 'done' })).toBe(false);
    expect(await claim(store.repos, jobKind, minutesAfter(60))).toEqual([]);
  });
});
