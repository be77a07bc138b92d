import { ErrorCode } from '@slack/web-api';
import { slackErrorCode } from '../errors';
import { WorkspaceNotInstalledError } from '../slack/clients';

// What the outbox worker does with a failed delivery: try again later (how much later), or give up.
// Pure functions, so the rules are tested without Slack or a database.

export type TFailureVerdict =
  /** Slack said how long to wait (429 Retry-After). */
  | { action: 'retry'; reason: 'rate_limited'; afterMs: number; error: string }
  /** What the delivery posts into is not there yet (a retro's thread still opening): try again soon, without using up an attempt. */
  | { action: 'retry'; reason: 'not_ready'; afterMs: number; error: string }
  /** Slack or the network failed for a moment (5xx, a cut connection, a timeout), or a bug of ours. */
  | { action: 'retry'; reason: 'transient'; error: string }
  /** Trying again cannot help until a person acts (invite the bot, reinstall the app). */
  | { action: 'give_up'; reason: 'permanent'; error: string };

/**
 * Slack errors that the same call will get again: the bot is not in the channel, the channel is
 * gone, the token is dead. A person has to act first, so the delivery is given up and they are told.
 */
export const PERMANENT_SLACK_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'team_access_not_granted',
  'ekm_access_denied',
  'org_login_required',
  'user_not_found',
  'cannot_dm_bot',
  'invalid_blocks',
  'invalid_metadata_format',
  'msg_too_long',
  'too_many_attachments',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
]);

/**
 * Thrown by a handler whose delivery depends on another one not done yet, e.g. a debrief summary
 * for a retro whose thread the outbox is still opening. Waiting is not failing: the delivery comes
 * back in NOT_READY_RETRY_MS without using up an attempt (see the worker for how long at most).
 */
export class NotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotReadyError';
  }
}

export const NOT_READY_RETRY_MS = 1000;

/** Sorts a delivery failure into retry-after, retry-with-backoff or give-up. */
export function classifyFailure(error: unknown): TFailureVerdict {
  if (error instanceof NotReadyError) return { action: 'retry', reason: 'not_ready', afterMs: NOT_READY_RETRY_MS, error: error.message };
  if (error instanceof WorkspaceNotInstalledError) return { action: 'give_up', reason: 'permanent', error: 'not_installed' };
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (code === ErrorCode.RateLimitedError) {
    const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
    const seconds = typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : 1;
    return { action: 'retry', reason: 'rate_limited', afterMs: Math.max(seconds * 1000, 100), error: `rate_limited (retry after ${seconds}s)` };
  }
  if (code === ErrorCode.HTTPError) {
    const status = (error as { statusCode?: unknown }).statusCode;
    return { action: 'retry', reason: 'transient', error: `http_${typeof status === 'number' ? status : 'error'}` };
  }
  if (code === ErrorCode.RequestError) return { action: 'retry', reason: 'transient', error: `request_error: ${(error as Error).message}` };
  const slackCode = slackErrorCode(error);
  if (slackCode && PERMANENT_SLACK_ERRORS.has(slackCode)) return { action: 'give_up', reason: 'permanent', error: slackCode };
  // Slack's own hiccups (internal_error, fatal_error, service_unavailable, ratelimited) and anything
  // unexpected: retried with backoff, and given up after the attempts run out.
  return { action: 'retry', reason: 'transient', error: slackCode ?? (error instanceof Error ? error.message : String(error)) };
}

export interface TBackoff {
  /** The first retry's delay; each further attempt doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: TBackoff = { baseDelayMs: 1000, maxDelayMs: 5 * 60 * 1000 };

/**
 * How long to wait before attempt `attempts + 1`: exponential from baseDelayMs, capped, with
 * "equal jitter" (half fixed, half random) so that many deliveries failing together (Slack down
 * for a minute) do not all come back in the same second. `random` is injectable for tests.
 */
export function backoffDelayMs(attempts: number, backoff: TBackoff = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempts - 1);
  const ceiling = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** Math.min(exponent, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** When a failed delivery may be tried again, or null to give up. */
export function nextAttemptDelayMs(verdict: TFailureVerdict, attempts: number, options: { maxAttempts: number; backoff: TBackoff; random?: () => number }): number | null {
  if (verdict.action === 'give_up') return null;
  // Waiting for another delivery is not an attempt (the worker hands the attempt back).
  if (verdict.reason === 'not_ready') return Math.min(verdict.afterMs, options.backoff.maxDelayMs);
  if (attempts >= options.maxAttempts) return null;
  if (verdict.reason === 'rate_limited') return verdict.afterMs;
  return backoffDelayMs(attempts, options.backoff, options.random);
}
