import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openDatabase, type TDatabase, type TDatabaseConfig } from '../src/db/client';
import type { TSearchQuery } from '../src/domain/search';
import { Prisma } from '../src/generated/prisma/client';
import { createSearchRepository, type TSearchScope } from '../src/repositories/search';
import { parseSearchQuery } from '../src/slack/parsers/searchQuery';
import { createBenchDatabase } from './lib/processes';
import { createLossGenerator, type TSyntheticLoss } from './syntheticLosses';

// `npm run bench:search`: loads synthetic losses (100,000 by default) into a fresh database and
// times the queries people type, through the same repository the app uses (ranking, snippets and
// the per-page lookups included), next to a baseline that finds the same words with ILIKE and no
// index. PGlite always; PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set (a
// throw-away database is created on that server and dropped afterwards).
//
//   BENCH_LOSSES=100000 BENCH_ROUNDS=20 BENCH_BASELINE_ROUNDS=3 BENCH_ENGINES=postgres,pglite
//   BENCH_KEEP_DATABASE=1 keeps the PostgreSQL database for EXPLAIN ANALYZE.
//
// Loading writes the source tables with the search triggers switched off, then indexes every retro
// with debrief_search_refresh() in batches: the same function the triggers call, without paying
// one call per inserted row.

const LOSSES = Number(process.env.BENCH_LOSSES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const BASELINE_ROUNDS = Number(process.env.BENCH_BASELINE_ROUNDS ?? 3);
const BATCH = 2_000;
const PAGE = 6;
const TODAY = '2026-11-23';
const PUBLIC_CHANNEL = 'C0BENCH001';
const PRIVATE_CHANNELS = ['G0BENCH001', 'G0BENCH002'];

/** What people type, from one common word to several filters; each has matches in the data. */
const QUERIES = [
  'pricing',
  'globex',
  'globx',
  'sso audit',
  '"economic buyer"',
  'security review procurement',
  'competitor:hooli',
  'competitor:globx',
  'reason:price since:90d',
  'discount competitor:globex min:50k',
  'champion left status:debriefed',
  'wanorviz renewal',
  'bexnorbr',
  'budget frozen "fiscal year" since:2025-06',
];

const SEARCH_TRIGGERS: Array<[table: string, trigger: string]> = [
  ['retros', 'search_documents_retros'],
  ['deals', 'search_documents_deals'],
  ['debriefs', 'search_documents_debriefs'],
  ['thread_replies', 'search_documents_thread_replies'],
  ['lessons', 'search_documents_lessons'],
];

function parse(text: string): TSearchQuery {
  const parsed = parseSearchQuery(text, { today: TODAY });
  if (!parsed.ok) throw new Error(`Bad benchmark query ${text}: ${parsed.problems.join(' ')}`);
  return parsed.query;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? NaN;
}

async function insertJson(database: TDatabase, sql: (json: string) => Prisma.Sql, rows: object[]): Promise<void> {
  if (rows.length > 0) await database.prisma.$executeRaw(sql(JSON.stringify(rows)));
}

async function load(database: TDatabase, workspaceId: string): Promise<number> {
  const started = performance.now();
  const next = createLossGenerator(42);
  for (const [table, trigger] of SEARCH_TRIGGERS) await database.prisma.$executeRawUnsafe(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
  for (let offset = 0; offset < LOSSES; offset += BATCH) {
    const losses: Array<TSyntheticLoss & { dealId: string; retroId: string; channelId: string; index: number }> = [];
    for (let index = offset; index < Math.min(LOSSES, offset + BATCH); index += 1) {
      // One retro in fifty opens in a private channel.
      const channelId = index % 50 === 7 ? (PRIVATE_CHANNELS[index % 2] ?? PUBLIC_CHANNEL) : PUBLIC_CHANNEL;
      losses.push({ ...next(), dealId: randomUUID(), retroId: randomUUID(), channelId, index });
    }
    await insertJson(
      database,
      (json) => Prisma.sql`
        INSERT INTO deals (id, workspace_id, source, external_id, name, amount, currency, owner_slack_user_id, competitor, lost_at, updated_at)
        SELECT x.id, ${workspaceId}::uuid, 'generic', x.external_id, x.name, x.amount, 'USD', x.owner, x.competitor, x.lost_at, now()
        FROM json_to_recordset(${json}::json) AS x(id uuid, external_id text, name text, amount numeric, owner text, competitor text, lost_at timestamptz)`,
      losses.map((loss) => ({
        id: loss.dealId,
        external_id: `bench-${loss.index}`,
        name: loss.dealName,
        amount: loss.amount,
        owner: loss.ownerSlackUserId,
        competitor: loss.competitor,
        lost_at: loss.lostAt.toISOString(),
      })),
    );
    await insertJson(
      database,
      (json) => Prisma.sql`
        INSERT INTO retros (id, workspace_id, deal_id, channel_id, message_ts, status, permalink, created_at, updated_at)
        SELECT x.id, ${workspaceId}::uuid, x.deal_id, x.channel_id, x.message_ts, x.status::"RetroStatus", x.permalink, x.created_at, now()
        FROM json_to_recordset(${json}::json) AS x(id uuid, deal_id uuid, channel_id text, message_ts text, status text, permalink text, created_at timestamptz)`,
      losses.map((loss) => {
        const messageTs = `${Math.floor(loss.lostAt.getTime() / 1000)}.${String(loss.index % 1_000_000).padStart(6, '0')}`;
        return {
          id: loss.retroId,
          deal_id: loss.dealId,
          channel_id: loss.channelId,
          message_ts: messageTs,
          status: loss.index % 3 === 0 ? 'reviewed' : 'debriefed',
          permalink: `https://bench.slack.com/archives/${loss.channelId}/p${messageTs.replace('.', '')}`,
          created_at: loss.lostAt.toISOString(),
        };
      }),
    );
    await insertJson(
      database,
      (json) => Prisma.sql`
        INSERT INTO debriefs (id, retro_id, author_slack_user_id, primary_reason, secondary_reasons, outcome, winner_name, why_winner_won,
                              buyer_words, went_well, went_wrong, updated_at)
        SELECT gen_random_uuid(), x.retro_id, x.author, x.primary_reason, ARRAY(SELECT json_array_elements_text(x.secondary_reasons)),
               x.outcome, x.winner_name, x.why_winner_won, x.buyer_words, x.went_well, x.went_wrong, now()
        FROM json_to_recordset(${json}::json) AS x(retro_id uuid, author text, primary_reason text, secondary_reasons json, outcome text,
               winner_name text, why_winner_won text, buyer_words text, went_well text, went_wrong text)`,
      losses.map((loss) => ({
        retro_id: loss.retroId,
        author: loss.ownerSlackUserId,
        primary_reason: loss.primaryReason,
        secondary_reasons: loss.secondaryReasons,
        outcome: loss.winnerName ? 'competitor' : 'no_decision',
        winner_name: loss.winnerName,
        why_winner_won: loss.whyWinnerWon,
        buyer_words: loss.buyerWords,
        went_well: loss.wentWell,
        went_wrong: loss.wentWrong,
      })),
    );
    await insertJson(
      database,
      (json) => Prisma.sql`
        INSERT INTO thread_replies (id, retro_id, message_ts, author_slack_user_id, text, posted_at)
        SELECT gen_random_uuid(), x.retro_id, x.message_ts, 'U0TEAM0001', x.text, x.posted_at
        FROM json_to_recordset(${json}::json) AS x(retro_id uuid, message_ts text, text text, posted_at timestamptz)`,
      losses.flatMap((loss) =>
        loss.replies.map((text, index) => ({ retro_id: loss.retroId, message_ts: `${loss.index}.${index}`, text, posted_at: loss.lostAt.toISOString() })),
      ),
    );
    await insertJson(
      database,
      (json) => Prisma.sql`
        INSERT INTO lessons (id, retro_id, text, share_with_new_reps, source, position, created_by_slack_user_id, updated_at)
        SELECT gen_random_uuid(), x.retro_id, x.text, x.share, 'outcome', x.position, 'U0MGR00001', now()
        FROM json_to_recordset(${json}::json) AS x(retro_id uuid, text text, share boolean, position int)`,
      losses.flatMap((loss) => loss.lessons.map((text, position) => ({ retro_id: loss.retroId, text, share: loss.index % 40 === 0, position }))),
    );
    const retroIds = losses.map((loss) => loss.retroId);
    await database.prisma.$executeRaw`SELECT debrief_search_refresh(ARRAY(SELECT value::uuid FROM json_array_elements_text(${JSON.stringify(retroIds)}::json)))`;
    process.stdout.write(`\r  loaded ${Math.min(LOSSES, offset + BATCH).toLocaleString('en-US')} losses`);
  }
  for (const [table, trigger] of SEARCH_TRIGGERS) await database.prisma.$executeRawUnsafe(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
  // A running database's autovacuum merges the GIN indexes' pending lists and keeps statistics
  // fresh; after a bulk load, do it at once so the figures are those of a settled system.
  await database.prisma.$executeRawUnsafe('VACUUM ANALYZE');
  process.stdout.write('\n');
  return (performance.now() - started) / 1000;
}

/** The same query answered the naive way: ILIKE on the text, no index, newest first. */
function baselineSql(query: TSearchQuery, scope: TSearchScope): Prisma.Sql {
  const like = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  const conditions: Prisma.Sql[] = [
    Prisma.sql`sd.workspace_id = ${scope.workspaceId}::uuid`,
    Prisma.sql`sd.channel_id IN (${Prisma.join([...scope.visibleChannelIds])})`,
  ];
  for (const term of [...query.words, ...query.phrases]) conditions.push(Prisma.sql`sd.body ILIKE ${like(term)}`);
  if (query.competitor) conditions.push(Prisma.sql`sd.competitor ILIKE ${like(query.competitor)}`);
  if (query.reason) conditions.push(Prisma.sql`${query.reason} = ANY(sd.reasons)`);
  if (query.since) conditions.push(Prisma.sql`sd.lost_at >= ${new Date(`${query.since}T00:00:00Z`)}`);
  if (query.minAmount) conditions.push(Prisma.sql`sd.amount >= ${query.minAmount}::numeric`);
  if (query.status) conditions.push(Prisma.sql`sd.status = ${query.status}::"RetroStatus"`);
  return Prisma.sql`SELECT sd.retro_id FROM search_documents sd WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY sd.lost_at DESC LIMIT ${PAGE}`;
}

interface TEngineResult {
  engine: string;
  loadSeconds: number;
  indexed: number[];
  baseline: number[];
  perQuery: Map<string, { indexed: number[]; baseline: number[]; hits: number }>;
}

async function benchEngine(engine: 'postgres' | 'pglite'): Promise<TEngineResult> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const target =
    engine === 'postgres' && adminUrl
      ? await createBenchDatabase(adminUrl).then((created) => ({ config: { kind: 'postgres', url: created.url } as TDatabaseConfig, drop: () => created.drop() }))
      : { config: { kind: 'pglite', dataDir: 'memory://' } as TDatabaseConfig, drop: () => Promise.resolve() };
  console.log(`\n${engine}: loading ${LOSSES.toLocaleString('en-US')} synthetic losses…`);
  const database = await openDatabase(target.config);
  try {
    const workspace = await database.prisma.workspace.create({ data: { slackTeamId: 'T0BENCH' }, select: { id: true } });
    const loadSeconds = await load(database, workspace.id);
    const documents = await database.prisma.searchDocument.count();
    console.log(`  ${documents.toLocaleString('en-US')} search documents in ${loadSeconds.toFixed(0)} s`);

    const search = createSearchRepository(database.prisma);
    const scope: TSearchScope = { workspaceId: workspace.id, visibleChannelIds: [PUBLIC_CHANNEL, PRIVATE_CHANNELS[0] ?? PUBLIC_CHANNEL], includeAnonymousAuthors: false };
    const perQuery = new Map(QUERIES.map((text) => [text, { indexed: [] as number[], baseline: [] as number[], hits: 0 }]));
    // Warm the caches once, as a running app would have them.
    for (const text of QUERIES) await search.search(parse(text), scope, { limit: PAGE });

    for (let round = 0; round < ROUNDS; round += 1) {
      for (const text of QUERIES) {
        const started = performance.now();
        const { hits } = await search.search(parse(text), scope, { limit: PAGE });
        const entry = perQuery.get(text)!;
        entry.indexed.push(performance.now() - started);
        entry.hits = hits.length;
      }
    }
    for (let round = 0; round < BASELINE_ROUNDS; round += 1) {
      for (const text of QUERIES) {
        const started = performance.now();
        await database.prisma.$queryRaw(baselineSql(parse(text), scope));
        perQuery.get(text)!.baseline.push(performance.now() - started);
      }
    }
    const all = [...perQuery.values()];
    return { engine, loadSeconds, indexed: all.flatMap((entry) => entry.indexed), baseline: all.flatMap((entry) => entry.baseline), perQuery };
  } finally {
    await database.close();
    if (process.env.BENCH_KEEP_DATABASE && target.config.kind === 'postgres') console.log(`  kept ${target.config.url} (BENCH_KEEP_DATABASE)`);
    else await target.drop();
  }
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

function report(results: TEngineResult[]): string {
  const lines = [
    `Search over ${LOSSES.toLocaleString('en-US')} synthetic losses, ${QUERIES.length} queries × ${ROUNDS} rounds (ILIKE baseline × ${BASELINE_ROUNDS}), first page of ${PAGE} with snippets:`,
    '',
    '| Engine | Full-text p50 | Full-text p95 | ILIKE baseline p50 | ILIKE baseline p95 | Load + index |',
    '| --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (result) =>
        `| ${result.engine} | ${ms(percentile(result.indexed, 50))} | ${ms(percentile(result.indexed, 95))} | ${ms(percentile(result.baseline, 50))} | ${ms(percentile(result.baseline, 95))} | ${result.loadSeconds.toFixed(0)} s |`,
    ),
    '',
    `| Query | ${results.map((result) => `${result.engine} p95`).join(' | ')} |`,
    `| --- | ${results.map(() => '---').join(' | ')} |`,
    ...QUERIES.map(
      (text) => `| \`${text}\` | ${results.map((result) => ms(percentile(result.perQuery.get(text)?.indexed ?? [], 95))).join(' | ')} |`,
    ),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const requested = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',').map((engine) => engine.trim());
  const hasPostgres = Boolean(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL);
  if (requested.includes('postgres') && !hasPostgres) console.log('PostgreSQL skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to an admin connection string.');
  const engines = (['postgres', 'pglite'] as const).filter((engine) => requested.includes(engine) && (engine === 'pglite' || hasPostgres));
  const results: TEngineResult[] = [];
  for (const engine of engines) results.push(await benchEngine(engine));
  console.log(`\n${report(results)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
