import type { WebClientOptions } from '@slack/web-api';
import type { TConfig } from '../config/env';
import type { TRequestContext } from '../lib/requestContext';
import type { TOutboxTuning } from '../outbox/worker';

// What the main thread and the work thread say to each other (worker_threads messages, cloned).

/** A Slack request the main thread has answered, for the work thread's listeners to act on. */
export interface THandedOffRequest {
  body: Record<string, unknown>;
  retryNum: number | undefined;
  retryReason: string | undefined;
  /** The main thread's logging context, so both threads' lines of one request share its id. */
  context: TRequestContext;
}

export type TToWorkThread =
  | { type: 'request'; request: THandedOffRequest }
  | { type: 'wakeOutbox' }
  | { type: 'metrics'; id: number }
  | { type: 'stop' };

export type TFromWorkThread =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'metrics'; id: number; metrics: unknown[] }
  /** A handed-off request's listener finished (the main thread bounds how many are in flight). */
  | { type: 'handled' }
  | { type: 'stopped' };

/** What the work thread is started with: the configuration (cloned: keys arrive as Uint8Array) and the tuning. */
export interface TWorkThreadData {
  config: TConfig;
  startScheduler: boolean;
  /** Names the channels on which the two threads forget changed cached values together. */
  peerGroup: string;
  outbox: TOutboxTuning | undefined;
  /** Only plain data can cross to the thread: the WebClient's retry schedule (tests shorten it). */
  clientOptions: Pick<WebClientOptions, 'retryConfig'> | undefined;
}
