import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TConfig } from '../config/env';
import type { TLogger } from '../lib/logger';
import type { TFromWorkThread, THandedOffRequest, TToWorkThread, TWorkThreadData } from './messages';

// WORK_THREAD: the main thread answers Slack and the work thread does what follows, so an answer
// never waits behind another request's Slack calls and database writes. Both threads have their
// own database pool and Slack clients; the outbox and the scheduler run on the work thread only.

export interface TWorkThread {
  /** Hands an answered request over; false while the thread is not running (the caller then does the work itself). */
  handOff(request: THandedOffRequest): boolean;
  /** Tells the thread's outbox that deliveries were queued (by a form saved on the main thread). */
  wakeOutbox(): void;
  /** The thread's metrics (prom-client JSON), for /metrics to add to the main thread's. */
  metrics(): Promise<unknown[]>;
  /** Lets the thread finish: its outbox delivers what is due, its scheduler's pass ends. */
  stop(): Promise<void>;
}

export interface TWorkThreadOptions {
  config: TConfig;
  logger: TLogger;
  startScheduler: boolean;
  peerGroup: string;
  outbox: TWorkThreadData['outbox'];
  clientOptions: TWorkThreadData['clientOptions'];
  /** Wait before starting a thread again after it died (tests shorten it). */
  restartDelayMs?: number;
  /** MAX_HANDED_OFF_IN_FLIGHT unless given (tests). */
  maxInFlight?: number;
  /** The thread's script; thread.ts (or .js) beside this file unless given (tests run a stand-in). */
  entry?: string;
}

const METRICS_TIMEOUT_MS = 2000;

/**
 * Requests handed over and not yet done, at most. Past this the thread is behind (a burst, a slow
 * Slack): the main thread then does the work itself, as without a work thread, rather than queue
 * without bound: a modal opened seconds late fails anyway (its trigger_id lasts 3 s).
 */
export const MAX_HANDED_OFF_IN_FLIGHT = 1000;

/** Starts the work thread; resolves once it is ready to take requests. */
export async function startWorkThread(options: TWorkThreadOptions): Promise<TWorkThread> {
  // The thread does not wait for load balancers: the main thread has drained before it stops it.
  const workerData: TWorkThreadData = {
    config: { ...options.config, shutdown: { ...options.config.shutdown, drainSeconds: 0 } },
    startScheduler: options.startScheduler,
    peerGroup: options.peerGroup,
    outbox: options.outbox,
    clientOptions: options.clientOptions,
  };
  let worker: Worker | undefined;
  let ready = false;
  let stopping = false;
  let stopped: (() => void) | undefined;
  let nextMetricsId = 0;
  let inFlight = 0;
  const metricsWaiting = new Map<number, (metrics: unknown[]) => void>();

  const launch = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const thread = spawnThread(options.entry ?? path.join(__dirname, `thread${path.extname(__filename)}`), workerData);
      worker = thread;
      thread.on('message', (message: TFromWorkThread) => {
        switch (message.type) {
          case 'ready':
            ready = true;
            resolve();
            return;
          case 'failed':
            reject(new Error(`The work thread could not start: ${message.message}`));
            void thread.terminate();
            return;
          case 'metrics':
            metricsWaiting.get(message.id)?.(message.metrics);
            metricsWaiting.delete(message.id);
            return;
          case 'handled':
            inFlight = Math.max(0, inFlight - 1);
            return;
          case 'stopped':
            stopped?.();
            return;
        }
      });
      thread.on('error', (error) => options.logger.error('The work thread failed', error));
      thread.on('exit', (code) => {
        const wasReady = ready;
        ready = false;
        worker = undefined;
        // Whatever the dead thread held is gone; the next one starts with nothing in flight.
        inFlight = 0;
        for (const answer of metricsWaiting.values()) answer([]);
        metricsWaiting.clear();
        if (stopping) {
          stopped?.();
          return;
        }
        if (!wasReady) {
          reject(new Error(`The work thread exited (code ${code}) before it was ready.`));
          return;
        }
        // Requests go on being answered, and worked on by the main thread, until it is back; queued
        // deliveries wait in the database.
        options.logger.error(`The work thread exited (code ${code}); starting another in ${options.restartDelayMs ?? 1000} ms.`);
        setTimeout(() => {
          if (stopping) return;
          launch().catch((error: unknown) => options.logger.error('Restarting the work thread failed', error));
        }, options.restartDelayMs ?? 1000).unref();
      });
    });

  await launch();
  const send = (message: TToWorkThread): boolean => {
    if (!worker || !ready || stopping) return false;
    worker.postMessage(message);
    return true;
  };
  return {
    handOff: (request) => {
      if (inFlight >= (options.maxInFlight ?? MAX_HANDED_OFF_IN_FLIGHT) || !send({ type: 'request', request })) return false;
      inFlight += 1;
      return true;
    },
    wakeOutbox: () => void send({ type: 'wakeOutbox' }),
    metrics: () =>
      new Promise((resolve) => {
        const id = (nextMetricsId += 1);
        if (!send({ type: 'metrics', id })) return resolve([]);
        metricsWaiting.set(id, resolve);
        setTimeout(() => {
          if (metricsWaiting.delete(id)) resolve([]);
        }, METRICS_TIMEOUT_MS).unref();
      }),
    stop: async () => {
      const thread = worker;
      if (!thread || stopping) return;
      stopping = true;
      const done = new Promise<void>((resolve) => (stopped = resolve));
      thread.postMessage({ type: 'stop' } satisfies TToWorkThread);
      await done;
      await thread.terminate();
    },
  };
}

/**
 * The thread runs the same modules as the main thread: compiled JavaScript in the image, or the
 * TypeScript sources under tsx (npm start), whose hooks a worker does not inherit.
 */
function spawnThread(entry: string, workerData: TWorkThreadData): Worker {
  if (entry.endsWith('.ts')) {
    // Resolved here: the thread's own require starts from the working directory, wherever that is.
    const tsx = require.resolve('tsx/cjs/api');
    return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`, { eval: true, workerData });
  }
  return new Worker(entry, { workerData });
}
