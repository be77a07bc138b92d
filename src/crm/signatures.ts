import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { IntakeError, type THeaders, type TRawBody } from './types';

/**
 * Compares two secrets or signatures without leaking, through timing, how much of them matched.
 * Both sides are hashed first because timingSafeEqual needs equal lengths and comparing lengths
 * directly would reveal the expected length.
 */
export function timingSafeEqualString(actual: string, expected: string): boolean {
  const a = createHash('sha256').update(actual, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** HMAC-SHA256 over the exact bytes received; parts are fed in order so nothing is re-encoded. */
export function hmacSha256(secret: string, parts: readonly (string | Buffer)[]): Buffer {
  const hmac = createHmac('sha256', secret);
  for (const part of parts) {
    if (typeof part === 'string') hmac.update(part, 'utf8');
    else hmac.update(part);
  }
  return hmac.digest();
}

export function toBuffer(rawBody: TRawBody): Buffer {
  return typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
}

/** Header lookup that ignores case, since Node lower-cases names and tests often do not. */
export function getHeader(headers: THeaders, name: string): string | undefined {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    return headers.get(name) ?? undefined;
  }
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    // A repeated header is ambiguous for authentication; taking the first keeps it deterministic
    // and a forged second copy cannot make a valid first one fail open.
    return typeof value === 'string' ? value : (value as string[])[0];
  }
  return undefined;
}

/** A secret that is empty would make every comparison against an empty header succeed. */
export function assertConfigured(value: string, envName: string): void {
  if (value.trim() === '') {
    throw new Error(`${envName} is not configured`);
  }
}

export const DEFAULT_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * Rejects replays: a captured request stays valid only inside the window. The future side is
 * bounded too, or a leaked signature for a far-future timestamp would be replayable for ever.
 */
export function assertFreshTimestamp(
  timestampMs: number,
  nowMs: number,
  headerName: string,
  toleranceMs = DEFAULT_TOLERANCE_MS,
): void {
  if (nowMs - timestampMs > toleranceMs) {
    throw new IntakeError(401, `${headerName} is older than ${toleranceMs / 60000} minutes`);
  }
  if (timestampMs - nowMs > toleranceMs) {
    throw new IntakeError(401, `${headerName} is too far in the future`);
  }
}
