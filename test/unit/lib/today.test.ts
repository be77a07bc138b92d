import { todayIn } from '../../../src/lib/dates';
import { earliestCalendarToday, latestCalendarToday } from '../../../src/lib/today';

describe('latestCalendarToday', () => {
  it('is the date in UTC+14, the first place a day begins', () => {
    expect(latestCalendarToday(new Date('2026-11-20T09:59:59Z'))).toBe('2026-11-20');
    expect(latestCalendarToday(new Date('2026-11-20T10:00:00Z'))).toBe('2026-11-21');
  });
});

describe('earliestCalendarToday', () => {
  it('is the date in UTC-12, the last place a day ends', () => {
    expect(earliestCalendarToday(new Date('2026-11-20T11:59:59Z'))).toBe('2026-11-19');
    expect(earliestCalendarToday(new Date('2026-11-20T12:00:00Z'))).toBe('2026-11-20');
  });
});

describe('the lenient bounds together', () => {
  const instants = ['2026-11-20T00:00:00Z', '2026-11-20T09:59:59Z', '2026-11-20T10:00:00Z', '2026-11-20T11:59:59Z', '2026-11-20T12:00:00Z', '2026-11-20T23:59:59Z'];

  it.each(instants)("holds everyone's own today between them at %s", (instant) => {
    const now = new Date(instant);
    const earliest = earliestCalendarToday(now);
    const latest = latestCalendarToday(now);
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const today = todayIn(zone, now);
      expect({ zone, ok: earliest <= today && today <= latest }).toEqual({ zone, ok: true });
    }
  });

  it('spans at most two calendar days', () => {
    for (const instant of instants) {
      const now = new Date(instant);
      const days = (Date.parse(latestCalendarToday(now)) - Date.parse(earliestCalendarToday(now))) / 86_400_000;
      expect(days).toBeGreaterThanOrEqual(1);
      expect(days).toBeLessThanOrEqual(2);
    }
  });
});
