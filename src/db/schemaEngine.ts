import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { projectRoot } from '../lib/projectRoot';
import type {
  MigrationList,
  SchemaContainer,
  SchemaEngine,
} from '@prisma/schema-engine-wasm/schema_engine_bg';

// The Prisma CLI needs a native schema engine that it downloads on first use, which is impossible
// offline. The same engine ships as WebAssembly, and driven through a driver adapter it applies
// and diffs migrations on PGlite and on PostgreSQL alike, so that is what Debrief uses.

type SchemaEngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

export const PRISMA_DIR = path.join(projectRoot(), 'prisma');
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');
export const SCHEMA_PATH = path.join(PRISMA_DIR, 'schema.prisma');
const LOCKFILE_NAME = 'migration_lock.toml';

const noExternalObjects = { externalTables: [], externalEnums: [] };

// lib.dom declares WebAssembly, but this is a Node project without the DOM lib.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: unknown };
};

let enginePromise: Promise<SchemaEngineModule> | undefined;

function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  enginePromise ??= (async () => {
    const modulePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    // The package's entry imports the .wasm file as an ES module, which Node cannot do without
    // flags, so the bindings are loaded on their own and the wasm instantiated by hand.
    const runtime = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as SchemaEngineModule & {
      __wbg_set_wasm(exports: unknown): void;
    };
    const wasmBytes = await readFile(path.join(path.dirname(modulePath), 'schema_engine_bg.wasm'));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes), {
      './schema_engine_bg.js': withUnrefTimers(runtime),
    });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return runtime;
  })();
  return enginePromise;
}

/**
 * The engine arms idle timers of several seconds after each run; unref'd, they no longer keep a
 * finished CLI (or test run) alive waiting for them.
 */
function withUnrefTimers(runtime: object): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...runtime };
  for (const [name, value] of Object.entries(imports)) {
    if (name.startsWith('__wbg_setTimeout') && typeof value === 'function') {
      const setTimer = value as (...args: unknown[]) => unknown;
      imports[name] = (...args: unknown[]) => {
        const timer = setTimer(...args);
        if (timer instanceof Object && 'unref' in timer && typeof timer.unref === 'function') (timer as NodeJS.Timeout).unref();
        return timer;
      };
    }
  }
  return imports;
}

/**
 * adapter-pg runs a migration script by cutting it at every ";", which cuts apart the bodies of
 * functions and triggers ($$ ... $$) that hand-written migrations (full-text search) contain.
 * PostgreSQL runs a multi-statement script whole, so it is sent whole; errors still go through the
 * adapter's own translation, which the schema engine understands.
 */
class PrismaPgWholeScripts extends PrismaPg {
  /** Every connection pool handed to the engine, closed when the engine is done with it. */
  readonly connected: Array<{ dispose(): Promise<void> }> = [];

  override async connect(): ReturnType<PrismaPg['connect']> {
    const adapter = await super.connect();
    this.connected.push(adapter);
    const pool = adapter.underlyingDriver();
    const translateError = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (error) {
        translateError(error);
      }
    };
    return adapter;
  }
}

export type MigrationTarget =
  | { kind: 'pglite'; pglite: PGlite }
  | { kind: 'postgres'; connectionString: string };

async function withSchemaEngine<T>(
  target: MigrationTarget,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const runtime = await loadSchemaEngineModule();
  const factory =
    target.kind === 'pglite'
      ? new PrismaPGlite(target.pglite)
      : new PrismaPgWholeScripts({ connectionString: target.connectionString });
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await runtime.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
  try {
    return await work(engine);
  } finally {
    engine.free();
    // The engine holds its advisory lock on a pooled connection; until the pool is closed the
    // next start (another replica, a restart) would wait for the pool's idle timeout.
    if (factory instanceof PrismaPgWholeScripts) await Promise.all(factory.connected.map((adapter) => adapter.dispose().catch(() => undefined)));
  }
}

export async function readMigrationList(migrationsDir = MIGRATIONS_DIR): Promise<MigrationList> {
  const lockfilePath = path.join(migrationsDir, LOCKFILE_NAME);
  const names = existsSync(migrationsDir)
    ? (await readdir(migrationsDir, { withFileTypes: true }))
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql' as const,
        content: {
          tag: 'ok' as const,
          value: await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf-8'),
        },
      },
    })),
  );
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: LOCKFILE_NAME,
      content: existsSync(lockfilePath) ? await readFile(lockfilePath, 'utf-8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Applies every pending migration; already applied ones are skipped by the engine. */
export async function applyMigrations(
  target: MigrationTarget,
  migrationsDir = MIGRATIONS_DIR,
): Promise<string[]> {
  const migrations = await readMigrationList(migrationsDir);
  if (migrations.migrationDirectories.length === 0) return [];
  return withSchemaEngine(target, async (engine) => {
    const result = await engine.applyMigrations({
      migrationsList: migrations,
      filters: noExternalObjects,
    });
    return result.appliedMigrationNames;
  });
}

/**
 * The SQL that takes a database built from the existing migrations to the schema in
 * schema.prisma, or undefined when they already agree. `shadow` must be an empty database.
 */
export async function diffSchemaAgainstMigrations(
  shadow: PGlite,
  schemaPath = SCHEMA_PATH,
  migrationsDir = MIGRATIONS_DIR,
): Promise<string | undefined> {
  const migrations = await readMigrationList(migrationsDir);
  const files: SchemaContainer[] = [{ path: schemaPath, content: await readFile(schemaPath, 'utf-8') }];
  return withSchemaEngine({ kind: 'pglite', pglite: shadow }, async (engine) => {
    if (migrations.migrationDirectories.length > 0) {
      await engine.applyMigrations({ migrationsList: migrations, filters: noExternalObjects });
    }
    const diff = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: path.dirname(schemaPath) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters: noExternalObjects,
    });
    return diff.exitCode === 0 || !diff.stdout ? undefined : diff.stdout;
  });
}
