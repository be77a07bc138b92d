import { ErrorCode } from '@slack/web-api';
import { backoffDelayMs, classifyFailure, nextAttemptDelayMs, NOT_READY_RETRY_MS, NotReadyError } from '../../../src/outbox/retryPolicy';
import { WorkspaceNotInstalledError } from '../../../src/slack/clients';

/** The shapes @slack/web-api throws, built the way it builds them. */
function platformError(code: string) {
  return Object.assign(new Error(`An API error occurred: ${code}`), { code: ErrorCode.PlatformError, data: { ok: false, error: code } });
}
function rateLimited(retryAfter: number) {
  return Object.assign(new Error('rate limited'), { code: ErrorCode.RateLimitedError, retryAfter });
}
function httpError(statusCode: number) {
  return Object.assign(new Error(`HTTP ${statusCode}`), { code: ErrorCode.HTTPError, statusCode });
}
function requestError() {
  return Object.assign(new Error('socket hang up'), { code: ErrorCode.RequestError });
}

describe('classifyFailure', () => {
  it('waits as long as a 429 says', () => {
    expect(classifyFailure(rateLimited(7))).toMatchObject({ action: 'retry', reason: 'rate_limited', afterMs: 7000 });
  });

  it('retries 5xx answers and cut connections with backoff', () => {
    expect(classifyFailure(httpError(503))).toMatchObject({ action: 'retry', reason: 'transient', error: 'http_503' });
    expect(classifyFailure(requestError())).toMatchObject({ action: 'retry', reason: 'transient' });
    expect(classifyFailure(platformError('internal_error'))).toMatchObject({ action: 'retry', reason: 'transient', error: 'internal_error' });
  });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'account_inactive', 'token_revoked'])('gives up on %s: a person has to act first', (code) => {
    expect(classifyFailure(platformError(code))).toEqual({ action: 'give_up', reason: 'permanent', error: code });
  });

  it('gives up on a workspace that uninstalled the app', () => {
    expect(classifyFailure(new WorkspaceNotInstalledError('T1'))).toMatchObject({ action: 'give_up', error: 'not_installed' });
  });

  it('retries a failure of its own (the database, a bug) rather than lose the message', () => {
    expect(classifyFailure(new Error('Connection terminated'))).toMatchObject({ action: 'retry', reason: 'transient', error: 'Connection terminated' });
  });
});

describe('backoff', () => {
  const backoff = { baseDelayMs: 1000, maxDelayMs: 60_000 };

  it('doubles from the base, between half and all of the ceiling', () => {
    expect(backoffDelayMs(1, backoff, () => 0)).toBe(500);
    expect(backoffDelayMs(1, backoff, () => 1)).toBe(1000);
    expect(backoffDelayMs(3, backoff, () => 0)).toBe(2000);
    expect(backoffDelayMs(3, backoff, () => 1)).toBe(4000);
  });

  it('is capped, however many attempts failed', () => {
    expect(backoffDelayMs(40, backoff, () => 1)).toBe(60_000);
    expect(backoffDelayMs(40, backoff, () => 0)).toBe(30_000);
  });

  it('spreads deliveries that failed together', () => {
    const delays = new Set([0.1, 0.4, 0.7, 0.9].map((r) => backoffDelayMs(4, backoff, () => r)));
    expect(delays.size).toBe(4);
  });

  it('honours Retry-After instead of the backoff, and stops after the last attempt', () => {
    const options = { maxAttempts: 5, backoff, random: () => 1 };
    expect(nextAttemptDelayMs(classifyFailure(rateLimited(30)), 4, options)).toBe(30_000);
    expect(nextAttemptDelayMs(classifyFailure(httpError(500)), 2, options)).toBe(2000);
    expect(nextAttemptDelayMs(classifyFailure(httpError(500)), 5, options)).toBeNull();
    expect(nextAttemptDelayMs(classifyFailure(platformError('not_in_channel')), 1, options)).toBeNull();
  });

  it('has a delivery waiting for its thread come back soon, however many attempts it has had', () => {
    const options = { maxAttempts: 5, backoff, random: () => 1 };
    const waiting = classifyFailure(new NotReadyError('Retro r1 has no thread yet'));
    expect(waiting).toMatchObject({ action: 'retry', reason: 'not_ready' });
    expect(nextAttemptDelayMs(waiting, 1, options)).toBe(NOT_READY_RETRY_MS);
    expect(nextAttemptDelayMs(waiting, 50, options)).toBe(NOT_READY_RETRY_MS);
    // Never longer than the longest backoff (tests shorten it to milliseconds).
    expect(nextAttemptDelayMs(waiting, 1, { ...options, backoff: { baseDelayMs: 10, maxDelayMs: 200 } })).toBe(200);
  });
});
