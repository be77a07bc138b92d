import { openDatabase, type TDatabase } from '../../src/db/client';
import { createRepositories, type TRepositories } from '../../src/repositories';
import { createTestDatabase } from './database';

export interface TTestRepositories {
  readonly database: TDatabase;
  readonly repos: TRepositories;
}

/**
 * A fresh, migrated database of the given kind for the enclosing describe block, opened before its
 * tests and dropped after them. Read `database` and `repos` inside tests, not at collection time.
 */
export function useTestRepositories(kind: 'pglite' | 'postgres'): TTestRepositories {
  let opened: { database: TDatabase; repos: TRepositories; drop(): Promise<void> } | undefined;
  beforeAll(async () => {
    const testDatabase = await createTestDatabase(kind);
    const database = await openDatabase(testDatabase.config);
    opened = { database, repos: createRepositories(database.prisma), drop: () => testDatabase.drop() };
  });
  afterAll(async () => {
    await opened?.database.close();
    await opened?.drop();
  });
  const current = () => {
    if (!opened) throw new Error('useTestRepositories: the database opens in beforeAll; use it inside tests');
    return opened;
  };
  return {
    get database() {
      return current().database;
    },
    get repos() {
      return current().repos;
    },
  };
}
