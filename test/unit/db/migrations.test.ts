import { openDatabase } from '../../../src/db/client';
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
