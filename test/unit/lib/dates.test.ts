import { formatLongDate, isoDateToUtcDate, slackTsToDate, toIsoDate, todayIn } from '../../../src/lib/dates';

/** Runs `check` with the process in each time zone, so a helper that reads local time shows it. */
function inEveryProcessZone(check: () => void): void {
  const original = process.env.TZ;
  try {
    for (const zone of ['UTC', 'Pacific/Kiritimati', 'Etc/GMT+12', 'America/Los_Angeles', 'Asia/Kolkata']) {
      process.env.TZ = zone;
      check();
    }
  } finally {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  }
}

describe('toIsoDate', () => {
  it('gives the UTC calendar date, up to the last millisecond of the day', () => {
    inEveryProcessZone(() => {
      expect(toIsoDate(new Date('2026-11-20T00:00:00.000Z'))).toBe('2026-11-20');
      expect(toIsoDate(new Date('2026-11-20T23:59:59.999Z'))).toBe('2026-11-20');
      expect(toIsoDate(new Date('2026-11-21T00:00:00.000Z'))).toBe('2026-11-21');
    });
  });
});

describe('todayIn', () => {
  it('refuses an unknown zone every time, and still answers for known ones after', () => {
    expect(() => todayIn('Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => todayIn('Mars/Olympus_Mons')).toThrow(RangeError);
    expect(todayIn('UTC', new Date('2026-11-20T23:59:59Z'))).toBe('2026-11-20');
  });


  it('gives the calendar date in the zone, on both sides of its midnight', () => {
    // Los Angeles is UTC-8 in November.
    expect(todayIn('America/Los_Angeles', new Date('2026-11-21T07:59:59Z'))).toBe('2026-11-20');
    expect(todayIn('America/Los_Angeles', new Date('2026-11-21T08:00:00Z'))).toBe('2026-11-21');
    expect(todayIn('Asia/Tokyo', new Date('2026-11-20T14:59:59Z'))).toBe('2026-11-20');
    expect(todayIn('Asia/Tokyo', new Date('2026-11-20T15:00:00Z'))).toBe('2026-11-21');
    // Half-hour offset (UTC+5:30).
    expect(todayIn('Asia/Kolkata', new Date('2026-11-20T18:29:59Z'))).toBe('2026-11-20');
    expect(todayIn('Asia/Kolkata', new Date('2026-11-20T18:30:00Z'))).toBe('2026-11-21');
  });

  it('follows daylight saving time', () => {
    // New York is UTC-4 in July and UTC-5 in January.
    expect(todayIn('America/New_York', new Date('2026-07-02T03:59:59Z'))).toBe('2026-07-01');
    expect(todayIn('America/New_York', new Date('2026-07-02T04:00:00Z'))).toBe('2026-07-02');
    expect(todayIn('America/New_York', new Date('2026-01-02T04:59:59Z'))).toBe('2026-01-01');
    expect(todayIn('America/New_York', new Date('2026-01-02T05:00:00Z'))).toBe('2026-01-02');
  });

  it('crosses the year boundary', () => {
    expect(todayIn('Pacific/Auckland', new Date('2026-12-31T11:00:00Z'))).toBe('2027-01-01');
    expect(todayIn('Pacific/Honolulu', new Date('2027-01-01T09:59:59Z'))).toBe('2026-12-31');
  });

  it('always answers in the YYYY-MM-DD form the datepicker uses, whatever the process zone', () => {
    inEveryProcessZone(() => {
      expect(todayIn('UTC', new Date('2026-03-05T12:00:00Z'))).toBe('2026-03-05');
    });
  });

  it('rejects a time zone that does not exist', () => {
    expect(() => todayIn('Mars/Olympus_Mons', new Date())).toThrow(RangeError);
  });
});

describe('isoDateToUtcDate', () => {
  it('gives UTC midnight of the day, whatever the process zone', () => {
    inEveryProcessZone(() => {
      expect(isoDateToUtcDate('2026-11-20').toISOString()).toBe('2026-11-20T00:00:00.000Z');
    });
  });

  it('gives an invalid date for text that is not a date', () => {
    expect(Number.isNaN(isoDateToUtcDate('20 Nov 2026').getTime())).toBe(true);
  });
});

describe('formatLongDate', () => {
  it('never shifts the day, whatever the process zone', () => {
    inEveryProcessZone(() => {
      expect(formatLongDate('2026-11-20')).toBe('Nov 20, 2026');
      expect(formatLongDate('2027-01-01')).toBe('Jan 1, 2027');
      expect(formatLongDate('2028-02-29')).toBe('Feb 29, 2028');
    });
  });
});

describe('slackTsToDate', () => {
  it('reads seconds and microseconds, to the millisecond', () => {
    expect(slackTsToDate('1700000000.000100').toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(slackTsToDate('1700000000.123456').toISOString()).toBe('2023-11-14T22:13:20.123Z');
    expect(slackTsToDate('1700000000').toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });
});
