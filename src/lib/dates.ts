// Slack's datepicker speaks YYYY-MM-DD in the user's calendar; these helpers keep that form
// without letting a server time zone shift the day.

export function toIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// One formatter per time zone: building one is the expensive part. An unknown zone throws before
// anything is cached.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Today's calendar date in an IANA time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(now);
}

export function isoDateToUtcDate(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00.000Z`);
}

export function formatLongDate(isoDate: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }).format(
    isoDateToUtcDate(isoDate),
  );
}

/** Converts a Slack message ts ("1700000000.000100") to a Date. */
export function slackTsToDate(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}
