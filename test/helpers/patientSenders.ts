import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CALLBACKS } from '../../src/slack/ids';
import { debriefFormState, logFormState, REP, viewSubmission } from './payloads';
import { signSlackRequest, type SlackHttp } from './slackRequests';

// Senders that behave like the real ones when Debrief fails: a CRM retries a webhook until it gets
// a 2xx (re-signing each time), and a person whose modal did not close presses Submit again.
// Each attempt is recorded, so a fault test can show what the sender went through.

export type TAttempt =
  /** Debrief answered, with this status (and, for a modal, the errors it showed). */
  | { outcome: 'answered'; status: number; ms: number; shownErrors?: Record<string, string> }
  /** The connection failed (refused, reset): the process is down or died mid-request. */
  | { outcome: 'connection_failed'; ms: number; error: string }
  /** No answer within the sender's patience: Debrief hung. */
  | { outcome: 'timed_out'; ms: number };

export interface TSendResult {
  label: string;
  attempts: TAttempt[];
  /** The accepted answer's body (webhooks: what Debrief said it did). */
  body: string;
}

export interface TSendOptions {
  /** Give up after this long in all (the test then fails with every attempt listed). */
  deadlineMs?: number;
  /** How long one attempt may take before the sender gives up on it. */
  attemptTimeoutMs?: number;
  /** The pause between attempts. */
  retryDelayMs?: number;
}

/** A 4xx that retrying cannot fix: the sender stops (and the test fails with it). */
class RefusedError extends Error {}

type TAnswer = { status: number; body: string; json?: unknown };

let stoppedAt = 0;

/** Makes every sender still trying give up after its current attempt (afterAll of a failed test). */
export function stopAllSenders(): void {
  stoppedAt = Date.now();
}

/** Sends until `accepted` says yes, retrying connection failures, timeouts and refusals. */
async function sendUntilAccepted(
  label: string,
  send: (signal: AbortSignal) => Promise<TAnswer>,
  accepted: (answer: TAnswer) => { ok: true } | { ok: false; retry: boolean; shownErrors?: Record<string, string> },
  options: TSendOptions = {},
): Promise<TSendResult> {
  const deadline = Date.now() + (options.deadlineMs ?? 45_000);
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  const attempts: TAttempt[] = [];
  for (;;) {
    const started = Date.now();
    try {
      const answer = await send(AbortSignal.timeout(attemptTimeoutMs));
      const verdict = accepted(answer);
      attempts.push({ outcome: 'answered', status: answer.status, ms: Date.now() - started, ...(verdict.ok ? {} : { shownErrors: verdict.shownErrors }) });
      if (verdict.ok) return { label, attempts, body: answer.body };
      if (!verdict.retry) throw new RefusedError(`${label}: refused for good with ${answer.status} ${answer.body}`);
    } catch (error) {
      if (error instanceof RefusedError) throw error;
      // Duck-typed: fetch's DOMException comes from another realm than the test's Error under jest.
      const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      attempts.push(timedOut ? { outcome: 'timed_out', ms: Date.now() - started } : { outcome: 'connection_failed', ms: Date.now() - started, error: describe(error) });
    }
    if (Date.now() > deadline) throw new Error(`${label}: not accepted in time; attempts: ${JSON.stringify(attempts)}`);
    if (stoppedAt > started) throw new Error(`${label}: stopped by the test; attempts: ${JSON.stringify(attempts)}`);
    await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 250));
  }
}

function describe(error: unknown): string {
  const { message, cause } = error as { message?: string; cause?: { code?: string; message?: string } };
  return cause?.code ?? cause?.message ?? message ?? String(error);
}

const GENERIC_FIXTURE = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/crm/generic-lost.json'), 'utf8')) as Record<string, unknown>;

