import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './appProcess';

// A PostgreSQL server of the test's own, in a temporary folder, that the test may stop and start
// while the app runs: the shared cluster of TEST_DATABASE_URL serves other test files at the same
// time and must never be restarted. initdb refuses to run as root, so as root (CI) the server runs
// as the `postgres` system user, which Debian's postgresql package creates.

const run = promisify(execFile);

export interface TPrivatePostgres {
  /** postgresql://postgres@127.0.0.1:<port>/postgres (trust authentication, loopback only). */
  url: string;
  /** Stops the server (fast shutdown: connections are cut), waits `downMs`, and starts it again. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** The newest PostgreSQL's bin folder (PG_BIN overrides), or undefined when none is installed. */
export function findPostgresBin(): string | undefined {
  if (process.env.PG_BIN) return existsSync(path.join(process.env.PG_BIN, 'pg_ctl')) ? process.env.PG_BIN : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((version) => existsSync(path.join(root, version, 'bin/pg_ctl')))
    .sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  return newest ? path.join(root, newest, 'bin') : undefined;
}

export async function startPrivatePostgres(): Promise<TPrivatePostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('No PostgreSQL server binaries (pg_ctl, initdb) under /usr/lib/postgresql/*/bin; install postgresql or set PG_BIN.');
  const asRoot = userInfo().uid === 0;
  const folder = await mkdtemp(path.join(tmpdir(), 'debrief-pg-'));
  const dataDir = path.join(folder, 'data');
  const port = await freePort();
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(folder, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { cwd: folder }) : run(path.join(bin, tool), args, { cwd: folder });

  await pg('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  // fsync off: the test restarts the server cleanly and never loses the machine; it saves seconds.
  const serverOptions = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const start = () => pg('pg_ctl', ['-D', dataDir, '-o', serverOptions, '-l', path.join(folder, 'server.log'), '-w', '-t', '30', 'start']);
  const stopFast = () => pg('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
  await start();
  let running = true;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async restart(downMs) {
      await stopFast();
      running = false;
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
      running = true;
    },
    async stop() {
      if (running) await pg('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      running = false;
      await rm(folder, { recursive: true, force: true });
    },
  };
}
