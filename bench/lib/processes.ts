import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';

const ROOT = path.join(__dirname, '../..');

export interface TServer {
  name: string;
  child: ChildProcess;
  ready: Record<string, unknown> & { port?: number; url?: string; startMs?: number; retroId?: string };
  /** From spawning the process until it printed READY: loading the code (compiled by tsx on the fly) included. */
  spawnToReadyMs: number;
  stop(): Promise<void>;
}

/** Starts bench/servers/<script>.ts in its own Node process and waits for its READY line. */
export async function startServer(name: string, script: string, env: Record<string, string | undefined>, extraNodeArgs: string[] = []): Promise<TServer> {
  const started = process.hrtime.bigint();
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/profiles" profiles the servers.
  const nodeArgs = [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== ''), ...extraNodeArgs];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(ROOT, 'bench/servers', script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = await new Promise<TServer['ready']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 120 s:\n${output}`)), 120_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^READY (.*)$/m.exec(output);
      if (line?.[1]) {
        clearTimeout(timer);
        resolve(JSON.parse(line[1]) as TServer['ready']);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready:\n${output}`));
    });
  });
  const spawnToReadyMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    name,
    child,
    ready,
    spawnToReadyMs,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Resident memory of a process, in MiB, from /proc (Linux). */
export async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: utime is the 14th field, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Waits until a process has finished the work its requests left behind (outbox deliveries, modals
 * the work thread has yet to open): until it uses under 5% of a core for a second, or `timeoutMs`.
 * Returns how long that took, so that each measurement starts from a quiet app.
 */
export async function settle(pid: number, timeoutMs = 180_000): Promise<number> {
  const started = Date.now();
  let previous = await cpuMs(pid);
  let quietSince = Date.now();
  while (Date.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await cpuMs(pid);
    if (now - previous > 250 * 0.05) quietSince = Date.now();
    previous = now;
    if (Date.now() - quietSince >= 1000) return quietSince - started;
  }
  return timeoutMs;
}

/** USER_HZ: 100 on every Linux that Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Samples a process's resident memory until stopped; returns the peak. */
export function sampleMemory(pid: number, everyMs = 250): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => {
    residentMiB(pid).then(
      (mib) => (peak = Math.max(peak, mib)),
      () => undefined,
    );
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

/** A throw-away database on the server of `adminUrl`, dropped by drop(). */
export async function createBenchDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `debrief_bench_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