/** A generic-webhook loss, as a CRM or Zapier sends it; unique per dealId. */
export function genericLoss(dealId: string, name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...GENERIC_FIXTURE, dealId, name, crmUrl: `https://crm.example.com/deals/${dealId}`, ...overrides };
}

/**
 * A CRM delivering one loss: re-signed and sent again after any 5xx, 429, connection failure or
 * timeout, until Debrief answers 2xx. A 4xx is a bug of the test or of Debrief: it throws.
 */
export function deliverLossUntilAccepted(baseUrl: () => string, secret: string, body: Record<string, unknown>, options?: TSendOptions): Promise<TSendResult> {
  const raw = JSON.stringify(body);
  return sendUntilAccepted(
    `webhook ${String(body.dealId)}`,
    async (signal) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = createHmac('sha256', secret).update(`${timestamp}.${raw}`, 'utf8').digest('hex');
      const response = await fetch(new URL('/webhooks/generic', baseUrl()), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-debrief-timestamp': timestamp, 'x-debrief-signature': `v1=${signature}` },
        body: raw,
        signal,
      });
      return { status: response.status, body: await response.text() };
    },
    (answer) => (answer.status >= 200 && answer.status < 300 ? { ok: true } : { ok: false, retry: answer.status >= 500 || answer.status === 429 }),
    options,
  );
}

/**
 * A person submitting a modal: when the answer does not come (Slack waits 3 seconds, then shows
 * "We had some trouble connecting") or shows an error, they press Submit again on the same view.
 */
function submitModalUntilClosed(label: string, http: () => SlackHttp, payload: Record<string, unknown>, options?: TSendOptions): Promise<TSendResult> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return sendUntilAccepted(
    label,
    async (signal) => {
      const { baseUrl, signingSecret } = http();
      const response = await fetch(new URL('/slack/events', baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(signingSecret, body) },
        body,
        signal,
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.status, body: text, json };
    },
    (answer) => {
      // Whatever went wrong, the person sees Slack's "trouble connecting" and submits again.
      if (answer.status !== 200) return { ok: false, retry: true };
      const json = answer.json as { response_action?: string; errors?: Record<string, string> } | undefined;
      // Inline errors keep the modal open: the person reads them and submits again.
      if (json?.response_action === 'errors') return { ok: false, retry: true, shownErrors: json.errors };
      return { ok: true };
    },
    // Slack shows its own error after 3 seconds and the person tries again a moment later. The
    // sender waits 5: two more seconds for a loaded two-core test machine, short of a hang.
    { attemptTimeoutMs: 5000, ...options },
  );
}

/** The owner submitting the debrief modal of `retroId` (the same view on every resubmission). */
export function submitDebriefUntilClosed(http: () => SlackHttp, retroId: string, viewId: string, options?: TSendOptions): Promise<TSendResult> {
  const payload = viewSubmission({ callbackId: CALLBACKS.debriefModal, privateMetadata: JSON.stringify({ retroId }), values: debriefFormState(), viewId, userId: REP });
  return submitModalUntilClosed(`debrief ${retroId}`, http, payload, options);
}

/** A rep logging a lost deal by hand through the modal (the same view on every resubmission). */
export function logLossUntilClosed(http: () => SlackHttp, dealName: string, viewId: string, options?: TSendOptions): Promise<TSendResult> {
  const payload = viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName, crmUrl: null }), viewId, userId: REP });
  return submitModalUntilClosed(`log ${dealName}`, http, payload, options);
}

/** One line per sender: what each attempt got, and the accepted answer. */
export function describeSenders(results: TSendResult[]): string {
  return results
    .map((result) => `${result.label}: ${result.attempts.map((attempt) => (attempt.outcome === 'answered' ? String(attempt.status) + (attempt.shownErrors ? JSON.stringify(attempt.shownErrors) : '') : attempt.outcome === 'connection_failed' ? `failed(${attempt.error})` : attempt.outcome))
        .join(', ')} -> ${result.body}`)
    .join('\n');
}
