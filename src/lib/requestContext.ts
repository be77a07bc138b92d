import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/**
 * What every log line written while handling one request carries, however deep in a service it
 * is written: the request's id and the workspace it came from. The receiver opens a context per
 * Slack request; the logger reads it (see logger.ts). Work that outlives the request's answer
 * (posting after ack) keeps the context, since promises carry it along.
 */
export type TRequestContext = {
  requestId: string;
  /** The Slack team (workspace) id, when the payload names one. */
  teamId?: string;
  /** command, block_actions, view_submission, event, ... */
  kind?: string;
};

const storage = new AsyncLocalStorage<TRequestContext>();

export function runWithRequestContext<T>(context: TRequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequestContext(): TRequestContext | undefined {
  return storage.getStore();
}

/** Short and unique enough to grep one request's lines out of a day's logs. */
export function newRequestId(): string {
  return randomBytes(8).toString('hex');
}
