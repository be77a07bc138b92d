// The weekly digest as data: what was lost and why, who won, what the team learned, what is still
// open. Pure functions over TDigestInput; src/slack/blocks/digest.ts turns the result into Block Kit
// and src/domain/digest/chart.ts into a chart.

import { PRICE_TO_VALUE, type TLossReason, type TPriceToValue } from '../debrief';
import { DEFAULT_REASON_CATALOG, reasonRank, type TReasonCatalog } from '../lossReasons';
import { divideCents, fromCents, totalsByCurrency } from './amounts';
import { isWithin, shiftPeriod, type TDigestPeriod } from './period';
import type { TDigestInput, TDigestLoss, TDigestRetroRef, TStartHereCandidate } from './types';

/** The comparison window: "against the previous four weeks". */
export const COMPARISON_WEEKS = 4;
export const QUOTES_PER_COMPETITOR = 2;
export const START_HERE_COUNT = 3;
export const QUOTE_MAX = 280;

export interface TDigestLink {
  retroId: string;
  dealName: string;
  threadUrl: string | null;
}

export interface TDigestMoney {
  currency: string;
  /** Decimal string. */
  total: string;
  /** Weekly average over the previous four weeks; null when no loss was in this currency then. */
  previousWeeklyAverage: string | null;
}

export interface TDigestReasonCount {
  /** null: not debriefed yet, so no reason is known. */
  reason: TLossReason | null;
  count: number;
  /** Over the previous four weeks together. */
  previousCount: number;
}

export interface TDigestQuote {
  text: string;
  /** The author's name; null when they asked not to be named or their name is unknown. */
  attribution: string | null;
  retro: TDigestLink;
}

export interface TDigestCompetitor {
  name: string;
  wins: number;
  previousWins: number;
  quotes: TDigestQuote[];
}

export interface TDigestLossLine {
  retro: TDigestLink;
  amount: string | null;
  currency: string | null;
  reason: TLossReason | null;
  winner: string | null;
  waitingForDebrief: boolean;
}

export interface TDigest {
  period: TDigestPeriod;
  lossCount: number;
  previousWeeklyAverage: number;
  money: TDigestMoney[];
  lossesWithoutAmount: number;
  reasons: TDigestReasonCount[];
  competitors: TDigestCompetitor[];
  priceToValue: Array<{ verdict: TPriceToValue; count: number }>;
  losses: TDigestLossLine[];
  lessons: Array<{ text: string; attribution: string | null; retro: TDigestLink }>;
  /** ownerSlackUserId is null when the owner asked not to be named on that retro. */
  actionItems: Array<{ text: string; ownerSlackUserId: string | null; dueOn: string; overdue: boolean; retro: TDigestLink }>;
  waiting: Array<{ ownerSlackUserId: string | null; ownerName: string | null; openedOn: string; retro: TDigestLink }>;
  startHere: Array<{ agreedReason: TLossReason | null; lesson: string | null; retro: TDigestLink }>;
  /** The workspace's loss reasons when the digest was made, for labels; built-in when left out. */
  reasonCatalog?: TReasonCatalog;
}

function linkOf(ref: TDigestRetroRef): TDigestLink {
  return { retroId: ref.retroId, dealName: ref.dealName, threadUrl: ref.threadUrl };
}

function isAnonymous(ref: TDigestRetroRef, slackUserId: string | null): boolean {
  return slackUserId !== null && ref.anonymousSlackUserIds.includes(slackUserId);
}

/** A person's name for a quote, or null when they must not (or cannot) be named. */
function attributionOf(input: TDigestInput, ref: TDigestRetroRef, slackUserId: string | null, askedAnonymity = false): string | null {
  if (slackUserId === null || askedAnonymity || isAnonymous(ref, slackUserId)) return null;
  return input.displayNames[slackUserId] ?? null;
}

export function reasonOf(loss: TDigestLoss): TLossReason | null {
  return loss.agreedReason ?? loss.debrief?.primaryReason ?? null;
}

