import { createDeliveryQueue, type TDeliveryRequest } from '../../../src/repositories/slackDeliveries';
import { DATABASE_KINDS } from '../../helpers/database';
import { useTestRepositories } from '../../helpers/testRepositories';

const T0 = new Date('2026-11-23T09:00:00Z');
const LEASE_MS = 60_000;
const secondsAfter = (seconds: number, from = T0) => new Date(from.getTime() + seconds * 1000);

describe.each(DATABASE_KINDS)('slack delivery outbox on %s', (kind) => {
  const store = useTestRepositories(kind, { secondInstance: true });
  let workspaceId: string;

  beforeAll(async () => {
    workspaceId = (await store.repos.workspaces.ensure('T0OUTBOX')).id;
  });
  beforeEach(async () => {
    await store.database.prisma.slackDelivery.deleteMany();
  });

  function request(key: string): TDeliveryRequest {
    return { workspaceId, kind: 'test.kind', key, payload: { thing: key } };
  }
  const claim = (at: Date, limit = 10, on = store.repos) => on.slackDeliveries.claimDue({ now: at, leaseMs: LEASE_MS, limit, claimer: 'test' });

  it('queues a key once: enqueueing it again while pending coalesces into the same row, one version later', async () => {
    await store.repos.slackDeliveries.enqueue([request('a')], T0);
    await store.repos.slackDeliveries.enqueue([request('a')], secondsAfter(5));
    expect(await store.database.prisma.slackDelivery.count()).toBe(1);
    expect(await store.repos.slackDeliveries.findByKey('a')).toMatchObject({ state: 'pending', version: 2, attempts: 0, availableAt: T0, payload: { thing: 'a' } });
  });

  it('hands out claimed rows whole, in the order they came due, from the claim itself', async () => {
    await store.repos.slackDeliveries.enqueue([request('later')], secondsAfter(2));
    await store.repos.slackDeliveries.enqueue([request('earlier')], T0);
    await store.repos.slackDeliveries.enqueue([request('not-due')], secondsAfter(60));
    const claimed = await claim(secondsAfter(3));
    expect(claimed.map((row) => row.key)).toEqual(['earlier', 'later']);
    const [earlier] = claimed;
    expect(earlier).toEqual({
      id: expect.any(String),
      workspaceId,
      kind: 'test.kind',
      key: 'earlier',
      payload: { thing: 'earlier' },
      state: 'pending',
      version: 1,
      progress: {},
      attempts: 1,
      availableAt: T0,
      claimedBy: expect.stringMatching(/^test\//),
      leaseExpiresAt: secondsAfter(3 + LEASE_MS / 1000),
      lastError: null,
      deliveredAt: null,
      createdAt: T0,
    });
    expect(await store.repos.slackDeliveries.findByKey('earlier')).toEqual({ ...earlier, claimedBy: earlier!.claimedBy });
  });

  it('hands each due row to exactly one of two workers claiming at once', async () => {
    await store.repos.slackDeliveries.enqueue(Array.from({ length: 20 }, (_, index) => request(`row-${index}`)), T0);
    const [first, second] = await Promise.all([claim(T0, 15), claim(T0, 15, store.otherRepos)]);
    const keys = [...first, ...second].map((row) => row.key);
    expect(keys).toHaveLength(20);
    expect(new Set(keys).size).toBe(20);
    expect(await claim(T0)).toHaveLength(0);
  });

  it('does not hand out a row whose lease runs; once it expires the row is claimed again and the old claim cannot finish', async () => {
    await store.repos.slackDeliveries.enqueue([request('leased')], T0);
    const [first] = await claim(T0);
    expect(first).toMatchObject({ key: 'leased', attempts: 1 });
    expect(await claim(secondsAfter(59))).toHaveLength(0);
    const [second] = await claim(secondsAfter(61));
    expect(second).toMatchObject({ key: 'leased', attempts: 2 });
    expect(await store.repos.slackDeliveries.complete(first!, secondsAfter(62))).toBe('lost');
    expect(await store.repos.slackDeliveries.complete(second!, secondsAfter(62))).toBe('delivered');
    expect(await store.repos.slackDeliveries.findByKey('leased')).toMatchObject({ state: 'delivered', claimedBy: null, deliveredAt: secondsAfter(62) });
  });

  it('delivers again when an edit is queued while the row is in flight, and re-arms a delivered row', async () => {
    await store.repos.slackDeliveries.enqueue([request('edit')], T0);
    const [inFlight] = await claim(T0);
    await store.repos.slackDeliveries.enqueue([request('edit')], secondsAfter(1)); // saved while posting
    expect(await store.repos.slackDeliveries.complete(inFlight!, secondsAfter(2))).toBe('rearmed');
    const [again] = await claim(secondsAfter(2));
    expect(again).toMatchObject({ key: 'edit', version: 2, attempts: 1 });
    expect(await store.repos.slackDeliveries.complete(again!, secondsAfter(3))).toBe('delivered');

    await store.repos.slackDeliveries.enqueue([request('edit')], secondsAfter(10)); // a later edit
    expect(await store.repos.slackDeliveries.findByKey('edit')).toMatchObject({ state: 'pending', version: 3, attempts: 0, availableAt: secondsAfter(10) });
  });

  it('retries later, gives up, and hands back a row not started', async () => {
    await store.repos.slackDeliveries.enqueue([request('retry'), request('dead'), request('released')], T0);
    const claimed = await claim(T0);
    const byKey = new Map(claimed.map((row) => [row.key, row]));
    expect(await store.repos.slackDeliveries.retryLater(byKey.get('retry')!, { retryAt: secondsAfter(30), error: 'http_503' })).toBe(true);
    expect(await store.repos.slackDeliveries.bury(byKey.get('dead')!, { at: T0, error: 'not_in_channel' })).toBe(true);
    // The claim's other rows were settled above: only the one not started is handed back.
    expect(await store.repos.slackDeliveries.releaseClaim(byKey.get('released')!.claimedBy)).toBe(1);

    expect((await claim(secondsAfter(1))).map((row) => row.key)).toEqual(['released']);
    expect(await store.repos.slackDeliveries.findByKey('released')).toMatchObject({ attempts: 1 }); // the released attempt did not count
    expect((await claim(secondsAfter(30))).map((row) => row.key)).toEqual(['retry']);
    expect(await store.repos.slackDeliveries.findByKey('retry')).toMatchObject({ attempts: 2, lastError: 'http_503' });
    expect(await store.repos.slackDeliveries.findByKey('dead')).toMatchObject({ state: 'dead', lastError: 'not_in_channel' });
    expect(await store.repos.slackDeliveries.countByState()).toEqual({ pending: 2, delivered: 0, dead: 1 });

    // Queued again by hand (the deal logged again after inviting the bot): armed afresh.
    await store.repos.slackDeliveries.enqueue([request('dead')], secondsAfter(40));
    expect(await store.repos.slackDeliveries.findByKey('dead')).toMatchObject({ state: 'pending', attempts: 0, lastError: null });
  });

  it('keeps the steps already done across retries and re-arms', async () => {
    await store.repos.slackDeliveries.enqueue([request('steps')], T0);
    const [first] = await claim(T0);
    await store.repos.slackDeliveries.markStep(first!, 'ownerDm');
    await store.repos.slackDeliveries.retryLater(first!, { retryAt: T0, error: 'http_500' });
    const [second] = await claim(secondsAfter(1));
    expect(second!.progress).toEqual({ ownerDm: true });
  });

  it('stores the change and its deliveries together, or neither', async () => {
    let woken = 0;
    const queue = createDeliveryQueue(store.database.prisma, () => (woken += 1));
    await expect(
      queue.withDeliveries(
        async (tx) => tx.workspace.create({ data: { slackTeamId: 'T0ROLLBACK' }, select: { id: true } }),
        () => {
          throw new Error('boom while building the deliveries');
        },
      ),
    ).rejects.toThrow('boom');
    expect(await store.database.prisma.workspace.count({ where: { slackTeamId: 'T0ROLLBACK' } })).toBe(0);
    expect(woken).toBe(0);

    const created = await queue.withDeliveries(
      async (tx) => tx.workspace.create({ data: { slackTeamId: 'T0COMMIT' }, select: { id: true } }),
      (row) => [{ workspaceId: row.id, kind: 'test.kind', key: `hello:${row.id}`, payload: {} }],
    );
    expect(await store.repos.slackDeliveries.findByKey(`hello:${created.id}`)).toMatchObject({ state: 'pending', workspaceId: created.id });
    expect(woken).toBe(1);
  });

  // Two changes that lock the same two rows in opposite order deadlock; PostgreSQL aborts one of
  // them. Its transaction stored nothing, so it runs again instead of failing the person's action.
  (kind === 'postgres' ? it : it.skip)('runs a transaction again when PostgreSQL aborts it to break a deadlock', async () => {
    const first = await store.repos.workspaces.ensure('T0DEADLOCK1');
    const second = await store.repos.workspaces.ensure('T0DEADLOCK2');
    const queue = createDeliveryQueue(store.database.prisma);
    let firstLocks = 0;
    let bothLockedOne: () => void = () => undefined;
    const bothHoldOneRow = new Promise<void>((resolve) => (bothLockedOne = resolve));
    let runs = 0;
    const lockBoth = (order: [{ id: string }, { id: string }], name: string) =>
      queue.withDeliveries(
        async (tx) => {
          runs += 1;
          await tx.workspace.update({ where: { id: order[0].id }, data: { name } });
          firstLocks += 1;
          if (firstLocks === 2) bothLockedOne();
          await bothHoldOneRow;
          await tx.workspace.update({ where: { id: order[1].id }, data: { name } });
          return name;
        },
        (result) => [{ workspaceId: first.id, kind: 'test.kind', key: `deadlock:${result}`, payload: {} }],
      );

    await expect(Promise.all([lockBoth([first, second], 'one'), lockBoth([second, first], 'two')])).resolves.toEqual(['one', 'two']);
    expect(runs).toBe(3);
    expect(await store.repos.slackDeliveries.findByKey('deadlock:one')).toMatchObject({ state: 'pending', version: 1 });
    expect(await store.repos.slackDeliveries.findByKey('deadlock:two')).toMatchObject({ state: 'pending', version: 1 });
  });
});
