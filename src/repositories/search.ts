import { Prisma, type PrismaClient } from '../generated/prisma/client';
import {
  FIRST_PAGE,
  SNIPPET_MATCH_END,
  SNIPPET_MATCH_START,
  type TRetroStatus,
  type TSearchCursor,
  type TSearchHit,
  type TSearchPage,
  type TSearchQuery,
} from '../domain/search';
import { isoDateToUtcDate, toIsoDate } from '../lib/dates';

// Full-text search over search_documents, the table the database keeps current with triggers
// (prisma/migrations/*_search_documents). Prisma has no words for tsvector, tsquery or trigram
// operators, so this is the one place with raw SQL: every value reaches the database as a bound
// parameter through Prisma.sql, never spliced into the text.

/** Words shorter than this are never looked up as misspellings: trigrams of 3 letters match too much. */
const MIN_FUZZY_WORD_LENGTH = 4;

/**
 * Relevance is where the words are found, strongest first: (1) the deal's and the winner's names,
 * the reasons, why the winner won and the lessons (key_document: tsvector weights A and B); (2)
 * also what the buyer and the team said in debriefs and perspectives (story_document: A to C);
 * (3) also the thread discussion (document: everything). Within a tier the most recently lost
 * deal comes first. Unlike ts_rank over every match, tiers let a query stop after the first rows
 * of the (workspace_id, lost_at) index when a word is common, and use the tier's own GIN index
 * when it is rare, so a search stays fast whatever it matches.
 */
const RELEVANCE_TIERS = [Prisma.raw('sd.key_document'), Prisma.raw('sd.story_document'), Prisma.raw('sd.document')] as const;

const HEADLINE_OPTIONS = [
  `StartSel=${SNIPPET_MATCH_START}`,
  `StopSel=${SNIPPET_MATCH_END}`,
  'MaxWords=28',
  'MinWords=10',
  'ShortWord=2',
  'MaxFragments=2',
  'FragmentDelimiter=" … "',
].join(', ');

export interface TSearchScope {
  workspaceId: string;
  /** Retros opened in other channels are left out: the searcher cannot read them. */
  visibleChannelIds: readonly string[];
  /** Managers also match rep: against authors who answered anonymously. */
  includeAnonymousAuthors: boolean;
}

type TSearchRow = {
  retro_id: string;
  deal_name: string;
  competitor: string | null;
  outcome: string | null;
  primary_reason: string | null;
  status: TRetroStatus;
  amount: string | null;
  currency: string | null;
  lost_at: Date;
  lessons_count: number;
  owner_slack_user_id: string | null;
  owner_name: string | null;
  channel_id: string;
  permalink: string | null;
  snippet: string | null;
  why_winner_won: string | null;
  first_lesson: string | null;
};

/** A string a person typed, made literal inside ILIKE (where % and _ are wildcards). */
function likePattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

