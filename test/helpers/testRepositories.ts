import { openDatabase, type TDatabase } from '../../src/db/client';
import { createRepositories, type TRepositories } from '../../src/repositories';
import { createTestDatabase } from './database';

export interface TTestRepositories {
  readonly database: TDatabase;
  readonly repos: TRepositories;
  /**
   * With `secondInstance`: repositories over a second connection pool to the same database, as a
   * second instance of Debrief would have. PGlite is one process-local database, so there they
   * share the first client. Without it, the same as `repos`.
   */
  readonly otherRepos: TRepositories;
}

/**
 * A fresh, migrated database of the given kind for the enclosing describe block, opened before its
 * tests and dropped after them. Read `database` and `repos` inside tests, not at collection time.
 */
export function useTestRepositories(kind: 'pglite' | 'postgres', options: { secondInstance?: boolean } = {}): TTestRepositories {
  let opened: { database: TDatabase; repos: TRepositories; other?: TDatabase; otherRepos: TRepositories; drop(): Promise<void> } | undefined;
  beforeAll(async () => {
    const testDatabase = await createTestDatabase(kind);
    const database = await openDatabase(testDatabase.config);
    const repos = createRepositories(database.prisma);
    const other = options.secondInstance && kind === 'postgres' ? await openDatabase(testDatabase.config, { migrate: false }) : undefined;
    opened = { database, repos, other, otherRepos: other ? createRepositories(other.prisma) : repos, drop: () => testDatabase.drop() };
  });
  afterAll(async () => {
    await opened?.other?.close();
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
    get otherRepos() {
      return current().otherRepos;
    },
  };
}
