import {
  addCalendarMonths,
  canonicalTimeZone,
  describeDelay,
  localDateOf,
  parseDelay,
  reminderDueAfter,
  withinWorkingHours,
  workingMorningOf,
  zonedTimeToInstant,
} from '../../../src/lib/workingTime';

const NEW_YORK = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const iso = (date: Date) => date.toISOString();

describe('zonedTimeToInstant', () => {
  it('reads a wall-clock time in the zone, on both sides of a daylight-saving change', () => {
    // New York is UTC-4 until 1 November 2026, UTC-5 after.
    expect(iso(zonedTimeToInstant({ date: '2026-10-30', hour: 9, minute: 0, second: 0 }, NEW_YORK))).toBe('2026-10-30T13:00:00.000Z');
    expect(iso(zonedTimeToInstant({ date: '2026-11-02', hour: 9, minute: 0, second: 0 }, NEW_YORK))).toBe('2026-11-02T14:00:00.000Z');
    expect(iso(zonedTimeToInstant({ date: '2026-07-01', hour: 9, minute: 30, second: 0 }, 'Asia/Kolkata'))).toBe('2026-07-01T04:00:00.000Z');
  });

  it('moves a time the clocks skip to just after the jump', () => {
    // 2026-03-08 02:30 does not exist in New York: clocks go from 02:00 to 03:00.
    expect(iso(zonedTimeToInstant({ date: '2026-03-08', hour: 2, minute: 30, second: 0 }, NEW_YORK))).toBe('2026-03-08T07:30:00.000Z');
  });
});

describe('withinWorkingHours', () => {
  it('keeps a weekday working-hours instant and moves the others to the next working morning', () => {
    // Wednesday 25 November 2026, Berlin is UTC+1.
    expect(iso(withinWorkingHours(new Date('2026-11-25T10:00:00Z'), BERLIN))).toBe('2026-11-25T10:00:00.000Z');
    expect(iso(withinWorkingHours(new Date('2026-11-25T05:00:00Z'), BERLIN))).toBe('2026-11-25T08:00:00.000Z');
    expect(iso(withinWorkingHours(new Date('2026-11-25T19:00:00Z'), BERLIN))).toBe('2026-11-26T08:00:00.000Z');
    // Friday evening and Saturday both go to Monday 09:00.
    expect(iso(withinWorkingHours(new Date('2026-11-27T18:30:00Z'), BERLIN))).toBe('2026-11-30T08:00:00.000Z');
    expect(iso(withinWorkingHours(new Date('2026-11-28T12:00:00Z'), BERLIN))).toBe('2026-11-30T08:00:00.000Z');
  });

  it('judges the weekend by the zone, not by UTC', () => {
    // Friday 23:30 in New York is already Saturday in UTC, and Friday evening there: next is Monday.
    expect(iso(withinWorkingHours(new Date('2026-11-28T04:30:00Z'), NEW_YORK))).toBe('2026-11-30T14:00:00.000Z');
    // Monday 00:30 in Auckland is still Sunday in UTC, and early Monday there: 09:00 the same day.
    expect(iso(withinWorkingHours(new Date('2026-11-29T11:30:00Z'), 'Pacific/Auckland'))).toBe('2026-11-29T20:00:00.000Z');
  });
});

describe('reminderDueAfter', () => {
  it('adds working days at the same wall-clock time, skipping the weekend', () => {
    // Friday 27 November 2026 15:00 in New York (20:00 UTC) + 1 working day = Monday 15:00.
    expect(iso(reminderDueAfter(new Date('2026-11-27T20:00:00Z'), { workingDays: 1 }, NEW_YORK))).toBe('2026-11-30T20:00:00.000Z');
    // Tuesday + 2 working days = Thursday.
    expect(iso(reminderDueAfter(new Date('2026-11-24T15:00:00Z'), { workingDays: 2 }, 'UTC'))).toBe('2026-11-26T15:00:00.000Z');
  });

  it('counts from the next working morning when the start is out of hours', () => {
    // Saturday -> counts from Monday 09:00 -> Tuesday 09:00.
    expect(iso(reminderDueAfter(new Date('2026-11-28T12:00:00Z'), { workingDays: 1 }, 'UTC'))).toBe('2026-12-01T09:00:00.000Z');
    // Wednesday 20:00 -> counts from Thursday 09:00 -> Friday 09:00.
    expect(iso(reminderDueAfter(new Date('2026-11-25T20:00:00Z'), { workingDays: 1 }, 'UTC'))).toBe('2026-11-27T09:00:00.000Z');
  });

  it('keeps elapsed delays in working hours too', () => {
    expect(iso(reminderDueAfter(new Date('2026-11-25T10:00:00Z'), { minutes: 90 }, 'UTC'))).toBe('2026-11-25T11:30:00.000Z');
    // Friday 17:00 + 4h would be Friday 21:00: Monday morning instead.
    expect(iso(reminderDueAfter(new Date('2026-11-27T17:00:00Z'), { minutes: 240 }, 'UTC'))).toBe('2026-11-30T09:00:00.000Z');
  });
});

describe('calendar helpers', () => {
  it('gives the working morning of a day, or of the Monday after a weekend day', () => {
    expect(iso(workingMorningOf('2027-05-03', BERLIN))).toBe('2027-05-03T07:00:00.000Z'); // Monday, UTC+2 in May
    expect(iso(workingMorningOf('2027-05-01', BERLIN))).toBe('2027-05-03T07:00:00.000Z'); // Saturday
  });

  it('adds months without overflowing into the month after', () => {
    expect(addCalendarMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addCalendarMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addCalendarMonths('2026-12-15', 1)).toBe('2027-01-15');
  });

  it('gives the calendar day in the zone', () => {
    expect(localDateOf(new Date('2026-11-24T03:00:00Z'), NEW_YORK)).toBe('2026-11-23');
    expect(localDateOf(new Date('2026-11-24T03:00:00Z'), BERLIN)).toBe('2026-11-24');
  });
});

describe('parseDelay and canonicalTimeZone', () => {
  it('reads working days, hours and minutes, and refuses anything else', () => {
    expect(parseDelay('1d')).toEqual({ workingDays: 1 });
    expect(parseDelay(' 2 days ')).toEqual({ workingDays: 2 });
    expect(parseDelay('4h')).toEqual({ minutes: 240 });
    expect(parseDelay('90m')).toEqual({ minutes: 90 });
    expect(parseDelay('90 MINUTES')).toEqual({ minutes: 90 });
    for (const bad of ['', '0d', '1w', '1.5d', 'tomorrow', '-1d']) expect(parseDelay(bad)).toBeNull();
    expect(describeDelay({ workingDays: 1 })).toBe('1 working day');
    expect(describeDelay({ minutes: 120 })).toBe('2 hours');
  });

  it('knows IANA zones in their canonical spelling', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
  });
});
