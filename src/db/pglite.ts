import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

// PGlite loads an extension only when the constructor is told about it, so every PGlite that
// runs Debrief's migrations (the app, the CLI, the shadow database of `db:migrate:new`, tests)
// must be made here: the search migration runs CREATE EXTENSION pg_trgm for typo-tolerant
// matching of competitor and account names.

/** An embedded PostgreSQL with the extensions Debrief's migrations need; in memory by default. */
export function createPGlite(dataDir = 'memory://'): PGlite {
  return new PGlite(dataDir, { extensions: { pg_trgm } });
}
