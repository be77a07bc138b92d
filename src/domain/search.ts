import type { TLossReason } from './debrief';

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
