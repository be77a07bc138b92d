import type { TLossReason } from './debrief';
import type { TReasonCatalog } from './lossReasons';

// What a search for past losses asks for, once the words a person typed are understood (see
// src/slack/parsers/searchQuery.ts), and what one result carries back.

export const RETRO_STATUSES = ['open', 'debriefed', 'reviewed', 'reopened'] as const;
export type TRetroStatus = (typeof RETRO_STATUSES)[number];

export type TOwnerFilter = { slackUserId: string } | { name: string };

export interface TSearchQuery {
  /** Free words; each must match (full text, or a near spelling of the deal or competitor name). */
  words: string[];
  /** "Quoted phrases", matched as phrases. */
  phrases: string[];
  /** Typo-tolerant: competitor:globx finds Globex. */
  competitor?: string;
  reason?: TLossReason;
  /** The deal's owner or a named author of a debrief or perspective. */
  repSlackUserId?: string;
  /** The deal's owner only: a Slack user, or a name or e-mail from the CRM. */
  owner?: TOwnerFilter;
  /** Lost on or after this day (YYYY-MM-DD). */
  since?: string;
  /** Lost on or before this day (YYYY-MM-DD). */
  until?: string;
  /** Amounts as decimal strings, compared whatever the currency. */
  minAmount?: string;
  maxAmount?: string;
  status?: TRetroStatus;
}

export function isEmptyQuery(query: TSearchQuery): boolean {
  return Object.entries(query).every(([, value]) => value === undefined || (Array.isArray(value) && value.length === 0));
}

/** Who is searching, which decides what they may see. */
export interface TSearcher {
  slackUserId: string;
  /** Managers may filter on, and see, the authors of anonymous answers. */
  isManager: boolean;
}

export interface TSearchHit {
  retroId: string;
  dealName: string;
  competitor: string | null;
  outcome: string | null;
  primaryReason: string | null;
  status: TRetroStatus;
  amount: string | null;
  currency: string | null;
  /** YYYY-MM-DD */
  lostOn: string;
  lessonsCount: number;
  ownerSlackUserId: string | null;
  ownerName: string | null;
  channelId: string;
  permalink: string | null;
  /** The matched passage, with matched words between SNIPPET_MATCH_START and SNIPPET_MATCH_END. */
  snippet: string | null;
  /** Why the winner won, in the owner's debrief. */
  whyWinnerWon: string | null;
  /** The first lesson the team recorded. */
  firstLesson: string | null;
}

/** Markers ts_headline puts around matched words; control characters nobody types. */
export const SNIPPET_MATCH_START = '\u0001';
export const SNIPPET_MATCH_END = '\u0002';

/**
 * Where a page of results starts: the relevance tier and the offset within it (see
 * src/repositories/search.ts). "More results" carries it, so no page has to count the ones before.
 */
export interface TSearchCursor {
  tier: number;
  offset: number;
}

export const FIRST_PAGE: TSearchCursor = { tier: 0, offset: 0 };

export interface TSearchPage {
  hits: TSearchHit[];
  /** Where the next page starts; null when this page holds the last results. */
  next: TSearchCursor | null;
}

/**
 * Queries a little wider than one that found nothing, least change first: the words without the
 * filters, fewer words, the filters without the words, the filters without dates, amounts and status.
 */
export function broaderQueries(query: TSearchQuery): TSearchQuery[] {
  const { words, phrases, ...filters } = query;
  const hasFilters = Object.values(filters).some((value) => value !== undefined);
  const hasTerms = words.length + phrases.length > 0;
  const candidates: TSearchQuery[] = [];
  if (hasFilters && hasTerms) candidates.push({ words, phrases });
  if (words.length > 1) candidates.push({ ...query, words: words.slice(0, -1) });
  if (phrases.length > 0) candidates.push({ ...query, phrases: [], words: [...words, ...phrases.flatMap((phrase) => phrase.toLowerCase().split(/\s+/))] });
  if (hasFilters && hasTerms) candidates.push({ words: [], phrases: [], ...filters });
  const { since, until, minAmount, maxAmount, status, ...lasting } = filters;
  if ([since, until, minAmount, maxAmount, status].some((value) => value !== undefined)) candidates.push({ ...lasting, words, phrases });
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const key = JSON.stringify(candidate);
    if (isEmptyQuery(candidate) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type TSearchOutcome =
  | { kind: 'invalid'; text: string; problems: string[] }
  | {
      kind: 'results';
      /** The query as typed, for the "More results" button to run again. */
      text: string;
      query: TSearchQuery;
      page: TSearchPage;
      /** How many results earlier pages showed: this page starts at result shownBefore + 1. */
      shownBefore: number;
      /** When nothing matched: wider queries, as text, that do find something. */
      broader: string[];
      /** The workspace's loss reasons, for the results' labels; the built-in ones when left out. */
      reasons?: TReasonCatalog;
    };
