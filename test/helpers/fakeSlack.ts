/**
 * A local fake of the Slack Web API, built on node:http only.
 *
 * Point a WebClient (or Bolt's `clientOptions`) at it with `slackApiUrl: fake.url`. Every request is
 * recorded; default answers mimic the shapes of Slack's real responses; tests can queue failures
 * (`ok:false`, HTTP 429 with Retry-After, HTTP 500) or override answers per method.
 *
 * Paths served:
 *   POST|GET /api/<method>        Web API methods (form-urlencoded, JSON, multipart or query string)
 *   POST     /upload/<fileId>     upload URLs handed out by files.getUploadURLExternal (see uploads())
 *   POST     /response/<key>      response_url targets handed out by responseUrl() (recorded as method 'response_url')
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  /** Web API method, e.g. 'chat.postMessage'; 'response_url' for POSTs to a responseUrl(). */
  method: string;
  /** Decoded arguments (JSON-ish strings decoded to objects; `token` removed and put in `token`). */
  args: Record<string, unknown>;
  /** Token from `Authorization: Bearer …`, or from the `token` argument. */
  token?: string;
  /** Date.now() when the request arrived. */
  at: number;
  /** HTTP status the fake answered with (200, or 429/500 for queued failures; 0 for a lost answer). */
  status: number;
  /** JSON body the fake answered with (undefined for 429/500). */
  response?: Record<string, unknown>;
  /** Request path, e.g. '/api/chat.postMessage'. */
  path: string;
}

export interface RecordedUpload {
  fileId: string;
  bytes: Buffer;
  /** Filename of the multipart part, when the bytes were sent as multipart/form-data. */
  filename?: string;
  contentType?: string;
  token?: string;
  at: number;
}

export interface FakeUser {
  id: string;
  email?: string;
  name?: string;
  realName?: string;
  tz?: string;
  isBot?: boolean;
}

export type ResponseBody = Record<string, unknown>;
export type ResponseFactory = (args: Record<string, unknown>, call: { method: string; token?: string }) => ResponseBody;

type Queued =
  | { kind: 'error'; error: string; remaining: number }
  | { kind: 'ratelimit'; retryAfterSeconds: number; remaining: number }
  | { kind: 'server'; remaining: number }
  /** Handled as usual (a post is stored), but the connection is cut instead of answering. */
  | { kind: 'lostAnswer'; remaining: number };