/** Who beat us: the debrief's winner; before a debrief, the competitor the CRM or log named. */
export function winnerOf(loss: TDigestLoss): string | null {
  const name = loss.debrief
    ? loss.debrief.outcome === 'competitor' || loss.debrief.outcome === 'unknown'
      ? loss.debrief.winnerName
      : null
    : loss.competitor;
  const trimmed = name?.trim().replace(/\s+/g, ' ');
  return trimmed ? trimmed : null;
}

function countBy<K>(items: readonly K[]): Map<K, number> {
  const counts = new Map<K, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** Ties go in the workspace's order of reasons; "not debriefed yet" (null) after every reason. */
function summariseReasons(current: TDigestLoss[], previous: TDigestLoss[], catalog: TReasonCatalog): TDigestReasonCount[] {
  const rank = (reason: TLossReason | null) => (reason === null ? catalog.length + 1 : reasonRank(catalog, reason));
  const now = countBy(current.map(reasonOf));
  const before = countBy(previous.map(reasonOf));
  // Reasons seen only in the previous weeks stay in (count 0), so the chart can show what went away.
  const reasons = new Set([...now.keys(), ...[...before.keys()].filter((reason) => reason !== null)]);
  return [...reasons]
    .map((reason) => ({ reason, count: now.get(reason) ?? 0, previousCount: before.get(reason) ?? 0 }))
    .sort((a, b) => b.count - a.count || b.previousCount - a.previousCount || rank(a.reason) - rank(b.reason));
}

function summariseCompetitors(input: TDigestInput, current: TDigestLoss[], previous: TDigestLoss[]): TDigestCompetitor[] {
  const key = (name: string) => name.toLocaleLowerCase('en-US');
  const groups = new Map<string, { spellings: Map<string, number>; losses: TDigestLoss[]; previousWins: number }>();
  const groupOf = (winner: string) => {
    const group = groups.get(key(winner)) ?? { spellings: new Map<string, number>(), losses: [], previousWins: 0 };
    group.spellings.set(winner, (group.spellings.get(winner) ?? 0) + 1);
    groups.set(key(winner), group);
    return group;
  };
  for (const loss of current) {
    const winner = winnerOf(loss);
    if (winner !== null) groupOf(winner).losses.push(loss);
  }
  // Competitors who won only before this week stay in (0 wins now), for the chart's comparison.
  for (const loss of previous) {
    const winner = winnerOf(loss);
    if (winner !== null) groupOf(winner).previousWins += 1;
  }
  return [...groups.values()]
    .map((group) => {
      // The spelling most people used ("Globex" over "globex").
      const name = [...group.spellings.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      const quotes = group.losses
        .filter((loss) => loss.debrief?.whyWinnerWon)
        .slice(0, QUOTES_PER_COMPETITOR)
        .map((loss) => ({
          text: loss.debrief!.whyWinnerWon!,
          attribution: attributionOf(input, loss, loss.debrief!.authorSlackUserId, loss.debrief!.anonymous),
          retro: linkOf(loss),
        }));
      return { name, wins: group.losses.length, previousWins: group.previousWins, quotes };
    })
    .sort((a, b) => b.wins - a.wins || b.previousWins - a.previousWins || a.name.localeCompare(b.name));
}

function summariseMoney(current: TDigestLoss[], previous: TDigestLoss[]): TDigestMoney[] {
  const now = totalsByCurrency(current);
  const before = totalsByCurrency(previous);
  return [...now.entries()]
    .sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : a[0].localeCompare(b[0])))
    .map(([currency, cents]) => {
      const earlier = before.get(currency);
      return {
        currency,
        total: fromCents(cents),
        previousWeeklyAverage: earlier === undefined ? null : fromCents(divideCents(earlier, COMPARISON_WEEKS)),
      };
    });
}

