// A digest covers one ISO week (Monday 00:00 to the next Monday 00:00) on the team's own clock, and
// goes out at the chosen weekday and hour of the following week. A period is named by its ISO week
// ("2026-W47"), never by an instant: a daylight-saving week simply has 167 or 169 hours, and the
// same week can never be counted twice or skipped, whatever the clocks do.

import { addCalendarDays, localDateOf, zonedTimeToInstant } from '../../lib/workingTime';

export interface TDigestPeriod {
  /** ISO week, e.g. 2026-W47. */
  label: string;
  timeZone: string;
  /** Monday 00:00 in timeZone. */
  start: Date;
  /** The next Monday 00:00 in timeZone (exclusive). */
  end: Date;
  /** Monday, YYYY-MM-DD. */
  firstDay: string;
  /** Sunday, YYYY-MM-DD. */
  lastDay: string;
}

/** When the digest goes out: ISO weekday (1 = Monday … 7 = Sunday) and hour, in timeZone. */
export interface TDigestClock {
  weekday: number;
  hour: number;
  timeZone: string;
}

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

function isoWeekdayOf(isoDate: string): number {
  const day = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The ISO week (year and number) a calendar day belongs to: the week of its Thursday. */
export function isoWeekOf(isoDate: string): { year: number; week: number } {
  const thursday = addCalendarDays(isoDate, 4 - isoWeekdayOf(isoDate));
  const year = Number(thursday.slice(0, 4));
  const dayOfYear = (Date.parse(`${thursday}T00:00:00Z`) - Date.UTC(year, 0, 1)) / 86_400_000;
  return { year, week: Math.floor(dayOfYear / 7) + 1 };
}

export function formatIsoWeek(year: number, week: number): string {
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday of an ISO week, YYYY-MM-DD. */
function mondayOf(year: number, week: number): string {
  // 4 January is always in week 1.
  const fourthOfJanuary = `${year}-01-04`;
  const mondayOfWeekOne = addCalendarDays(fourthOfJanuary, 1 - isoWeekdayOf(fourthOfJanuary));
  return addCalendarDays(mondayOfWeekOne, (week - 1) * 7);
}

/** Reads "2026-W47"; null for anything else, including week 53 of a year that has only 52. */
export function parseIsoWeek(text: string): { year: number; week: number } | null {
  const match = ISO_WEEK.exec(text.trim().toUpperCase());
  if (!match) return null;
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (week < 1 || week > 53) return null;
  const actual = isoWeekOf(mondayOf(year, week));
  return actual.year === year && actual.week === week ? { year, week } : null;
}

function periodFromMonday(monday: string, timeZone: string): TDigestPeriod {
  const { year, week } = isoWeekOf(monday);
  const nextMonday = addCalendarDays(monday, 7);
  return {
    label: formatIsoWeek(year, week),
    timeZone,
    start: zonedTimeToInstant({ date: monday, hour: 0, minute: 0, second: 0 }, timeZone),
    end: zonedTimeToInstant({ date: nextMonday, hour: 0, minute: 0, second: 0 }, timeZone),
    firstDay: monday,
    lastDay: addCalendarDays(monday, 6),
  };
}

/** The period named by an ISO week label, or null when the label is not a real ISO week. */
export function periodOfLabel(label: string, timeZone: string): TDigestPeriod | null {
  const parsed = parseIsoWeek(label);
  return parsed ? periodFromMonday(mondayOf(parsed.year, parsed.week), timeZone) : null;
}

/** The week an instant falls in, on the zone's clock. */
export function periodContaining(instant: Date, timeZone: string): TDigestPeriod {
  const day = localDateOf(instant, timeZone);
  return periodFromMonday(addCalendarDays(day, 1 - isoWeekdayOf(day)), timeZone);
}

/** The period `weeks` weeks later (negative: earlier). */
export function shiftPeriod(period: TDigestPeriod, weeks: number): TDigestPeriod {
  return periodFromMonday(addCalendarDays(period.firstDay, weeks * 7), period.timeZone);
}

/**
 * When the digest of a period is due: the chosen weekday and hour of the following week. An hour
 * that a daylight-saving jump skips (02:00 on the spring-forward night) resolves to the hour after.
 */
export function dueAtOf(period: TDigestPeriod, clock: TDigestClock): Date {
  const date = addCalendarDays(period.firstDay, 7 + clock.weekday - 1);
  return zonedTimeToInstant({ date, hour: clock.hour, minute: 0, second: 0 }, clock.timeZone);
}

/** The most recent period whose digest is due at or before `now` (the one to post or catch up). */
export function latestDuePeriod(now: Date, clock: TDigestClock): { period: TDigestPeriod; dueAt: Date } {
  const lastWeek = shiftPeriod(periodContaining(now, clock.timeZone), -1);
  const dueAt = dueAtOf(lastWeek, clock);
  if (dueAt.getTime() <= now.getTime()) return { period: lastWeek, dueAt };
  const weekBefore = shiftPeriod(lastWeek, -1);
  return { period: weekBefore, dueAt: dueAtOf(weekBefore, clock) };
}

/** The next digest still to go out after `now`: the period and when it is due. */
export function nextDuePeriod(now: Date, clock: TDigestClock): { period: TDigestPeriod; dueAt: Date } {
  const latest = latestDuePeriod(now, clock);
  const period = shiftPeriod(latest.period, 1);
  return { period, dueAt: dueAtOf(period, clock) };
}

export function isWithin(instant: Date, period: TDigestPeriod): boolean {
  return instant.getTime() >= period.start.getTime() && instant.getTime() < period.end.getTime();
}

const SHORT_DATE = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });
const LONG_DATE = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });

/** "Nov 16 – 22, 2026", "Dec 28, 2026 – Jan 3, 2027". */
export function describePeriodDays(period: TDigestPeriod): string {
  const first = new Date(`${period.firstDay}T00:00:00Z`);
  const last = new Date(`${period.lastDay}T00:00:00Z`);
  if (period.firstDay.slice(0, 4) !== period.lastDay.slice(0, 4)) return `${LONG_DATE.format(first)} – ${LONG_DATE.format(last)}`;
  if (period.firstDay.slice(5, 7) === period.lastDay.slice(5, 7)) {
    return `${SHORT_DATE.format(first)} – ${last.getUTCDate()}, ${period.lastDay.slice(0, 4)}`;
  }
  return `${SHORT_DATE.format(first)} – ${SHORT_DATE.format(last)}, ${period.lastDay.slice(0, 4)}`;
}

/** "Monday, Nov 30 at 09:00" on the zone's clock. */
export function describeMoment(instant: Date, timeZone: string): string {
  const date = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', month: 'short', day: 'numeric' }).format(instant);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
  return `${date} at ${time}`;
}
