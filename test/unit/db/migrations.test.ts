import { Client } from 'pg';
import { MIGRATION_LOCK_KEY, migratePostgresUnderLock, openDatabase } from '../../../src/db/client';
import { createPGlite } from '../../../src/db/pglite';
import { applyMigrations, diffSchemaAgainstMigrations, readMigrationList } from '../../../src/db/schemaEngine';
import { createTestDatabase, DATABASE_KINDS } from '../../helpers/database';

describe('migrations', () => {
  it('match prisma/schema.prisma exactly: `npm run db:migrate:new` would write nothing', async () => {
    const shadow = createPGlite();
    try {
      expect(await diffSchemaAgainstMigrations(shadow)).toBeUndefined();
    } finally {
      await shadow.close();
    }
  });

  it('are standard Prisma migration folders with a lock file', async () => {
    const list = await readMigrationList();
    expect(list.lockfile.content).toContain('provider = "postgresql"');
    expect(list.migrationDirectories.length).toBeGreaterThan(0);
    for (const directory of list.migrationDirectories) {
      expect(directory.path).toMatch(/^\d{14}_[a-z0-9_]+$/);
    }
  });

  it('report what is applied, then nothing the second time (PGlite)', async () => {
    const pglite = createPGlite();
    try {
      const names = (await readMigrationList()).migrationDirectories.map((directory) => directory.path);
      expect(await applyMigrations({ kind: 'pglite', pglite })).toEqual(names);
      expect(await applyMigrations({ kind: 'pglite', pglite })).toEqual([]);
    } finally {
      await pglite.close();
    }
  });
});

describe.each(DATABASE_KINDS)('openDatabase on %s', (kind) => {
  it('migrates at start-up, idempotently, and answers a ping', async () => {
    const testDatabase = await createTestDatabase(kind);
    try {
      const first = await openDatabase(testDatabase.config);
      expect(await first.ping()).toBe(true);
      expect(await first.prisma.workspace.count()).toBe(0);
      await first.close();
      if (kind === 'postgres') {
        // A second start against the same server must find everything applied.
        const second = await openDatabase(testDatabase.config);
        expect(await second.ping()).toBe(true);
        await second.close();
      }
    } finally {
      await testDatabase.drop();
    }
  });

  // PostgreSQL's pool reconnects on demand, so only the embedded database can be "closed" for good.
  (kind === 'pglite' ? it : it.skip)('pings false once closed', async () => {
    const testDatabase = await createTestDatabase(kind);
    const database = await openDatabase(testDatabase.config);
    await database.close();
    expect(await database.ping()).toBe(false);
    await testDatabase.drop();
  });
});

// `npm run db:migrate:deploy` (a Kubernetes migration Job) and pods starting at the same time.
(process.env.TEST_DATABASE_URL ? describe : describe.skip)('migrations on PostgreSQL, from the CLI and at start-up at once', () => {
  it('take turns on one advisory lock: both succeed and each migration is applied once', async () => {
    const testDatabase = await createTestDatabase('postgres');
    const url = testDatabase.config.kind === 'postgres' ? testDatabase.config.url : '';
    try {
      const names = (await readMigrationList()).migrationDirectories.map((directory) => directory.path);
      // What the CLI's deploy runs, twice, and a replica starting beside them.
      const [jobA, jobB, replica] = await Promise.all([migratePostgresUnderLock(url), migratePostgresUnderLock(url), openDatabase(testDatabase.config)]);
      await replica.close();
      // Whoever got the lock first applied everything (the replica's count is not returned);
      // the others found nothing left, rather than failing or applying a second time.
      for (const applied of [jobA, jobB]) expect([names, []]).toContainEqual(applied);
      expect(jobA.length + jobB.length).toBeLessThanOrEqual(names.length);
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const rows = await client.query<{ migration_name: string; count: string }>(
          'SELECT migration_name, count(*) AS count FROM _prisma_migrations WHERE finished_at IS NOT NULL GROUP BY migration_name ORDER BY migration_name',
        );
        expect(rows.rows.map((row) => [row.migration_name, Number(row.count)])).toEqual(names.map((name) => [name, 1]));
      } finally {
        await client.end();
      }
    } finally {
      await testDatabase.drop();
    }
  });

  it('waits while another session holds the lock (the CLI does not migrate beside a starting pod)', async () => {
    const testDatabase = await createTestDatabase('postgres');
    const url = testDatabase.config.kind === 'postgres' ? testDatabase.config.url : '';
    // Holding the lock as a replica does while it migrates at start-up.
    const replica = new Client({ connectionString: url });
    await replica.connect();
    try {
      await replica.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      let finished = false;
      const deploy = migratePostgresUnderLock(url).finally(() => (finished = true));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(finished).toBe(false);
      await replica.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      expect((await deploy).length).toBeGreaterThan(0);
    } finally {
      await replica.end();
      await testDatabase.drop();
    }
  });
});
