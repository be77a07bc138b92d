import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client } from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { createPGlite } from './pglite';
import { applyMigrations } from './schemaEngine';

export type TDatabaseConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export interface TDatabase {
  prisma: PrismaClient;
  kind: TDatabaseConfig['kind'];
  /** True when a trivial query answers; used by /healthz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// Any fixed 64-bit number works; it only has to be the same for every replica and the CLI.
export const MIGRATION_LOCK_KEY = 7_265_010_443;

/**
 * Applies pending migrations while holding a session advisory lock, so that replicas starting at
 * once and `npm run db:migrate:deploy` (a Kubernetes migration Job) never migrate concurrently:
 * whoever comes second waits, then finds nothing left to apply.
 */
export async function migratePostgresUnderLock(url: string): Promise<string[]> {
  const lockClient = new Client({ connectionString: url });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await applyMigrations({ kind: 'postgres', connectionString: url });
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockClient.end();
  }
}

/**
 * Opens the database Debrief runs on and brings its schema up to date: PGlite in a folder by
 * default (or in memory with dataDir "memory://"), PostgreSQL when a URL is configured.
 */
export async function openDatabase(config: TDatabaseConfig, options: { migrate?: boolean } = {}): Promise<TDatabase> {
  const migrate = options.migrate ?? true;
  if (config.kind === 'postgres') {
    if (migrate) await migratePostgresUnderLock(config.url);
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: config.url }) });
    return {
      prisma,
      kind: 'postgres',
      ping: () => pingWith(prisma),
      close: () => prisma.$disconnect(),
    };
  }

  const inMemory = config.dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(path.resolve(config.dataDir), { recursive: true });
  const pglite = createPGlite(inMemory ? config.dataDir : path.resolve(config.dataDir));
  try {
    if (migrate) await applyMigrations({ kind: 'pglite', pglite });
  } catch (error) {
    await pglite.close();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    kind: 'pglite',
    ping: () => pingWith(prisma),
    close: async () => {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

async function pingWith(prisma: PrismaClient): Promise<boolean> {
  try {
    await prisma.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
