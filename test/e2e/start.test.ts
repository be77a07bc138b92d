import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

// `npm start` as a user runs it: the real entry point in its own process, configured only by the
// environment. Slack is unreachable here, which the app must survive.
const ROOT = path.join(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function start(env: Record<string, string>, cwd: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  const child = spawn(TSX, [path.join(ROOT, 'src/main.ts')], {
    cwd,
    // Only PATH and HOME from the test's own environment: nothing else may leak in.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForHealth(url: string, deadline: number): Promise<Response> {
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

describe('npm start', () => {
  let workDir: string;
  beforeEach(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'debrief-start-'));
  });
  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('serves Slack over HTTP on an embedded database from the three required variables, and stops on SIGTERM', async () => {
    const port = await freePort();
    const app = start(
      {
        SLACK_BOT_TOKEN: 'xoxb-1-2-3',
        SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
        RETRO_CHANNEL: 'C0123456789',
        PORT: String(port),
      },
      workDir,
    );
    try {
      const health = await waitForHealth(`http://127.0.0.1:${port}/healthz`, Date.now() + 45_000);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual(expect.objectContaining({ database: 'up' }));
      // An unsigned request to the Slack endpoint is refused: the HTTP receiver verifies signatures.
      const unsigned = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(unsigned.status).toBe(401);
      expect(app.output()).toMatch(/HTTP on port \d+/);
      expect(app.output()).toMatch(/embedded PostgreSQL in \.\/data/);
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    } finally {
      app.child.kill('SIGKILL');
    }
  }, 60_000);

  it('stops with one clear message and no stack trace when configuration is missing', async () => {
    const app = start({ SLACK_BOT_TOKEN: 'xoxb-1-2-3' }, workDir);
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain('Debrief cannot start');
    expect(app.output()).toMatch(/SLACK_SIGNING_SECRET is not set/);
    expect(app.output()).toMatch(/RETRO_CHANNEL is not set/);
    expect(app.output()).not.toMatch(/^\s+at /m);
  }, 30_000);
});
