import {
  describePeriodDays,
  dueAtOf,
  isWithin,
  latestDuePeriod,
  nextDuePeriod,
  parseIsoWeek,
  periodContaining,
  periodOfLabel,
  shiftPeriod,
} from '../../../../src/domain/digest/period';

const HOUR = 3_600_000;
const hoursIn = (period: { start: Date; end: Date }) => (period.end.getTime() - period.start.getTime()) / HOUR;
const monday9 = { weekday: 1, hour: 9 };

describe('ISO week labels', () => {
  it.each([
    ['2026-W47', { year: 2026, week: 47 }],
    ['2026-w01', { year: 2026, week: 1 }],
    // 2026 starts on a Thursday, so it has a week 53; 2025 does not.
    ['2026-W53', { year: 2026, week: 53 }],
  ])('reads %s', (label, expected) => {
    expect(parseIsoWeek(label)).toEqual(expected);
  });

  it.each(['2025-W53', '2026-W00', '2026-W54', '2026-47', 'W47', 'last week', ''])('refuses %j', (label) => {
    expect(parseIsoWeek(label)).toBeNull();
  });

  it('names the week an instant falls in by its own zone: Sunday night in New York is Monday in UTC', () => {
    const sundayNightNewYork = new Date('2026-11-23T02:30:00Z'); // Sun Nov 22, 21:30 in New York
    expect(periodContaining(sundayNightNewYork, 'America/New_York').label).toBe('2026-W47');
    expect(periodContaining(sundayNightNewYork, 'UTC').label).toBe('2026-W48');
  });

  it('counts the days around New Year in the ISO year of their Thursday', () => {
    expect(periodContaining(new Date('2027-01-01T12:00:00Z'), 'UTC').label).toBe('2026-W53');
    expect(periodContaining(new Date('2024-12-30T12:00:00Z'), 'UTC').label).toBe('2025-W01');
  });
});

describe('period boundaries', () => {
  it('runs from Monday 00:00 to the next Monday 00:00 on the zone clock', () => {
    const period = periodOfLabel('2026-W47', 'Europe/Berlin')!;
    expect(period.start.toISOString()).toBe('2026-11-15T23:00:00.000Z');
    expect(period.end.toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect([period.firstDay, period.lastDay]).toEqual(['2026-11-16', '2026-11-22']);
    expect(describePeriodDays(period)).toBe('Nov 16 – 22, 2026');
  });

  it('puts a loss at 23:30 on Sunday in that week and one at 00:00 on Monday in the next', () => {
    const period = periodOfLabel('2026-W47', 'Europe/Berlin')!;
    expect(isWithin(new Date('2026-11-22T22:30:00Z'), period)).toBe(true);
    expect(isWithin(new Date('2026-11-22T23:00:00Z'), period)).toBe(false);
    expect(isWithin(new Date('2026-11-15T22:59:59Z'), period)).toBe(false);
  });

  it('gives the week clocks go back 169 hours and the week they go forward 167, with no gap or overlap', () => {
    const autumn = periodOfLabel('2026-W43', 'Europe/Berlin')!; // Oct 25 2026: 03:00 -> 02:00
    const spring = periodOfLabel('2026-W13', 'Europe/Berlin')!; // Mar 29 2026: 02:00 -> 03:00
    expect(hoursIn(autumn)).toBe(169);
    expect(hoursIn(spring)).toBe(167);
    for (const period of [autumn, spring]) {
      expect(shiftPeriod(period, 1).start).toEqual(period.end);
      expect(shiftPeriod(period, -1).end).toEqual(period.start);
    }
  });

  it('describes weeks across a month and a year', () => {
    expect(describePeriodDays(periodOfLabel('2026-W49', 'UTC')!)).toBe('Nov 30 – Dec 6, 2026');
    expect(describePeriodDays(periodOfLabel('2026-W53', 'UTC')!)).toBe('Dec 28, 2026 – Jan 3, 2027');
  });
});

describe('when a digest is due', () => {
  it('is due at the chosen weekday and hour of the following week, on the zone clock', () => {
    const period = periodOfLabel('2026-W47', 'America/New_York')!;
    expect(dueAtOf(period, { ...monday9, timeZone: 'America/New_York' }).toISOString()).toBe('2026-11-23T14:00:00.000Z');
    expect(dueAtOf(period, { weekday: 5, hour: 16, timeZone: 'America/New_York' }).toISOString()).toBe('2026-11-27T21:00:00.000Z');
  });

  it('picks last week once this week\'s posting time has passed, the week before until then', () => {
    const clock = { ...monday9, timeZone: 'UTC' };
    expect(latestDuePeriod(new Date('2026-11-23T08:59:00Z'), clock).period.label).toBe('2026-W46');
    expect(latestDuePeriod(new Date('2026-11-23T09:00:00Z'), clock).period.label).toBe('2026-W47');
    expect(nextDuePeriod(new Date('2026-11-23T08:59:00Z'), clock)).toMatchObject({ period: { label: '2026-W47' } });
    expect(nextDuePeriod(new Date('2026-11-23T09:00:00Z'), clock).dueAt.toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });

  it('moves an hour the spring-forward night skips to the hour after, once', () => {
    // Sunday 02:00 does not exist in Berlin on Mar 29 2026.
    const clock = { weekday: 7, hour: 2, timeZone: 'Europe/Berlin' };
    const due = dueAtOf(periodOfLabel('2026-W12', 'Europe/Berlin')!, clock);
    expect(due.toISOString()).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST
  });

  it.each([
    ['Europe/Berlin', '2026-03-20T00:00:00Z', '2026-04-08T00:00:00Z'],
    ['Europe/Berlin', '2026-10-16T00:00:00Z', '2026-11-04T00:00:00Z'],
    ['America/New_York', '2026-02-27T00:00:00Z', '2026-03-18T00:00:00Z'],
    ['America/New_York', '2026-10-23T00:00:00Z', '2026-11-11T00:00:00Z'],
    ['Australia/Sydney', '2026-03-27T00:00:00Z', '2026-04-15T00:00:00Z'],
  ])('in %s from %s, hour by hour, moves on one week at a time: no week doubled or dropped', (timeZone, from, to) => {
    // Sunday 02:00 is the hour daylight-saving changes touch.
    const clock = { weekday: 7, hour: 2, timeZone };
    const changes: Array<{ label: string; at: number }> = [];
    for (let t = Date.parse(from); t <= Date.parse(to); t += HOUR) {
      const label = latestDuePeriod(new Date(t), clock).period.label;
      if (changes.at(-1)?.label !== label) changes.push({ label, at: t });
    }
    expect(changes.length).toBeGreaterThanOrEqual(3);
    changes.slice(1).forEach((change, index) => {
      const previous = changes[index]!;
      expect(shiftPeriod(periodOfLabel(previous.label, timeZone)!, 1).label).toBe(change.label);
      // Each week's digest falls due a week (give or take the clock change) after the last; the
      // first entry is where the walk began, not a change.
      if (index > 0) expect(Math.abs(change.at - previous.at - 168 * HOUR)).toBeLessThanOrEqual(HOUR);
    });
  });
});
