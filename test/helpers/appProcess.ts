import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TDatabaseConfig } from '../../src/db/client';
import type { SlackHttp } from './slackRequests';

// Debrief as a real process, the way `npm start` runs it, for the fault tests: a process can be
// killed with SIGKILL in the middle of its work, which an app inside the test's own process cannot.
// One `node` process (tsx as an --import loader, not the tsx CLI, which would put a second process
// between the test and the app and survive the kill).

export const ROOT = path.join(__dirname, '../..');
export const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export const PROCESS_SIGNING_SECRET = 'fa017e57fa017e57fa017e57fa017e57';
export const PROCESS_WEBHOOK_SECRET = 'fault-test-generic-webhook-secret';
export const PROCESS_RETRO_CHANNEL = 'C0FAULTS01';

export interface TAppProcess {
  pid: number;
  port: number;
  http: SlackHttp;
  baseUrl: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the process has exited, with its code (null when killed) and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** SIGKILL: no shutdown hooks, no flushing; resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the graceful exit; SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts `src/main.ts` in HTTP mode against `slackApiUrl` and the given database, and resolves
 * once /healthz answers 200. The environment is built here alone (PATH and HOME apart), and the
 * working directory is an empty folder, so no .env of the developer's leaks in.
 */
export async function startAppProcess(options: {
  database: TDatabaseConfig;
  slackApiUrl: string;
  env?: Record<string, string>;
  /** Reuse a port (a restarted instance where senders keep the old address). */
  port?: number;
  readyTimeoutMs?: number;
  label?: string;
}): Promise<TAppProcess> {
  const port = options.port ?? (await freePort());
  const cwd = await mkdtemp(path.join(tmpdir(), 'debrief-process-'));
  const database: Record<string, string> = options.database.kind === 'postgres' ? { DATABASE_URL: options.database.url } : { DATA_DIR: options.database.dataDir };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    SLACK_BOT_TOKEN: 'xoxb-fault-test-token',
    SLACK_SIGNING_SECRET: PROCESS_SIGNING_SECRET,
    SLACK_API_URL: options.slackApiUrl,
    RETRO_CHANNEL: PROCESS_RETRO_CHANNEL,
    WEBHOOK_SIGNING_SECRET: PROCESS_WEBHOOK_SECRET,
    PORT: String(port),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    LOG_FORMAT: 'pretty',
    ...database,
    ...options.env,
  };
  let output = '';
  const child = spawn(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'src/main.ts')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const label = options.label ?? `debrief:${port}`;
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    if (process.env.FAULT_TEST_ECHO) process.stderr.write(`[${label}] ${chunk.toString()}`);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      void rm(cwd, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const baseUrl = `http://127.0.0.1:${port}`;
  const app: TAppProcess = {
    pid: child.pid ?? -1,
    port,
    baseUrl,
    http: { baseUrl, signingSecret: PROCESS_SIGNING_SECRET },
    child,
    output: () => output,
    exited,
    alive: () => !hasExited,
    async kill9() {
      if (!hasExited) child.kill('SIGKILL');
      await exited;
    },
    async stop(timeoutMs = 20_000) {
      if (hasExited) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (hasExited) throw new Error(`${label} exited before it was ready:\n${output}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return app;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await app.kill9();
      throw new Error(`${label} was not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