function startHereScore(candidate: TStartHereCandidate): number {
  return candidate.sharedLessons.length * 3 + candidate.lessonCount + candidate.perspectiveCount + (candidate.reviewed ? 2 : 0);
}

/** The past retros most worth a new rep's time: reviewed, with lessons flagged for new reps. */
export function pickStartHere(candidates: TStartHereCandidate[], before: Date, count = START_HERE_COUNT): TStartHereCandidate[] {
  return candidates
    .filter((candidate) => candidate.openedAt.getTime() < before.getTime() && (candidate.reviewed || candidate.lessonCount > 0))
    .sort((a, b) => startHereScore(b) - startHereScore(a) || b.openedAt.getTime() - a.openedAt.getTime())
    .slice(0, count);
}

export function summariseDigest(input: TDigestInput): TDigest {
  const { period } = input;
  const current = input.losses.filter((loss) => isWithin(loss.openedAt, period)).sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime());
  const previousStart = earliestComparisonStart(period);
  const previous = input.losses.filter(
    (loss) => loss.openedAt.getTime() >= previousStart.getTime() && loss.openedAt.getTime() < period.start.getTime(),
  );
  const verdicts = countBy(current.map((loss) => loss.debrief?.priceToValue ?? null).filter((verdict): verdict is TPriceToValue => verdict !== null));

  return {
    ...(input.reasons ? { reasonCatalog: input.reasons } : {}),
    period,
    lossCount: current.length,
    previousWeeklyAverage: previous.length / COMPARISON_WEEKS,
    money: summariseMoney(current, previous),
    lossesWithoutAmount: current.filter((loss) => loss.amount === null || loss.currency === null).length,
    reasons: summariseReasons(current, previous, input.reasons ?? DEFAULT_REASON_CATALOG),
    competitors: summariseCompetitors(input, current, previous),
    priceToValue: PRICE_TO_VALUE.map((option) => ({ verdict: option.value, count: verdicts.get(option.value) ?? 0 })).filter((row) => row.count > 0),
    losses: current.map((loss) => ({
      retro: linkOf(loss),
      amount: loss.amount,
      currency: loss.currency,
      reason: reasonOf(loss),
      winner: winnerOf(loss),
      waitingForDebrief: loss.debrief === null && (loss.status === 'open' || loss.status === 'reopened'),
    })),
    lessons: input.lessons
      .filter((lesson) => isWithin(lesson.createdAt, period))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((lesson) => ({ text: lesson.text, attribution: attributionOf(input, lesson, lesson.authorSlackUserId), retro: linkOf(lesson) })),
    actionItems: [...input.openActionItems]
      .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.dealName.localeCompare(b.dealName))
      .map((item) => ({
        text: item.text,
        ownerSlackUserId: isAnonymous(item, item.ownerSlackUserId) ? null : item.ownerSlackUserId,
        dueOn: item.dueOn,
        overdue: item.dueOn < input.today,
        retro: linkOf(item),
      })),
    waiting: input.waitingRetros
      .filter((retro) => retro.openedAt.getTime() < period.end.getTime())
      .sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime())
      .map((retro) => ({
        ownerSlackUserId: isAnonymous(retro, retro.ownerSlackUserId) ? null : retro.ownerSlackUserId,
        ownerName: isAnonymous(retro, retro.ownerSlackUserId) ? null : retro.ownerName,
        openedOn: localDay(retro.openedAt, period.timeZone),
        retro: linkOf(retro),
      })),
    startHere: pickStartHere(input.startHereCandidates, period.end).map((candidate) => ({
      agreedReason: candidate.agreedReason,
      lesson: candidate.sharedLessons[0] ?? null,
      retro: linkOf(candidate),
    })),
  };
}

/** Monday 00:00 four weeks before the period, on the period's clock. */
export function earliestComparisonStart(period: TDigestPeriod): Date {
  return shiftPeriod(period, -COMPARISON_WEEKS).start;
}

function localDay(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
