import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { TLogger } from '../lib/logger';
import { metrics } from '../lib/metrics';
import { createTtlCache } from '../lib/ttlCache';
import type { TRepositories } from '../repositories';
import { UnreadClaimError, type TClaimedDelivery, type TSlackDelivery, type TSlackDeliveryRepository } from '../repositories/slackDeliveries';
import type { TSlackClients } from '../slack/clients';
import { classifyFailure, DEFAULT_BACKOFF, nextAttemptDelayMs, type TBackoff, type TFailureVerdict } from './retryPolicy';
import type { TPostOnceContext } from './slackWrites';

// The outbox worker: delivers the rows of slack_deliveries. It is woken in-process right after a
// change is stored (so a thread opens within a moment), and also polls, for retries that came due
// and for rows whose instance died. Several replicas run one each; the claim decides who delivers.

export interface TDeliveryContext extends TPostOnceContext {
  delivery: TClaimedDelivery;
  repos: TRepositories;
  logger: TLogger;
  /**
   * Runs a step at most once per delivery across retries (a DM, which cannot be looked up like a
   * channel post): recorded as done right after it succeeds.
   */
  once(step: string, work: () => Promise<void>): Promise<void>;
}

export interface TDeliveryHandler {
  /** Posts or updates whatever is still missing, from the state stored now; safe to call again. */
  deliver(context: TDeliveryContext): Promise<void>;
  /** Called once when the delivery is given up, to tell the person who acted what to do. */
  onGiveUp?(context: TDeliveryContext, error: string): Promise<void>;
}

export type TDeliveryHandlers = Record<string, TDeliveryHandler>;

export interface TOutboxWorkerOptions {
  deliveries: TSlackDeliveryRepository;
  repos: TRepositories;
  handlers: TDeliveryHandlers;
  /** Clients that leave retrying to the outbox (no retries of their own, 429s rejected). */
  clients: TSlackClients;
  logger: TLogger;
  /** Names this instance in claims (host/pid by default), for the logs. */
  instanceId?: string;
  pollMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  backoff?: TBackoff;
  /** Rows delivered at once by this instance. */
  concurrency?: number;
  /** Wall clock of the outbox; tests of the rest of the app fake their own clock, not this one. */
  clock?: () => Date;
}

/** What a deployment or a test may tune. */
export type TOutboxTuning = Partial<Pick<TOutboxWorkerOptions, 'pollMs' | 'leaseMs' | 'maxAttempts' | 'backoff' | 'concurrency'>>;

export interface TOutboxWorker {
  start(): void;
  /** Looks for work now (called after a delivery was queued). */
  wake(): void;
  /**
   * Stops claiming, lets deliveries in flight finish (up to `timeoutMs`), and hands back rows
   * claimed but not started. Rows still in flight at the deadline are retried by another instance
   * once their lease expires.
   */
  stop(timeoutMs?: number): Promise<void>;
  /** Resolves once no delivery is pending, retries included (tests; the process-level fault tests). */
  drain(timeoutMs?: number): Promise<void>;
  /** The row of `key` once it is delivered or given up, or null if it is still pending after `timeoutMs`. */
  settled(key: string, timeoutMs: number): Promise<TSlackDelivery | null>;
}

const DEFAULT_POLL_MS = 1000;
const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_MAX_ATTEMPTS = 10;
const DEFAULT_CONCURRENCY = 4;
const TEAM_OF_WORKSPACE_TTL_MS = 60 * 60_000;
/** How long a delivery may wait for another (NotReadyError) before its tries count: far longer than a thread takes to open. */
const NOT_READY_LIMIT_MS = 15 * 60_000;