function dayAfter(isoDate: string): Date {
  const date = isoDateToUtcDate(isoDate);
  date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

/** How many lookalike words a misspelt word is searched as. */
const SPELLINGS_PER_WORD = 3;

/**
 * For each word of the query found nowhere in the text, the words of deal and competitor names it
 * resembles ("globx" -> ["globex"]); an empty list when it resembles none. Words not in the map
 * are searched as typed.
 */
type TSpellings = ReadonlyMap<string, readonly string[]>;

function wordQuery(word: string, spellings: TSpellings): Prisma.Sql {
  const lookalikes = spellings.get(word);
  if (!lookalikes || lookalikes.length === 0) return Prisma.sql`plainto_tsquery('english', ${word})`;
  return Prisma.sql`(${Prisma.join(
    lookalikes.map((lookalike) => Prisma.sql`plainto_tsquery('english', ${lookalike})`),
    ' || ',
  )})`;
}

/** Every word and phrase as one tsquery (one condition estimates better than several). */
function allTermsQuery(query: TSearchQuery, spellings: TSpellings): Prisma.Sql | undefined {
  const parts = [...query.words.map((word) => wordQuery(word, spellings)), ...query.phrases.map((phrase) => Prisma.sql`phraseto_tsquery('english', ${phrase})`)];
  return parts.length > 0 ? Prisma.join(parts, ' && ') : undefined;
}

/** Every word and phrase found in `vector`; a misspelt word, as any of the names it resembles. */
function matchesAllTerms(query: TSearchQuery, vector: Prisma.Sql, spellings: TSpellings): Prisma.Sql | undefined {
  // A word that is nowhere and resembles no name: nothing can match.
  if ([...spellings.values()].some((lookalikes) => lookalikes.length === 0)) return Prisma.sql`false`;
  const tsquery = allTermsQuery(query, spellings);
  // A query of stop words only ("the") is empty: it narrows nothing.
  return tsquery ? Prisma.sql`(numnode(${tsquery}) = 0 OR ${vector} @@ (${tsquery}))` : undefined;
}

/** Who may see what, and every filter: the conditions all tiers share. */
function filtersFor(query: TSearchQuery, scope: TSearchScope): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [Prisma.sql`sd.workspace_id = ${scope.workspaceId}::uuid`];
  conditions.push(
    scope.visibleChannelIds.length > 0 ? Prisma.sql`sd.channel_id IN (${Prisma.join([...scope.visibleChannelIds])})` : Prisma.sql`false`,
  );
  if (query.competitor) {
    conditions.push(Prisma.sql`(sd.competitor ILIKE ${likePattern(query.competitor)} OR ${query.competitor} <% sd.competitor)`);
  }
  if (query.reason) conditions.push(Prisma.sql`${query.reason} = ANY(sd.reasons)`);
  if (query.repSlackUserId) {
    const rep = query.repSlackUserId;
    conditions.push(
      scope.includeAnonymousAuthors
        ? Prisma.sql`(sd.owner_slack_user_id = ${rep} OR ${rep} = ANY(sd.named_author_slack_user_ids) OR ${rep} = ANY(sd.anonymous_author_slack_user_ids))`
        : Prisma.sql`(sd.owner_slack_user_id = ${rep} OR ${rep} = ANY(sd.named_author_slack_user_ids))`,
    );
  }
  if (query.owner) {
    conditions.push(
      'slackUserId' in query.owner
        ? Prisma.sql`sd.owner_slack_user_id = ${query.owner.slackUserId}`
        : Prisma.sql`sd.owner_name ILIKE ${likePattern(query.owner.name)}`,
    );
  }
  if (query.since) conditions.push(Prisma.sql`sd.lost_at >= ${isoDateToUtcDate(query.since)}`);
  if (query.until) conditions.push(Prisma.sql`sd.lost_at < ${dayAfter(query.until)}`);
  if (query.minAmount) conditions.push(Prisma.sql`sd.amount >= ${query.minAmount}::numeric`);
  if (query.maxAmount) conditions.push(Prisma.sql`sd.amount <= ${query.maxAmount}::numeric`);
  if (query.status) conditions.push(Prisma.sql`sd.status = ${query.status}::"RetroStatus"`);
  return conditions;
}

/** The conditions of each relevance tier, in order; a query without words has one tier. */
function tiersOf(query: TSearchQuery, scope: TSearchScope, spellings: TSpellings): Prisma.Sql[][] {
  const filters = filtersFor(query, scope);
  const tiers: Prisma.Sql[][] = [];
  let previous: Prisma.Sql | undefined;
  for (const vector of RELEVANCE_TIERS) {
    const matches = matchesAllTerms(query, vector, spellings);
    if (!matches) return [filters];
    tiers.push(previous ? [...filters, matches, Prisma.sql`NOT (${previous})`] : [...filters, matches]);
    previous = matches;
  }
  return tiers;
}

