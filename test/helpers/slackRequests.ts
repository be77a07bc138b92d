/**
 * Send requests to a Bolt HTTP app exactly as Slack does: signed (v0 HMAC-SHA256), JSON for Events API
 * envelopes, `payload=<json>` form encoding for interactivity, plain form fields for slash commands.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface SlackHttp {
  /** e.g. 'http://127.0.0.1:3000' */
  baseUrl: string;
  signingSecret: string;
}

export interface SlackRequestOptions {
  /** Sends X-Slack-Retry-Num (and X-Slack-Retry-Reason, default 'http_timeout'). */
  retryNum?: number;
  retryReason?: string;
  /** Request timestamp in seconds (used both to sign and as X-Slack-Request-Timestamp). Default: now. */
  timestamp?: number;
  /** Replaces the computed X-Slack-Signature (for bad-signature tests). */
  signature?: string;
  /** Path on the app; default '/slack/events'. */
  path?: string;
  /** Extra/overriding request headers. */
  headers?: Record<string, string>;
}

export interface SlackResponse {
  status: number;
  body: string;
  /** Parsed body when it is JSON (e.g. view_submission acks with response_action). */
  json?: unknown;
  headers: Record<string, string>;
}

export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): { 'x-slack-signature': string; 'x-slack-request-timestamp': string } {
  const ts = String(timestampSeconds);
  const hash = createHmac('sha256', signingSecret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${hash}`, 'x-slack-request-timestamp': ts };
}

/** Low-level: POST `body` with `contentType`, signed, to the app. Use for malformed-payload tests. */
export async function postRaw(
  http: SlackHttp,
  body: string,
  contentType: string,
  opts: SlackRequestOptions = {},
): Promise<SlackResponse> {
  const signed = signSlackRequest(http.signingSecret, body, opts.timestamp);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': signed['x-slack-request-timestamp'],
    'x-slack-signature': opts.signature ?? signed['x-slack-signature'],
  };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
  }
  Object.assign(headers, opts.headers);
  const url = new URL(opts.path ?? '/slack/events', http.baseUrl.endsWith('/') ? http.baseUrl : `${http.baseUrl}/`);
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json: unknown;
  if ((res.headers.get('content-type') ?? '').includes('json') || /^\s*[[{]/.test(text)) {
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, body: text, json, headers: Object.fromEntries(res.headers.entries()) };
}

/** Events API: JSON envelope (`{ type: 'event_callback', event, ... }` or `url_verification`). */
export function postEvent(http: SlackHttp, envelope: object, opts: SlackRequestOptions = {}): Promise<SlackResponse> {
  return postRaw(http, JSON.stringify(envelope), 'application/json', opts);
}

/** Interactivity (block_actions, view_submission, shortcut, ...): form-encoded `payload=<json>`. */
export function postInteraction(
  http: SlackHttp,
  payload: object,
  opts: SlackRequestOptions = {},
): Promise<SlackResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postRaw(http, body, 'application/x-www-form-urlencoded', opts);
}

/**
 * Slash command: form-encoded fields. Fields Slack always sends get defaults (team_id T0TEST, channel C0TEST,
 * user U0USER, a fresh trigger_id, ...); anything in `fields` wins. Pass `command` and, if the handler uses
 * respond(), `response_url` (e.g. FakeSlack#responseUrl()).
 */
export function postCommand(
  http: SlackHttp,
  fields: Record<string, string>,
  opts: SlackRequestOptions = {},
): Promise<SlackResponse> {
  const all: Record<string, string> = {
    token: 'deprecated-verification-token',
    team_id: 'T0TEST',
    team_domain: 'test',
    channel_id: 'C0TEST',
    channel_name: 'general',
    user_id: 'U0USER',
    user_name: 'user',
    text: '',
    api_app_id: 'A0TEST',
    is_enterprise_install: 'false',
    trigger_id: newTriggerId(),
    ...fields,
  };
  return postRaw(http, new URLSearchParams(all).toString(), 'application/x-www-form-urlencoded', opts);
}

/** A trigger_id in Slack's format ('<digits>.<digits>.<hex>'). */
export function newTriggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e12)}.${randomBytes(16).toString('hex')}`;
}
