// What the digest builder reads: plain data the repositories fill, so that the digest can be built
// and tested without a database or Slack. Every item carries the people who asked not to be named
// on its retro; the builder leaves their names out of anything about that retro.

import type { TReasonCatalog } from '../lossReasons';
import type { TLossReason, TOutcome, TPriceToValue } from '../debrief';
import type { TDigestPeriod } from './period';

export type TRetroStatus = 'open' | 'debriefed' | 'reviewed' | 'reopened';

/** Shared by everything that points at a retro thread. */
export interface TDigestRetroRef {
  retroId: string;
  dealName: string;
  /** The retro thread (stored permalink or chat.getPermalink); null when Slack gave none. */
  threadUrl: string | null;
  /** Slack user ids who asked for anonymity on this retro (on a debrief or a perspective). */
  anonymousSlackUserIds: string[];
}

/** The debrief that speaks for a loss: the deal owner's, else the first one written. */
export interface TDigestDebrief {
  authorSlackUserId: string;
  primaryReason: TLossReason;
  outcome: TOutcome;
  winnerName: string | null;
  whyWinnerWon: string | null;
  priceToValue: TPriceToValue | null;
  anonymous: boolean;
}

export interface TDigestLoss extends TDigestRetroRef {
  /** Decimal string, e.g. "48000.00". */
  amount: string | null;
  currency: string | null;
  ownerSlackUserId: string | null;
  ownerName: string | null;
  /** When Debrief opened the retro: a loss counts in the week it was reported, so none is missed. */
  openedAt: Date;
  status: TRetroStatus;
  /** The competitor the CRM or the log form named (not necessarily who won). */
  competitor: string | null;
  /** The reason the team agreed on in the retro outcome. */
  agreedReason: TLossReason | null;
  debrief: TDigestDebrief | null;
}

/** A lesson flagged for new reps, recorded during the period. */
export interface TDigestLesson extends TDigestRetroRef {
  text: string;
  authorSlackUserId: string | null;
  createdAt: Date;
}

export interface TDigestActionItem extends TDigestRetroRef {
  text: string;
  ownerSlackUserId: string;
  /** YYYY-MM-DD */
  dueOn: string;
}

/** A retro whose owner has not debriefed yet. */
export interface TDigestWaitingRetro extends TDigestRetroRef {
  ownerSlackUserId: string | null;
  ownerName: string | null;
  openedAt: Date;
}

/** A past retro a new rep could start with; ranked by what it teaches. */
export interface TStartHereCandidate extends TDigestRetroRef {
  openedAt: Date;
  reviewed: boolean;
  agreedReason: TLossReason | null;
  /** Lessons flagged for new reps, in the order they were recorded. */
  sharedLessons: string[];
  lessonCount: number;
  perspectiveCount: number;
}

export interface TDigestInput {
  period: TDigestPeriod;
  /** Losses reported in the period and in the four weeks before it (for the comparison). */
  losses: TDigestLoss[];
  lessons: TDigestLesson[];
  openActionItems: TDigestActionItem[];
  waitingRetros: TDigestWaitingRetro[];
  startHereCandidates: TStartHereCandidate[];
  /** Display names of people who may be quoted (never mentioned, so nobody is pinged by a quote). */
  displayNames: Record<string, string>;
  /** The digest's own "today" (YYYY-MM-DD in the period's zone), for overdue action items. */
  today: string;
  /** The workspace's loss reasons: their order breaks ties, their labels name them. Built-in when left out. */
  reasons?: TReasonCatalog;
}
