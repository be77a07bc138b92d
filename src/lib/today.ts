import { todayIn } from './dates';

// Slack does not tell a modal which time zone the person is in, so the date checks are lenient:
// "not in the future" uses the earliest calendar on Earth (UTC+14) and "after today" the latest
// (UTC-12), so nobody is told their own today is wrong.

export function latestCalendarToday(now: Date): string {
  return todayIn('Pacific/Kiritimati', now);
}

export function earliestCalendarToday(now: Date): string {
  return todayIn('Etc/GMT+12', now);
}
