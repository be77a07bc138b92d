import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START, type TRetroStatus, type TSearchHit, type TSearchQuery } from '../domain/search';
import { isoDateToUtcDate, toIsoDate } from '../lib/dates';

// Full-text search over search_documents, the table the database keeps current with triggers
// (prisma/migrations/*_search_documents). Prisma has no words for tsvector, tsquery or trigram
// operators, so this is the one place with raw SQL: every value reaches the database as a bound
// parameter through Prisma.sql, never spliced into the text.

/** Words shorter than this are left to full-text matching: trigrams of 3 letters match too much. */
const MIN_FUZZY_WORD_LENGTH = 4;
/** How much a near spelling of the deal or competitor name adds to the rank, at similarity 1. */
const NAME_SIMILARITY_WEIGHT = 0.3;

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

/** Each free word as its own tsquery; a stop word ("the") gives an empty one, which matches anything. */
function wordQuery(word: string): Prisma.Sql {
  return Prisma.sql`plainto_tsquery('english', ${word})`;
}

function phraseQuery(phrase: string): Prisma.Sql {
  return Prisma.sql`phraseto_tsquery('english', ${phrase})`;
}

function matchesWord(word: string): Prisma.Sql {
  const fullText = Prisma.sql`(numnode(${wordQuery(word)}) = 0 OR sd.document @@ ${wordQuery(word)})`;
  // A misspelt account or competitor ("globx") still finds the deal through its trigrams.
  return word.length >= MIN_FUZZY_WORD_LENGTH ? Prisma.sql`(${fullText} OR ${word} <% sd.names)` : fullText;
}

function matchesPhrase(phrase: string): Prisma.Sql {
  return Prisma.sql`(numnode(${phraseQuery(phrase)}) = 0 OR sd.document @@ ${phraseQuery(phrase)})`;
}

/** Every term OR-ed together: ranks and highlights by however many of them a document holds. */
function anyTermQuery(query: TSearchQuery): Prisma.Sql | undefined {
  const parts = [...query.words.map(wordQuery), ...query.phrases.map(phraseQuery)];
  if (parts.length === 0) return undefined;
  return Prisma.join(parts, ' || ');
}

function conditionsFor(query: TSearchQuery, scope: TSearchScope): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [Prisma.sql`sd.workspace_id = ${scope.workspaceId}::uuid`];
  conditions.push(
    scope.visibleChannelIds.length > 0 ? Prisma.sql`sd.channel_id IN (${Prisma.join([...scope.visibleChannelIds])})` : Prisma.sql`false`,
  );
  for (const word of query.words) conditions.push(matchesWord(word));
  for (const phrase of query.phrases) conditions.push(matchesPhrase(phrase));
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

function rankFor(query: TSearchQuery): Prisma.Sql {
  const anyTerm = anyTermQuery(query);
  if (!anyTerm) return Prisma.sql`0::real`;
  const fuzzy = query.words
    .filter((word) => word.length >= MIN_FUZZY_WORD_LENGTH)
    .map((word) => Prisma.sql`word_similarity(${word}, sd.names)`);
  const nameBonus = fuzzy.length > 0 ? Prisma.sql` + ${NAME_SIMILARITY_WEIGHT}::real * (${Prisma.join(fuzzy, ' + ')})` : Prisma.empty;
  return Prisma.sql`(ts_rank(sd.document, ${anyTerm})${nameBonus})`;
}

export function createSearchRepository(prisma: PrismaClient) {
  /**
   * The matching retros, best first (relevance, then the most recently lost), `limit` of them
   * from `offset`. Snippets are computed for the returned page only.
   */
  async function search(query: TSearchQuery, scope: TSearchScope, page: { limit: number; offset: number }): Promise<TSearchHit[]> {
    const anyTerm = anyTermQuery(query);
    const snippet = anyTerm ? Prisma.sql`ts_headline('english', sd.body, ${anyTerm}, ${HEADLINE_OPTIONS})` : Prisma.sql`NULL::text`;
    const rows = await prisma.$queryRaw<TSearchRow[]>`
      SELECT sd.retro_id::text, sd.deal_name, sd.competitor, sd.outcome, sd.primary_reason, sd.status::text AS status,
             sd.amount::text AS amount, sd.currency, sd.lost_at, sd.lessons_count, sd.owner_slack_user_id, sd.owner_name,
             sd.channel_id, r.permalink, ${snippet} AS snippet
      FROM (
        SELECT sd.retro_id, ${rankFor(query)} AS rank
        FROM search_documents sd
        WHERE ${Prisma.join(conditionsFor(query, scope), ' AND ')}
        ORDER BY rank DESC, sd.lost_at DESC, sd.retro_id
        LIMIT ${page.limit} OFFSET ${page.offset}
      ) ranked
      JOIN search_documents sd ON sd.retro_id = ranked.retro_id
      JOIN retros r ON r.id = sd.retro_id
      ORDER BY ranked.rank DESC, sd.lost_at DESC, sd.retro_id`;
    if (rows.length === 0) return [];

    const retroIds = rows.map((row) => row.retro_id);
    const [debriefs, lessons] = await Promise.all([
      prisma.debrief.findMany({
        where: { retroId: { in: retroIds }, whyWinnerWon: { not: null } },
        orderBy: { updatedAt: 'desc' },
        select: { retroId: true, authorSlackUserId: true, whyWinnerWon: true },
      }),
      prisma.lesson.findMany({
        where: { retroId: { in: retroIds } },
        orderBy: [{ source: 'asc' }, { position: 'asc' }, { createdAt: 'asc' }],
        select: { retroId: true, text: true },
      }),
    ]);
    return rows.map((row) => {
      // The owner's answer speaks for the deal; another author's is better than none.
      const ownDebrief = debriefs.find((debrief) => debrief.retroId === row.retro_id && debrief.authorSlackUserId === row.owner_slack_user_id);
      const anyDebrief = debriefs.find((debrief) => debrief.retroId === row.retro_id);
      return {
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
        whyWinnerWon: (ownDebrief ?? anyDebrief)?.whyWinnerWon ?? null,
        firstLesson: lessons.find((lesson) => lesson.retroId === row.retro_id)?.text ?? null,
      };
    });
  }

  return {
    search,

    /** Whether anything matches, for suggesting a broader query that would find something. */
    async hasMatches(query: TSearchQuery, scope: TSearchScope): Promise<boolean> {
      const rows = await prisma.$queryRaw<Array<{ found: number }>>`
        SELECT 1 AS found FROM search_documents sd WHERE ${Prisma.join(conditionsFor(query, scope), ' AND ')} LIMIT 1`;
      return rows.length > 0;
    },

    /**
     * Every channel any retro was opened in (across workspaces; a handful), read by skipping
     * through the (channel_id, message_ts) index rather than scanning every retro.
     */
    async listRetroChannels(): Promise<string[]> {
      const rows = await prisma.$queryRaw<Array<{ channel_id: string }>>`
        WITH RECURSIVE channels AS (
          (SELECT channel_id FROM retros ORDER BY channel_id LIMIT 1)
          UNION ALL
          SELECT (SELECT r.channel_id FROM retros r WHERE r.channel_id > channels.channel_id ORDER BY r.channel_id LIMIT 1)
          FROM channels
          WHERE channels.channel_id IS NOT NULL
        )
        SELECT channel_id FROM channels WHERE channel_id IS NOT NULL`;
      return rows.map((row) => row.channel_id);
    },
  };
}
export type TSearchRepository = ReturnType<typeof createSearchRepository>;