export function createOutboxWorker(options: TOutboxWorkerOptions): TOutboxWorker {
  const { deliveries, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const claimer = options.instanceId ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

  let started = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let currentPass: Promise<void> | undefined;
  let wokenDuringPass = false;

  // Claims whose outcome the database did not take (it was restarting): handed back by the next
  // passes, so the row is due again once the database is, instead of staying leased for leaseMs.
  const unrecorded = new Set<TClaimedDelivery>();
  // Claims that may have been stored but were never read back (UnreadClaimError): likewise.
  const unreadClaims = new Set<string>();
  // A workspace row's Slack team never changes, so each delivery need not read it again (a
  // deleted workspace's deliveries are deleted with it).
  const teamOfWorkspace = createTtlCache<string, string>({ maxEntries: 1_000 });

  async function deliverOne(delivery: TClaimedDelivery): Promise<void> {
    try {
      await attempt(delivery);
    } catch (error) {
      logger.warn(`Outbox: could not record the outcome of ${delivery.key}; handing it back once the database answers.`, error);
      unrecorded.add(delivery);
    }
  }

  /**
   * Hands back claims whose outcome was not recorded (due now, attempts kept: the attempt may have
   * posted), and the rows of claims never read back (no attempt was made).
   */
  async function handBackUnrecorded(): Promise<void> {
    for (const claim of unrecorded) {
      await deliveries.retryLater(claim, { retryAt: clock(), error: 'the outcome of an attempt could not be stored' });
      unrecorded.delete(claim);
    }
    for (const claimedBy of unreadClaims) {
      await deliveries.releaseClaim(claimedBy);
      unreadClaims.delete(claimedBy);
    }
  }

  async function claimDue(): Promise<TClaimedDelivery[]> {
    try {
      return await deliveries.claimDue({ now: clock(), leaseMs, limit: concurrency, claimer });
    } catch (error) {
      if (error instanceof UnreadClaimError) unreadClaims.add(error.claimedBy);
      throw error;
    }
  }

  async function attempt(delivery: TClaimedDelivery): Promise<void> {
    const handler = options.handlers[delivery.kind];
    const startedAt = Date.now();
    let client: WebClient | undefined;
    const context = (): TDeliveryContext => ({
      delivery,
      repos: options.repos,
      logger,
      client: client as WebClient,
      mayHavePosted: delivery.attempts > 1,
      once: async (step, work) => {
        if (delivery.progress[step] === true) return;
        await work();
        await deliveries.markStep(delivery, step);
      },
    });
    try {
      if (!handler) throw new Error(`No outbox handler for kind ${delivery.kind}`);
      client = await clientFor(delivery);
      await handler.deliver(context());
      const result = await deliveries.complete(delivery, clock());
      metrics.outboxDeliveries.inc({ kind: delivery.kind, outcome: result });
      metrics.outboxDeliverySeconds.observe({ kind: delivery.kind }, (Date.now() - startedAt) / 1000);
      if (result === 'lost') logger.warn(`Outbox: delivery ${delivery.key} outlived its lease; another instance took it over.`);
    } catch (error) {
      let verdict: TFailureVerdict = handler ? classifyFailure(error) : { action: 'give_up', reason: 'permanent', error: String(error) };
      // Waiting for another delivery (a thread still opening) is free, for a while: one that has
      // waited longer than that (its thread was given up) counts its tries like any failure.
      const waiting = verdict.reason === 'not_ready' && clock().getTime() - delivery.createdAt.getTime() < NOT_READY_LIMIT_MS;
      if (verdict.reason === 'not_ready' && !waiting) verdict = { action: 'retry', reason: 'transient', error: verdict.error };
      const delayMs = nextAttemptDelayMs(verdict, delivery.attempts, { maxAttempts, backoff });
      if (delayMs !== null) {
        metrics.outboxRetries.inc({ kind: delivery.kind, reason: verdict.reason });
        if (waiting) logger.debug(`Outbox: ${delivery.key} waits (${verdict.error}); again in ${delayMs} ms.`);
        else logger.warn(`Outbox: ${delivery.key} failed (attempt ${delivery.attempts}: ${verdict.error}); retrying in ${delayMs} ms.`);
        await deliveries.retryLater(delivery, { retryAt: new Date(clock().getTime() + delayMs), error: verdict.error, refundAttempt: waiting });
        schedule(delayMs);
        return;
      }
      metrics.outboxDeliveries.inc({ kind: delivery.kind, outcome: 'dead' });
      logger.error(`Outbox: gave up ${delivery.key} after ${delivery.attempts} attempt(s): ${verdict.error}`, error);
      if (!(await deliveries.bury(delivery, { at: clock(), error: verdict.error }))) return;
      if (handler?.onGiveUp && client) {
        await handler.onGiveUp(context(), verdict.error).catch((notifyError: unknown) => logger.error(`Outbox: could not report the failure of ${delivery.key}`, notifyError));
      }
    }
  }

  async function clientFor(delivery: TClaimedDelivery): Promise<WebClient> {
    let slackTeamId = teamOfWorkspace.get(delivery.workspaceId);
    if (slackTeamId === undefined) {
      const workspace = await options.repos.workspaces.findById(delivery.workspaceId);
      if (!workspace) throw new Error(`Workspace ${delivery.workspaceId} of delivery ${delivery.key} no longer exists`);
      slackTeamId = workspace.slackTeamId;
      teamOfWorkspace.set(delivery.workspaceId, slackTeamId, TEAM_OF_WORKSPACE_TTL_MS);
    }
    return options.clients.forTeam(slackTeamId);
  }

  async function pass(): Promise<void> {
    for (;;) {
      wokenDuringPass = false;
      if (stopping) return;
      await handBackUnrecorded();
      const claimed = await claimDue();
      if (stopping) {
        // Claimed while stop() began: hand them back at once rather than wait out their lease.
        if (claimed[0]) await deliveries.releaseClaim(claimed[0].claimedBy);
        return;
      }
      await Promise.all(claimed.map((delivery) => deliverOne(delivery)));
      if (claimed.length < concurrency && !wokenDuringPass) return;
    }
  }

  function runPass(): Promise<void> {
    if (currentPass) {
      wokenDuringPass = true;
      return currentPass;
    }
    currentPass = pass()
      .catch((error: unknown) => logger.error('Outbox: a delivery pass failed', error))
      .finally(() => {
        currentPass = undefined;
      });
    return currentPass;
  }

  /** The next pass: at the poll interval, or sooner when a retry comes due sooner. */
  function schedule(delayMs = pollMs): void {
    if (!started || stopping) return;
    if (timer && delayMs >= pollMs) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void runPass().finally(() => schedule());
    }, Math.max(0, Math.min(delayMs, pollMs)));
    timer.unref();
  }

  return {
    start() {
      if (started) return;
      started = true;
      void runPass().finally(() => schedule());
    },
    wake() {
      if (!started || stopping) return;
      void runPass();
    },
    async stop(timeoutMs = 15_000) {
      if (!started || stopping) return;
      let deadline: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        deadline = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      // Flush: what is due now goes out (one more pass claims until nothing due is left)...
      const flushed = await Promise.race([runPass().then(() => 'done' as const), timedOut]);
      // ...then no more claims; a delivery still in flight gets the rest of the time.
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const finished = flushed === 'done' && currentPass ? await Promise.race([currentPass.then(() => 'done' as const), timedOut]) : flushed;
      clearTimeout(deadline);
      if (finished === 'timeout') logger.warn(`Outbox: deliveries still in flight after ${timeoutMs} ms; their leases expire and another instance retries them.`);
    },
    async drain(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await runPass();
        const next = await deliveries.nextPendingAt();
        if (!next && !currentPass) return;
        if (Date.now() >= deadline) throw new Error(`Outbox: still pending after ${timeoutMs} ms (next due ${next?.toISOString() ?? 'now'})`);
        await sleep(Math.max(5, Math.min(50, (next?.getTime() ?? 0) - clock().getTime())));
      }
    },
    settled: (key, timeoutMs) => deliveries.settled(key, timeoutMs),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
