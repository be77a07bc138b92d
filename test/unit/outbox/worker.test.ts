import { ErrorCode, type WebClient } from '@slack/web-api';
import type { TLogger } from '../../../src/lib/logger';
import { NotReadyError } from '../../../src/outbox/retryPolicy';
import { UnreadClaimError, type TSlackDeliveryRepository } from '../../../src/repositories/slackDeliveries';
import { createOutboxWorker, type TDeliveryContext, type TDeliveryHandlers, type TOutboxWorker } from '../../../src/outbox/worker';
import { DATABASE_KINDS } from '../../helpers/database';
import { useTestRepositories } from '../../helpers/testRepositories';
import { waitFor } from '../../helpers/wait';

// The worker against a real database with handlers of its own: what it does with failures, steps
// done once, and what stop() waits for. Slack itself is not called here.

const quiet: TLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe.each(DATABASE_KINDS)('outbox worker on %s', (kind) => {
  const db = useTestRepositories(kind);
  let worker: TOutboxWorker | undefined;
  let workspaceId: string;
  const seen: Array<{ key: string; attempts: number; mayHavePosted: boolean }> = [];

  beforeEach(async () => {
    await db.database.prisma.slackDelivery.deleteMany();
    workspaceId = (await db.repos.workspaces.ensure('T0WORKER')).id;
    seen.length = 0;
  });
  afterEach(async () => {
    await worker?.stop(2000);
    worker = undefined;
  });

  function start(handlers: TDeliveryHandlers, deliveries: TSlackDeliveryRepository = db.repos.slackDeliveries): TOutboxWorker {
    const recording: TDeliveryHandlers = Object.fromEntries(
      Object.entries(handlers).map(([name, handler]) => [
        name,
        {
          ...handler,
          deliver: (context: TDeliveryContext) => {
            seen.push({ key: context.delivery.key, attempts: context.delivery.attempts, mayHavePosted: context.mayHavePosted });
            return handler.deliver(context);
          },
        },
      ]),
    );
    worker = createOutboxWorker({
      deliveries,
      repos: db.repos,
      handlers: recording,
      clients: { forTeam: () => Promise.resolve({} as WebClient) },
      logger: quiet,
      pollMs: 20,
      backoff: { baseDelayMs: 10, maxDelayMs: 20 },
      maxAttempts: 4,
    });
    worker.start();
    return worker;
  }

  const enqueue = (kindName: string, key: string) => db.repos.slackDeliveries.enqueue([{ workspaceId, kind: kindName, key, payload: {} }]);

  it('retries a 429 after its Retry-After, and tells the handler that the earlier attempt may have posted', async () => {
    let calls = 0;
    start({
      'test.limited': {
        deliver: () => {
          calls += 1;
          if (calls === 1) return Promise.reject(Object.assign(new Error('rate limited'), { code: ErrorCode.RateLimitedError, retryAfter: 1 }));
          return Promise.resolve();
        },
      },
    });
    const queuedAt = Date.now();
    await enqueue('test.limited', 'limited');
    await waitFor(async () => (await db.repos.slackDeliveries.findByKey('limited'))?.state === 'delivered', { timeoutMs: 5000 });
    expect(Date.now() - queuedAt).toBeGreaterThanOrEqual(950);
    expect(seen).toEqual([
      { key: 'limited', attempts: 1, mayHavePosted: false },
      { key: 'limited', attempts: 2, mayHavePosted: true },
    ]);
  });

  it('runs a step once across retries, gives up after the last attempt and reports it once', async () => {
    let dms = 0;
    const reported: string[] = [];
    start({
      'test.flaky': {
        deliver: async (context) => {
          await context.once('dm', () => {
            dms += 1;
            return Promise.resolve();
          });
          throw new Error('Slack is having a bad day');
        },
        onGiveUp: (_context, error) => {
          reported.push(error);
          return Promise.resolve();
        },
      },
    });
    await enqueue('test.flaky', 'flaky');
    await waitFor(async () => (await db.repos.slackDeliveries.findByKey('flaky'))?.state === 'dead', { timeoutMs: 5000 });
    expect(seen.map((attempt) => attempt.attempts)).toEqual([1, 2, 3, 4]);
    expect(dms).toBe(1);
    expect(reported).toEqual(['Slack is having a bad day']);
  });

  it('hands a claim back once the database answers again when it could not record the outcome, keeping its attempt', async () => {
    // The database goes away as the first attempt ends: neither its outcome nor its retry can be
    // stored. The row must not stay leased for a minute.
    let down = true;
    let refused = false;
    const refuse = () => {
      refused = true;
      return Promise.reject(new Error('Connection terminated unexpectedly'));
    };
    const restarting: TSlackDeliveryRepository = {
      ...db.repos.slackDeliveries,
      complete: (claim, at) => (down ? refuse() : db.repos.slackDeliveries.complete(claim, at)),
      retryLater: (claim, input) => {
        if (!down) return db.repos.slackDeliveries.retryLater(claim, input);
        // Back a moment after the attempt failed to record anything.
        setTimeout(() => (down = false), 100);
        return refuse();
      },
    };
    const w = start({ test: { deliver: () => Promise.resolve() } }, restarting);
    await enqueue('test', 'test:unrecorded');
    w.wake();
    // leaseMs is a minute: delivered well before that only if the claim was handed back.
    expect(await w.settled('test:unrecorded', 5000)).toMatchObject({ state: 'delivered' });
    expect(refused).toBe(true);
    // The second try knew the first may have posted.
    expect(seen.filter((call) => call.key === 'test:unrecorded')).toEqual([
      { key: 'test:unrecorded', attempts: 1, mayHavePosted: false },
      { key: 'test:unrecorded', attempts: 2, mayHavePosted: true },
    ]);
  });

  it('hands back the rows of a claim it could not read back, as soon as the database answers, with no attempt counted', async () => {
    // CI lost a thread this way: PostgreSQL restarted after the claim was stored and before its
    // rows were read, so the row stayed leased (a minute) to a claim nobody was working on.
    let failures = 0;
    const restarting: TSlackDeliveryRepository = {
      ...db.repos.slackDeliveries,
      claimDue: async (input) => {
        const claimed = await db.repos.slackDeliveries.claimDue(input);
        if (claimed.length === 0 || failures > 0) return claimed;
        failures += 1;
        throw new UnreadClaimError(claimed[0]!.claimedBy, new Error('Connection terminated unexpectedly'));
      },
    };
    const w = start({ test: { deliver: () => Promise.resolve() } }, restarting);
    await enqueue('test', 'test:unread');
    w.wake();
    // leaseMs is a minute: delivered well before that only if the claim was handed back.
    expect(await w.settled('test:unread', 5000)).toMatchObject({ state: 'delivered' });
    expect(failures).toBe(1);
    // The lost claim made no attempt: the one that delivered is the first.
    expect(seen.filter((call) => call.key === 'test:unread')).toEqual([{ key: 'test:unread', attempts: 1, mayHavePosted: false }]);
  });

  it('hands back, whole and at once, a claim that came back after stop() gave up waiting for it', async () => {
    const gate = deferred();
    const claiming = deferred();
    const slowClaims: TSlackDeliveryRepository = {
      ...db.repos.slackDeliveries,
      claimDue: async (input) => {
        const claimed = await db.repos.slackDeliveries.claimDue(input);
        if (claimed.length === 0) return claimed;
        claiming.resolve();
        await gate.promise; // the database answering slowly while the pod is told to stop
        return claimed;
      },
    };
    await enqueue('test', 'test:stop-one');
    await enqueue('test', 'test:stop-two');
    const w = start({ test: { deliver: () => Promise.resolve() } }, slowClaims); // its first pass claims both
    await claiming.promise;
    expect((await db.repos.slackDeliveries.findByKey('test:stop-two'))?.claimedBy).not.toBeNull();
    await w.stop(50);
    gate.resolve();
    const keys = ['test:stop-one', 'test:stop-two'];
    const handedBack = async () => (await Promise.all(keys.map((key) => db.repos.slackDeliveries.findByKey(key)))).every((row) => row?.claimedBy === null);
    await waitFor(handedBack);
    // Nothing was delivered; both rows are due now for another instance (the lease was a minute),
    // the attempt not counted.
    expect(seen).toEqual([]);
    for (const key of keys) {
      expect(await db.repos.slackDeliveries.findByKey(key)).toMatchObject({ state: 'pending', claimedBy: null, leaseExpiresAt: null, attempts: 0 });
    }
  });

  it('lets a delivery wait for its thread without using up its attempts', async () => {
    // maxAttempts is 4: waiting six times would have given the delivery up if waits were attempts.
    let waits = 0;
    const w = start({
      test: {
        deliver: async () => {
          if (waits < 6) {
            waits += 1;
            throw new NotReadyError('Retro r1 has no thread yet');
          }
        },
      },
    });
    await db.repos.slackDeliveries.enqueue([{ workspaceId, kind: 'test', key: 'test:waits', payload: {} }]);
    w.wake();
    const settled = await w.settled('test:waits', 15_000);
    expect(settled).toMatchObject({ state: 'delivered' });
    expect(waits).toBe(6);
    // Each try after a wait is still a first attempt: nothing was posted by the ones that waited.
    expect(seen.filter((call) => call.key === 'test:waits').map((call) => call.attempts)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('stop() lets a delivery in flight finish and claims nothing after', async () => {
    const release = deferred();
    const started = deferred();
    const running = start({
      'test.slow': {
        deliver: async () => {
          started.resolve();
          await release.promise;
        },
      },
    });
    await enqueue('test.slow', 'slow');
    await started.promise;
    let stopped = false;
    const stopping = running.stop(5000).then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    release.resolve();
    await stopping;
    expect(await db.repos.slackDeliveries.findByKey('slow')).toMatchObject({ state: 'delivered' });

    await enqueue('test.slow', 'after-stop');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await db.repos.slackDeliveries.findByKey('after-stop')).toMatchObject({ state: 'pending', attempts: 0 });
  });
});
