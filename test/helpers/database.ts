import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { TDatabaseConfig } from '../../src/db/client';

// Database tests run on PGlite always and on a real PostgreSQL server when TEST_DATABASE_URL is
// set (CI sets it). Each suite gets a database of its own, so suites can run in parallel.

export interface TTestDatabase {
  name: 'pglite' | 'postgres';
  config: TDatabaseConfig;
  drop(): Promise<void>;
}

export const DATABASE_KINDS: Array<'pglite' | 'postgres'> = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/**
 * @param options.persistent for PGlite, a folder on disk instead of memory, so that a second app
 * can open the database after the first one stopped (restart tests). PostgreSQL always persists.
 */
export async function createTestDatabase(kind: 'pglite' | 'postgres', options: { persistent?: boolean } = {}): Promise<TTestDatabase> {
  if (kind === 'pglite') {
    if (options.persistent) {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'debrief-test-'));
      return { name: 'pglite', config: { kind: 'pglite', dataDir }, drop: () => rm(dataDir, { recursive: true, force: true }) };
    }
    return { name: 'pglite', config: { kind: 'pglite', dataDir: 'memory://' }, drop: async () => undefined };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const databaseName = `debrief_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return {
    name: 'postgres',
    config: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await client.end();
    },
  };
}