export function createSearchRepository(prisma: PrismaClient) {
  /**
   * The words of the query that no document the searcher can see contains, misspellings most
   * likely ("globx"), each with the words of deal and competitor names it resembles (trigram
   * similarity over search_terms). Known words stay exact, so "pricing" never drags in names
   * that merely look like it, and every query stays a full-text query on the GIN indexes.
   */
  async function spellingsOf(query: TSearchQuery, scope: TSearchScope): Promise<TSpellings> {
    const candidates = query.words.filter((word) => word.length >= MIN_FUZZY_WORD_LENGTH);
    if (candidates.length === 0) return new Map();
    // One EXISTS per word, each with its word as a plain parameter, so the planner sees the
    // word: a common one stops at the first row of a scan, a rare one asks the GIN index.
    const visible = Prisma.join(filtersFor({ words: [], phrases: [] }, scope), ' AND ');
    const checks = candidates.map(
      (word, position) => Prisma.sql`
        SELECT ${position}::int AS position
        WHERE numnode(plainto_tsquery('english', ${word})) > 0
          AND NOT EXISTS (SELECT 1 FROM search_documents sd WHERE ${visible} AND sd.document @@ plainto_tsquery('english', ${word}))`,
    );
    const unknown = (await prisma.$queryRaw<Array<{ position: number }>>`${Prisma.join(checks, ' UNION ALL ')}`).map(
      (row) => candidates[Number(row.position)] ?? '',
    );
    if (unknown.length === 0) return new Map();
    const lookups = unknown.map(
      (word, position) => Prisma.sql`
        SELECT ${position}::int AS position, lookalike.term FROM (
          SELECT st.term FROM search_terms st
          WHERE st.workspace_id = ${scope.workspaceId}::uuid AND st.term % ${word}
          ORDER BY similarity(st.term, ${word}) DESC, st.term
          LIMIT ${SPELLINGS_PER_WORD}
        ) lookalike`,
    );
    const rows = await prisma.$queryRaw<Array<{ position: number; term: string }>>`${Prisma.join(lookups, ' UNION ALL ')}`;
    return new Map(unknown.map((word, position) => [word, rows.filter((row) => Number(row.position) === position).map((row) => row.term)]));
  }

  /** One tier's matches, newest first: ids only, so no row is read in full before it is needed. */
  async function tierPage(conditions: Prisma.Sql[], limit: number, offset: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = await prisma.$queryRaw<Array<{ retro_id: string }>>`
      SELECT sd.retro_id::text FROM search_documents sd
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY sd.lost_at DESC, sd.retro_id
      LIMIT ${limit} OFFSET ${offset}`;
    return rows.map((row) => row.retro_id);
  }

  /**
   * The matching retros, best first (relevance tier, then the most recently lost), `limit` of
   * them from `from`, and where the next page starts. A position is (tier, offset in the tier),
   * so no page needs to count the rows of the tiers before it; each tier is asked only for the
   * rows still missing, plus one to tell whether more follow.
   */
  async function searchIds(
    query: TSearchQuery,
    scope: TSearchScope,
    page: { limit: number; from: TSearchCursor },
  ): Promise<{ ids: string[]; next: TSearchCursor | null; spellings: TSpellings }> {
    const found: Array<{ id: string; tier: number; offset: number }> = [];
    const spellings = await spellingsOf(query, scope);
    const tiers = tiersOf(query, scope, spellings);
    for (let tier = page.from.tier; tier < tiers.length && found.length <= page.limit; tier += 1) {
      const skip = tier === page.from.tier ? page.from.offset : 0;
      const wanted = page.limit + 1 - found.length;
      const ids = await tierPage(tiers[tier] ?? [], wanted, skip);
      ids.forEach((id, index) => found.push({ id, tier, offset: skip + index }));
    }
    const lookahead = found[page.limit];
    return {
      ids: found.slice(0, page.limit).map((entry) => entry.id),
      next: lookahead ? { tier: lookahead.tier, offset: lookahead.offset } : null,
      spellings,
    };
  }

  async function search(query: TSearchQuery, scope: TSearchScope, page: { limit: number; from?: TSearchCursor }): Promise<TSearchPage> {
    const { ids: retroIdsInOrder, next, spellings } = await searchIds(query, scope, { limit: page.limit, from: page.from ?? FIRST_PAGE });
    if (retroIdsInOrder.length === 0) return { hits: [], next: null };
    // Highlight what was found: a misspelt word's lookalikes, not the misspelling.
    const anyTerm = [...query.words.map((word) => wordQuery(word, spellings)), ...query.phrases.map((phrase) => Prisma.sql`phraseto_tsquery('english', ${phrase})`)];
    const snippet =
      anyTerm.length > 0 ? Prisma.sql`ts_headline('english', sd.body, ${Prisma.join(anyTerm, ' || ')}, ${HEADLINE_OPTIONS})` : Prisma.sql`NULL::text`;
    // One query for the page: the owner's answer speaks for the deal (another author's is
    // better than none), and the first lesson is the outcome's first.
    const unordered = await prisma.$queryRaw<TSearchRow[]>`
      SELECT sd.retro_id::text, sd.deal_name, sd.competitor, sd.outcome, sd.primary_reason, sd.status::text AS status,
             sd.amount::text AS amount, sd.currency, sd.lost_at, sd.lessons_count, sd.owner_slack_user_id, sd.owner_name,
             sd.channel_id, r.permalink, ${snippet} AS snippet,
             (SELECT d.why_winner_won FROM debriefs d
              WHERE d.retro_id = sd.retro_id AND d.why_winner_won IS NOT NULL
              ORDER BY coalesce(d.author_slack_user_id = sd.owner_slack_user_id, false) DESC, d.updated_at DESC
              LIMIT 1) AS why_winner_won,
             (SELECT l.text FROM lessons l WHERE l.retro_id = sd.retro_id ORDER BY l.source, l.position NULLS LAST, l.created_at LIMIT 1) AS first_lesson
      FROM search_documents sd
      JOIN retros r ON r.id = sd.retro_id
      WHERE sd.retro_id IN (${Prisma.join(retroIdsInOrder.map((id) => Prisma.sql`${id}::uuid`))})`;
    const hits = retroIdsInOrder.flatMap((id) =>
      unordered
        .filter((row) => row.retro_id === id)
        .map(
          (row): TSearchHit => ({
            retroId: row.retro_id,
            dealName: row.deal_name,
            competitor: row.competitor,
            outcome: row.outcome,
            primaryReason: row.primary_reason,
            status: row.status,
            amount: row.amount,
            currency: row.currency,
            lostOn: toIsoDate(row.lost_at),
            lessonsCount: Number(row.lessons_count),
            ownerSlackUserId: row.owner_slack_user_id,
            ownerName: row.owner_name,
            channelId: row.channel_id,
            permalink: row.permalink,
            snippet: row.snippet,
            whyWinnerWon: row.why_winner_won,
            firstLesson: row.first_lesson,
          }),
        ),
    );
    return { hits, next };
  }

  return {
    search,

    /** Whether anything matches, for suggesting a broader query that would find something. */
    async hasMatches(query: TSearchQuery, scope: TSearchScope): Promise<boolean> {
      const matches = matchesAllTerms(query, Prisma.raw('sd.document'), await spellingsOf(query, scope));
      const conditions = matches ? [...filtersFor(query, scope), matches] : filtersFor(query, scope);
      return (await tierPage(conditions, 1, 0)).length > 0;
    },

    /**
     * Every channel a retro of the workspace was opened in (a handful), read by skipping through
     * the (channel_id, message_ts) index rather than reading every retro.
     */
    async listRetroChannels(workspaceId: string): Promise<string[]> {
      const rows = await prisma.$queryRaw<Array<{ channel_id: string }>>`
        WITH RECURSIVE channels AS (
          (SELECT channel_id FROM retros WHERE workspace_id = ${workspaceId}::uuid ORDER BY channel_id LIMIT 1)
          UNION ALL
          SELECT (
            SELECT r.channel_id FROM retros r
            WHERE r.channel_id > channels.channel_id AND r.workspace_id = ${workspaceId}::uuid
            ORDER BY r.channel_id LIMIT 1)
          FROM channels
          WHERE channels.channel_id IS NOT NULL
        )
        SELECT channel_id FROM channels WHERE channel_id IS NOT NULL`;
      return rows.map((row) => row.channel_id);
    },
  };
}
export type TSearchRepository = ReturnType<typeof createSearchRepository>;
