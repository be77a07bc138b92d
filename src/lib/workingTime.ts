// Reminders land in the workspace's working hours, counted in its own time zone: a rep who lost a
// deal on Friday afternoon is reminded on Monday, not on Saturday, and nobody is pinged at 23:00.
// Plain Intl arithmetic, no library: the zone's offset is read at the instant in question, so
// daylight-saving changes fall out right.

/** Reminders are sent from this local hour (inclusive)… */
export const WORKDAY_START_HOUR = 9;
/** …to this one (exclusive); later moves to the next working morning. */
export const WORKDAY_END_HOUR = 18;

/** A delay before a reminder: whole working days (weekends skipped) or elapsed minutes. */
export type TDelay = { workingDays: number } | { minutes: number };

export const ONE_WORKING_DAY: TDelay = { workingDays: 1 };

interface TLocalDateTime {
  /** YYYY-MM-DD */
  date: string;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The canonical spelling of an IANA zone ("europe/paris" -> "Europe/Paris"), or null if Intl does not know it. */
export function canonicalTimeZone(timeZone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function localDateTime(instant: Date, timeZone: string): TLocalDateTime {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(instant).map((part) => [part.type, part.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

function utcMillisOf(local: TLocalDateTime): number {
  const [year, month, day] = local.date.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day, local.hour, local.minute, local.second);
}

/** How far the zone's wall clock is ahead of UTC at this instant, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const whole = new Date(Math.floor(instant.getTime() / 1000) * 1000);
  return utcMillisOf(localDateTime(whole, timeZone)) - whole.getTime();
}

/**
 * The instant a wall-clock time happens in a zone. A time skipped by a daylight-saving jump
 * resolves to the same wall time under the earlier offset, i.e. about an hour later.
 */
export function zonedTimeToInstant(local: TLocalDateTime, timeZone: string): Date {
  const asIfUtc = utcMillisOf(local);
  const firstGuess = asIfUtc - offsetAt(new Date(asIfUtc), timeZone);
  const corrected = asIfUtc - offsetAt(new Date(firstGuess), timeZone);
  const showsTheWallTime = (candidate: number) => utcMillisOf(localDateTime(new Date(candidate), timeZone)) === asIfUtc;
  if (showsTheWallTime(corrected)) return new Date(corrected);
  if (showsTheWallTime(firstGuess)) return new Date(firstGuess);
  // Neither offset shows that time: it is in the gap of a spring-forward, so take the later reading.
  return new Date(Math.max(firstGuess, corrected));
}

/** The calendar day in the zone at that instant, YYYY-MM-DD. */
export function localDateOf(instant: Date, timeZone: string): string {
  return localDateTime(instant, timeZone).date;
}

export function localHourOf(instant: Date, timeZone: string): number {
  return localDateTime(instant, timeZone).hour;
}

export function addCalendarDays(isoDate: string, days: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Same day of a later month, or that month's last day when it is shorter (Jan 31 + 1 -> Feb 28). */
export function addCalendarMonths(isoDate: string, months: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const lastDayOfTarget = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month - 1 + months, Math.min(day, lastDayOfTarget))).toISOString().slice(0, 10);
}

export function isWeekend(isoDate: string): boolean {
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

function nextWorkingDate(isoDate: string): string {
  let date = addCalendarDays(isoDate, 1);
  while (isWeekend(date)) date = addCalendarDays(date, 1);
  return date;
}

function startOfWorkday(isoDate: string, timeZone: string): Date {
  return zonedTimeToInstant({ date: isoDate, hour: WORKDAY_START_HOUR, minute: 0, second: 0 }, timeZone);
}

/**
 * The instant itself when it falls in working hours on a weekday; otherwise the start of the next
 * working morning (the same day when it is early, else the next weekday).
 */
export function withinWorkingHours(instant: Date, timeZone: string): Date {
  const local = localDateTime(instant, timeZone);
  if (isWeekend(local.date)) return startOfWorkday(nextWorkingDate(local.date), timeZone);
  if (local.hour < WORKDAY_START_HOUR) return startOfWorkday(local.date, timeZone);
  if (local.hour >= WORKDAY_END_HOUR) return startOfWorkday(nextWorkingDate(local.date), timeZone);
  return instant;
}

/** The working morning of a calendar day, or of the next weekday when the day is a weekend. */
export function workingMorningOf(isoDate: string, timeZone: string): Date {
  return withinWorkingHours(startOfWorkday(isoDate, timeZone), timeZone);
}

/**
 * When a reminder delayed by `delay` from `from` is due. Working days keep the wall-clock time and
 * skip weekends (Friday 15:00 + 1 -> Monday 15:00). The result is always in working hours.
 */
export function reminderDueAfter(from: Date, delay: TDelay, timeZone: string): Date {
  if ('minutes' in delay) return withinWorkingHours(new Date(from.getTime() + delay.minutes * 60_000), timeZone);
  // Out of hours, the clock starts at the next working morning: Wednesday 20:00 + 1 -> Friday 09:00.
  const start = localDateTime(withinWorkingHours(from, timeZone), timeZone);
  let date = start.date;
  for (let day = 0; day < delay.workingDays; day += 1) date = nextWorkingDate(date);
  return withinWorkingHours(zonedTimeToInstant({ ...start, date }, timeZone), timeZone);
}

/** "1 working day", "90 minutes": for logs and the README's examples. */
export function describeDelay(delay: TDelay): string {
  if ('minutes' in delay) return delay.minutes % 60 === 0 ? plural(delay.minutes / 60, 'hour') : plural(delay.minutes, 'minute');
  return plural(delay.workingDays, 'working day');
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** Reads "1d", "2 days", "4h", "90m" (case-insensitive); null when it is none of these. */
export function parseDelay(text: string): TDelay | null {
  const match = /^\s*(\d{1,5})\s*(d|days?|h|hours?|m|min|mins|minutes?)\s*$/i.exec(text);
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = match[2]!.toLowerCase();
  if (amount === 0) return null;
  if (unit.startsWith('d')) return { workingDays: amount };
  return { minutes: unit.startsWith('h') ? amount * 60 : amount };
}