interface Waiter {
  matches: (c: RecordedCall) => boolean;
  resolve: (c: RecordedCall) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface PendingFile {
  fileId: string;
  filename: string;
  length: number;
  altText?: string;
}

export const FAKE_TEAM_ID = 'T0TEST';
export const FAKE_BOT_USER_ID = 'U0BOT';
export const FAKE_BOT_ID = 'B0BOT';
export const FAKE_APP_ID = 'A0TEST';

/** Top-level keys that are JSON-encoded by clients (objects/arrays sent as strings). */
const JSON_KEYS = new Set(['blocks', 'attachments', 'view', 'metadata', 'files', 'unfurls', 'user_auth_blocks']);
/** Top-level keys that are free text and must never be JSON-decoded even if they look like JSON. */
const TEXT_KEYS = new Set([
  'text',
  'markdown_text',
  'initial_comment',
  'title',
  'alt_text',
  'alt_txt',
  'content',
  'filename',
  'private_metadata',
  'query',
  'user_auth_message',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeValue(key: string, value: string): unknown {
  if (TEXT_KEYS.has(key)) return value;
  const trimmed = value.trimStart();
  if (JSON_KEYS.has(key) || trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function decodeEntries(entries: Iterable<[string, string]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) out[key] = decodeValue(key, value);
  return out;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface ParsedMultipart {
  fields: Record<string, unknown>;
  files: { name: string; filename: string; bytes: Buffer; contentType: string }[];
}

/** Multipart parsing via the WHATWG Response.formData() built into Node 20 (undici). */
async function parseMultipart(body: Buffer, contentType: string): Promise<ParsedMultipart> {
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, unknown> = {};
  const files: ParsedMultipart['files'] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      fields[name] = decodeValue(name, value);
    } else {
      const bytes = Buffer.from(await value.arrayBuffer());
      fields[name] = bytes;
      files.push({ name, filename: value.name, bytes, contentType: value.type });
    }
  }
  return { fields, files };
}

async function parseArgs(req: IncomingMessage, body: Buffer, url: URL): Promise<Record<string, unknown>> {
  const args: Record<string, unknown> = decodeEntries(url.searchParams.entries());
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return args;
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (!isRecord(parsed)) throw new Error('JSON body must be an object');
    return { ...args, ...parsed };
  }
  if (contentType.startsWith('multipart/form-data')) {
    const { fields } = await parseMultipart(body, req.headers['content-type'] ?? contentType);
    return { ...args, ...fields };
  }
  // application/x-www-form-urlencoded (also the fallback: Slack is lenient about missing content types)
  return { ...args, ...decodeEntries(new URLSearchParams(body.toString('utf8')).entries()) };
}

function bearer(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (!auth) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(auth);
  return m?.[1]?.trim();
}

export class FakeSlack {
  readonly url: string;
  /** Origin of the fake, e.g. 'http://127.0.0.1:PORT' (no trailing slash). */
  readonly origin: string;

  private recorded: RecordedCall[] = [];
  private uploadList: RecordedUpload[] = [];
  private queued = new Map<string, Queued[]>();
  private overrides = new Map<string, ResponseBody | ResponseFactory>();
  private users = new Map<string, FakeUser>();
  private pendingFiles = new Map<string, PendingFile>();
  private views = new Map<string, Record<string, unknown>>();
  // Posted messages by channel, served back by conversations.history and conversations.replies.
  private messages = new Map<string, Record<string, unknown>[]>();
  private waiters = new Set<Waiter>();
  // Fault tests: answers held back per method, and time-boxed outages (see delayAnswers, outage).
  private answerDelays = new Map<string, number>();
  private outages: Array<{ methods: Set<string> | 'all'; until: number; answer: 'ratelimit' | 'server' | 'alternate'; retryAfterSeconds: number; served: number }> = [];
  // Monotonic across reset() so ts/ids stay unique for the fake's lifetime.
  private tsCounter = 0;
  private idCounter = 0;
  private stopped = false;

  private constructor(private readonly server: Server) {
    const address = server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${address.port}`;
    this.url = `${this.origin}/api/`;
  }

  static async start(): Promise<FakeSlack> {
    // Assigned once the server listens; requests arriving before that get a 503.
    // eslint-disable-next-line prefer-const
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => {
      if (!fake) {
        res.writeHead(503).end();
        return;
      }
      fake.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
        }
        res.end(`fake slack internal error: ${err instanceof Error ? err.message : String(err)}`);
      });
    });
    // Keep-alive sockets from fetch/undici must not keep the process (or jest) alive.
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    fake = new FakeSlack(server);
    return fake;
  }

  // ---------------------------------------------------------------------------------------------
  // Inspection
  // ---------------------------------------------------------------------------------------------

  calls(method?: string): RecordedCall[] {
    return method === undefined ? [...this.recorded] : this.recorded.filter((c) => c.method === method);
  }

  /** Bytes POSTed to upload URLs handed out by files.getUploadURLExternal. */
  uploads(): RecordedUpload[] {
    return [...this.uploadList];
  }

  /** A response_url pointing at this fake; POSTs to it are recorded as calls with method 'response_url'. */
  responseUrl(key?: string): string {
    return `${this.origin}/response/${encodeURIComponent(key ?? this.nextId('R'))}`;
  }

  /**
   * Resolves with the first recorded call to `method` matching `predicate` (calls already recorded count).
   * Note: calls answered with a queued failure (429/500/ok:false) are recorded too; filter with
   * `c.status === 200` / `c.response?.ok === true` if that matters.
   */
  waitForCall(method: string, predicate?: (c: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    const matches = (c: RecordedCall): boolean => c.method === method && (predicate ? predicate(c) : true);
    const existing = this.recorded.find(matches);
    if (existing) return Promise.resolve(existing);
    return new Promise<RecordedCall>((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        resolve: (c) => {
          clearTimeout(waiter.timer);
          this.waiters.delete(waiter);
          resolve(c);
        },
        reject: (e) => {
          clearTimeout(waiter.timer);
          this.waiters.delete(waiter);
          reject(e);
        },
        timer: setTimeout(() => {
          waiter.reject(new Error(this.timeoutMessage(method, predicate !== undefined, timeoutMs)));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Resolves with the first `count` calls to `method` once that many have been recorded. */
  async waitForCalls(method: string, count: number, timeoutMs = 5000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.calls(method);
      if (got.length >= count) return got.slice(0, count);
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(
          `${this.timeoutMessage(method, false, timeoutMs)} (wanted ${count} call(s) to ${method}, got ${got.length})`,
        );
      }
      const seen = got.length;
      // Wait for the (seen+1)-th call, or time out.
      try {
        await this.waitForCall(method, () => this.calls(method).length > seen, remaining);
      } catch {
        // loop re-checks and produces the detailed message
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Behaviour control
  // ---------------------------------------------------------------------------------------------

  /** The next `times` calls to `method` answer HTTP 200 `{ ok: false, error }`. */
  failNext(method: string, error: string, times = 1): void {
    this.enqueue(method, { kind: 'error', error, remaining: times });
  }

  /** The next `times` calls to `method` answer HTTP 429 with a `Retry-After: <seconds>` header. */
  rateLimitNext(method: string, retryAfterSeconds: number, times = 1): void {
    this.enqueue(method, { kind: 'ratelimit', retryAfterSeconds, remaining: times });
  }

  /** The next `times` calls to `method` answer HTTP 500. */
  serverErrorNext(method: string, times = 1): void {
    this.enqueue(method, { kind: 'server', remaining: times });
  }

  /**
   * The next `times` calls to `method` are carried out (a message is posted and stored) but the
   * connection is cut before the answer: the caller sees a network error although Slack acted.
   */
  loseAnswerNext(method: string, times = 1): void {
    this.enqueue(method, { kind: 'lostAnswer', remaining: times });
  }

  /**
   * Calls to `method` are carried out and recorded at once, but answered `ms` later (or never, if
   * the caller's connection is gone by then): a process killed meanwhile never learns that Slack
   * acted, the crash between Slack's answer and storing its ts. 0 answers at once again.
   */
  delayAnswers(method: string, ms: number): void {
    if (ms > 0) this.answerDelays.set(method, ms);
    else this.answerDelays.delete(method);
  }

  /**
   * For the next `durationMs`, calls to `methods` (every method when 'all') fail without effect:
   * HTTP 429 with Retry-After, HTTP 500, or the two in turn ('alternate'). Returns when it ends.
   */
  outage(methods: string[] | 'all', durationMs: number, answer: 'ratelimit' | 'server' | 'alternate', retryAfterSeconds = 1): number {
    const until = Date.now() + durationMs;
    this.outages.push({ methods: methods === 'all' ? 'all' : new Set(methods), until, answer, retryAfterSeconds, served: 0 });
    return until;
  }

  /** Messages posted to `channel` (parents and thread replies), oldest first, as stored. */
  messagesIn(channel: string): Record<string, unknown>[] {
    return (this.messages.get(channel) ?? []).map((message) => structuredClone(message));
  }

  /** Replace the default answer for `method` (until reset()). Queued failures still take precedence. */
  setResponse(method: string, body: ResponseBody | ResponseFactory): void {
    this.overrides.set(method, body);
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, { ...user });
  }

  /** Clears recorded calls and uploads, overrides, queued failures, users and views. */
  reset(): void {
    this.recorded = [];
    this.uploadList = [];
    this.queued.clear();
    this.overrides.clear();
    this.users.clear();
    this.pendingFiles.clear();
    this.views.clear();
    this.messages.clear();
    this.answerDelays.clear();
    this.outages = [];
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const w of [...this.waiters]) w.reject(new Error('FakeSlack stopped while waiting for a call'));
    await new Promise<void>((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections();
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Internals
  // ---------------------------------------------------------------------------------------------

  private enqueue(method: string, q: Queued): void {
    if (q.remaining <= 0) return;
    const list = this.queued.get(method) ?? [];
    list.push(q);
    this.queued.set(method, list);
  }

  private takeQueued(method: string): Queued | undefined {
    const list = this.queued.get(method);
    const head = list?.[0];
    if (!list || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) list.shift();
    if (list.length === 0) this.queued.delete(method);
    return head;
  }

  private timeoutMessage(method: string, withPredicate: boolean, timeoutMs: number): string {
    const counts = new Map<string, number>();
    for (const c of this.recorded) counts.set(c.method, (counts.get(c.method) ?? 0) + 1);
    const seen = [...counts.entries()].map(([m, n]) => (n > 1 ? `${m} x${n}` : m)).join(', ') || '(none)';
    const matching = counts.get(method) ?? 0;
    const why = withPredicate && matching > 0 ? ` (${matching} call(s) to ${method} did not match the predicate)` : '';
    return `FakeSlack: timed out after ${timeoutMs}ms waiting for ${method}${withPredicate ? ' matching predicate' : ''}${why}. Methods seen: ${seen}`;
  }

  private record(call: RecordedCall): void {
    this.recorded.push(call);
    for (const w of [...this.waiters]) {
      if (w.matches(call)) w.resolve(call);
    }
  }

  private nextTs(): string {
    this.tsCounter += 1;
    const seconds = 1700000000 + Math.floor(this.tsCounter / 10000);
    const micros = (this.tsCounter % 10000) * 100;
    return `${seconds}.${String(micros).padStart(6, '0')}`;
  }

  private nextId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}0${this.idCounter.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const body = await readBody(req);
    const path = url.pathname;

    if (path.startsWith('/api/')) {
      const method = decodeURIComponent(path.slice('/api/'.length));
      await this.handleApi(method, req, res, body, url);
      return;
    }
    if (path.startsWith('/upload/') && req.method === 'POST') {
      await this.handleUpload(decodeURIComponent(path.slice('/upload/'.length)), req, res, body);
      return;
    }
    if (path.startsWith('/response/') && req.method === 'POST') {
      let args: Record<string, unknown>;
      try {
        args = await parseArgs(req, body, url);
      } catch {
        args = { raw: body.toString('utf8') };
      }
      const response = { ok: true };
      this.record({ method: 'response_url', args, token: bearer(req), at: Date.now(), status: 200, response, path });
      sendJson(res, 200, response);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`FakeSlack: no route for ${req.method ?? '?'} ${path}`);
  }

  private async handleApi(
    method: string,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    url: URL,
  ): Promise<void> {
    const at = Date.now();
    let args: Record<string, unknown>;
    try {
      args = await parseArgs(req, body, url);
    } catch {
      const response = { ok: false, error: 'invalid_form_data' };
      this.record({ method, args: { raw: body.toString('utf8') }, token: bearer(req), at, status: 200, response, path: url.pathname });
      sendJson(res, 200, response);
      return;
    }
    const argToken = str(args.token);
    delete args.token;
    const token = bearer(req) ?? argToken;

    const outage = this.outages.find((candidate) => candidate.until > at && (candidate.methods === 'all' || candidate.methods.has(method)));
    if (outage) {
      outage.served += 1;
      const rateLimited = outage.answer === 'ratelimit' || (outage.answer === 'alternate' && outage.served % 2 === 1);
      this.record({ method, args, token, at, status: rateLimited ? 429 : 500, path: url.pathname });
      if (rateLimited) res.writeHead(429, { 'retry-after': String(outage.retryAfterSeconds), 'content-type': 'text/plain' }).end('rate limited');
      else res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
      return;
    }

    const queued = this.takeQueued(method);
    if (queued?.kind === 'ratelimit') {
      this.record({ method, args, token, at, status: 429, path: url.pathname });
      res
        .writeHead(429, { 'retry-after': String(queued.retryAfterSeconds), 'content-type': 'text/plain' })
        .end('rate limited');
      return;
    }
    if (queued?.kind === 'server') {
      this.record({ method, args, token, at, status: 500, path: url.pathname });
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
      return;
    }

    let response: ResponseBody;
    if (queued?.kind === 'lostAnswer') {
      response = this.defaultResponse(method, args);
      this.record({ method, args, token, at, status: 0, response, path: url.pathname });
      req.socket.destroy();
      return;
    }
    if (queued?.kind === 'error') {
      response = { ok: false, error: queued.error };
    } else {
      const override = this.overrides.get(method);
      if (typeof override === 'function') response = override(args, { method, token });
      else if (override) response = structuredClone(override);
      else response = this.defaultResponse(method, args);
    }
    const call: RecordedCall = { method, args, token, at, status: 200, response, path: url.pathname };
    this.record(call);
    const delayMs = this.answerDelays.get(method);
    if (delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, delayMs));
    // The caller hung up (or died) while the answer was held back: Slack acted, the caller never heard.
    if (res.destroyed) call.status = 0;
    else sendJson(res, 200, response);
  }

  private async handleUpload(fileId: string, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const contentType = req.headers['content-type'];
    let bytes = body;
    let filename: string | undefined;
    let partType: string | undefined = contentType;
    if (contentType?.toLowerCase().startsWith('multipart/form-data')) {
      const { files, fields } = await parseMultipart(body, contentType);
      const file = files[0];
      if (file) {
        bytes = file.bytes;
        filename = file.filename;
        partType = file.contentType;
      } else {
        const first = Object.values(fields).find((v) => typeof v === 'string');
        bytes = Buffer.from(typeof first === 'string' ? first : '');
      }
    }
    if (!this.pendingFiles.has(fileId)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`FakeSlack: unknown upload url for ${fileId}`);
      return;
    }
    this.uploadList.push({ fileId, bytes, filename, contentType: partType, token: bearer(req), at: Date.now() });
    // files.slack.com answers the upload with a plain-text body.
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(`OK - ${bytes.length}`);
  }

  private userObject(u: FakeUser): Record<string, unknown> {
    const name = u.name ?? u.id.toLowerCase();
    const realName = u.realName ?? name;
    return {
      id: u.id,
      team_id: FAKE_TEAM_ID,
      name,
      deleted: false,
      real_name: realName,
      tz: u.tz ?? 'America/Los_Angeles',
      is_bot: u.isBot ?? false,
      is_app_user: false,
      profile: {
        email: u.email,
        real_name: realName,
        real_name_normalized: realName,
        display_name: name,
        display_name_normalized: name,
        team: FAKE_TEAM_ID,
      },
    };
  }

  private defaultResponse(method: string, args: Record<string, unknown>): ResponseBody {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://test.slack.com/',
          team: 'Test Team',
          team_id: FAKE_TEAM_ID,
          user: 'debrief',
          user_id: FAKE_BOT_USER_ID,
          bot_id: FAKE_BOT_ID,
          is_enterprise_install: false,
        };

      case 'chat.postMessage': {
        const channelArg = str(args.channel);
        if (!channelArg) return { ok: false, error: 'channel_not_found' };
        if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) {
          return { ok: false, error: 'no_text' };
        }
        const channel = /^[UW]/.test(channelArg) ? `D${channelArg}` : channelArg;
        const ts = this.nextTs();
        const threadTs = str(args.thread_ts);
        const message: Record<string, unknown> = {
          type: 'message',
          text: str(args.text) ?? '',
          user: FAKE_BOT_USER_ID,
          bot_id: FAKE_BOT_ID,
          app_id: FAKE_APP_ID,
          team: FAKE_TEAM_ID,
          ts,
        };
        if (args.blocks !== undefined) message.blocks = args.blocks;
        if (args.attachments !== undefined) message.attachments = args.attachments;
        if (args.metadata !== undefined) message.metadata = args.metadata;
        if (threadTs) message.thread_ts = threadTs;
        this.messages.set(channel, [...(this.messages.get(channel) ?? []), message]);
        return { ok: true, channel, ts, message };
      }

      case 'chat.update': {
        const channel = str(args.channel);
        const ts = str(args.ts);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!ts) return { ok: false, error: 'message_not_found' };
        const text = str(args.text) ?? '';
        const message: Record<string, unknown> = {
          type: 'message',
          text,
          user: FAKE_BOT_USER_ID,
          bot_id: FAKE_BOT_ID,
          app_id: FAKE_APP_ID,
          team: FAKE_TEAM_ID,
          ts,
        };
        if (args.blocks !== undefined) message.blocks = args.blocks;
        if (args.attachments !== undefined) message.attachments = args.attachments;
        const stored = this.messages.get(channel)?.find((candidate) => candidate.ts === ts);
        if (stored) Object.assign(stored, { text, ...(args.blocks !== undefined ? { blocks: args.blocks } : {}) });
        return { ok: true, channel, ts, text, message };
      }

      case 'chat.postEphemeral':
        if (!str(args.channel)) return { ok: false, error: 'channel_not_found' };
        if (!str(args.user)) return { ok: false, error: 'user_not_in_channel' };
        return { ok: true, message_ts: this.nextTs() };

      case 'chat.delete':
        return { ok: true, channel: str(args.channel), ts: str(args.ts) };

      case 'chat.getPermalink': {
        const channel = str(args.channel);
        const ts = str(args.message_ts);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!ts) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel, permalink: `https://test.slack.com/archives/${channel}/p${ts.replace('.', '')}` };
      }

      case 'views.open':
      case 'views.push':
        if (!str(args.trigger_id)) return { ok: false, error: 'invalid_arguments' };
        return this.viewResponse(args, undefined);

      case 'views.update': {
        const viewId = str(args.view_id);
        const externalId = str(args.external_id);
        let existingId = viewId;
        if (!existingId && externalId) {
          existingId = [...this.views.entries()].find(([, v]) => v.external_id === externalId)?.[0];
        }
        if (!viewId && !externalId) return { ok: false, error: 'invalid_arguments' };
        return this.viewResponse(args, existingId);
      }

      case 'views.publish':
        if (!str(args.user_id)) return { ok: false, error: 'invalid_arguments' };
        return this.viewResponse(args, undefined);

      case 'conversations.open': {
        const channel = str(args.channel);
        if (channel) return { ok: true, no_op: true, already_open: true, channel: { id: channel } };
        const firstUser = str(args.users)?.split(',')[0]?.trim();
        if (!firstUser) return { ok: false, error: 'users_list_not_supplied' };
        return { ok: true, channel: { id: `D${firstUser}` } };
      }

      case 'conversations.history': {
        // Top-level messages, newest first; metadata only when asked for, as Slack does.
        const channel = str(args.channel) ?? '';
        const oldest = Number(str(args.oldest) ?? '0');
        const top = (this.messages.get(channel) ?? []).filter((message) => message.thread_ts === undefined && Number(message.ts) > oldest);
        return { ok: true, messages: this.served(top.reverse(), args), has_more: false };
      }

      case 'conversations.replies': {
        // The parent first, then its replies oldest first.
        const channel = str(args.channel) ?? '';
        const ts = str(args.ts);
        const thread = (this.messages.get(channel) ?? []).filter((message) => message.ts === ts || message.thread_ts === ts);
        if (thread.length === 0) return { ok: false, error: 'thread_not_found' };
        return { ok: true, messages: this.served(thread, args), has_more: false };
      }

      case 'conversations.info': {
        const id = str(args.channel);
        if (!id) return { ok: false, error: 'channel_not_found' };
        const isIm = id.startsWith('D');
        return {
          ok: true,
          channel: {
            id,
            name: `channel-${id}`,
            is_channel: !isIm,
            is_im: isIm,
            is_private: false,
            is_archived: false,
            is_member: true,
          },
        };
      }

      case 'users.info': {
        const user = this.users.get(str(args.user) ?? '');
        return user ? { ok: true, user: this.userObject(user) } : { ok: false, error: 'user_not_found' };
      }

      case 'users.lookupByEmail': {
        const email = str(args.email)?.toLowerCase();
        const user = [...this.users.values()].find((u) => email !== undefined && u.email?.toLowerCase() === email);
        return user ? { ok: true, user: this.userObject(user) } : { ok: false, error: 'users_not_found' };
      }

      case 'users.list':
        return {
          ok: true,
          members: [...this.users.values()].map((u) => this.userObject(u)),
          response_metadata: { next_cursor: '' },
        };

      case 'files.getUploadURLExternal': {
        const filename = str(args.filename);
        const length = Number(str(args.length));
        if (!filename || !Number.isFinite(length)) return { ok: false, error: 'invalid_arguments' };
        const fileId = this.nextId('F');
        this.pendingFiles.set(fileId, { fileId, filename, length, altText: str(args.alt_text) });
        return { ok: true, upload_url: `${this.origin}/upload/${fileId}`, file_id: fileId };
      }

      case 'files.completeUploadExternal': {
        const files = args.files;
        if (!Array.isArray(files) || files.length === 0) return { ok: false, error: 'invalid_arguments' };
        const out: Record<string, unknown>[] = [];
        for (const f of files) {
          const id = isRecord(f) ? str(f.id) : undefined;
          const pending = id ? this.pendingFiles.get(id) : undefined;
          if (!id || !pending) return { ok: false, error: 'file_not_found' };
          const title = (isRecord(f) ? str(f.title) : undefined) ?? pending.filename;
          out.push({
            id,
            name: pending.filename,
            title,
            size: pending.length,
            permalink: `https://test.slack.com/files/${FAKE_BOT_USER_ID}/${id}/${pending.filename}`,
          });
        }
        return { ok: true, files: out };
      }

      case 'oauth.v2.access':
        return { ok: false, error: 'invalid_code' };

      default:
        return { ok: true };
    }
  }

  private served(messages: Record<string, unknown>[], args: Record<string, unknown>): Record<string, unknown>[] {
    const withMetadata = str(args.include_all_metadata) === 'true';
    return messages.map((message) => {
      const copy = structuredClone(message);
      if (!withMetadata) delete copy.metadata;
      return copy;
    });
  }

  private viewResponse(args: Record<string, unknown>, existingId: string | undefined): ResponseBody {
    const view = args.view;
    if (!isRecord(view)) return { ok: false, error: 'invalid_arguments' };
    const id = existingId ?? this.nextId('V');
    const previous = this.views.get(id);
    const stored: Record<string, unknown> = {
      id,
      team_id: FAKE_TEAM_ID,
      state: { values: {} },
      private_metadata: '',
      callback_id: '',
      external_id: '',
      ...view,
      hash: `${Date.now()}.${this.nextId('h')}`,
      root_view_id: previous?.root_view_id ?? id,
      previous_view_id: null,
      app_id: FAKE_APP_ID,
      app_installed_team_id: FAKE_TEAM_ID,
      bot_id: FAKE_BOT_ID,
    };
    this.views.set(id, stored);
    return { ok: true, view: structuredClone(stored) };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
