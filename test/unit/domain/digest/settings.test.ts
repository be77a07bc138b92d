import { describeClock, validateDigestSettings, type TDigestSettingsAnswers } from '../../../../src/domain/digest/settings';

const answers = (overrides: Partial<TDigestSettingsAnswers> = {}): TDigestSettingsAnswers => ({
  channelId: 'C0SALES01',
  weekday: '1',
  hour: '9',
  timeZone: 'Europe/Berlin',
  enabled: true,
  ...overrides,
});

describe('validateDigestSettings', () => {
  it('accepts a channel, a day, an hour and a zone, storing the zone in its canonical spelling', () => {
    expect(validateDigestSettings(answers({ timeZone: ' america/new york ', hour: '0', weekday: '7' }))).toEqual({
      ok: true,
      value: { channelId: 'C0SALES01', weekday: 7, hour: 0, timeZone: 'America/New_York', enabled: true },
    });
    expect(validateDigestSettings(answers({ timeZone: 'utc', enabled: false }))).toMatchObject({ ok: true, value: { timeZone: 'UTC', enabled: false } });
  });

  it('says what is wrong with each field', () => {
    const result = validateDigestSettings({ channelId: null, weekday: '8', hour: '24', timeZone: 'Mars/Olympus', enabled: true });
    expect(result).toEqual({
      ok: false,
      errors: {
        channelId: 'Pick the channel the digest should go to.',
        weekday: 'Pick a day of the week.',
        hour: 'Pick an hour.',
        timeZone: expect.stringContaining('"Mars/Olympus" is not a time zone I know'),
      },
    });
  });

  it('refuses a direct message and an empty zone', () => {
    expect(validateDigestSettings(answers({ channelId: 'D0DM00001', timeZone: '  ' }))).toEqual({
      ok: false,
      errors: { channelId: expect.stringContaining('not a direct message'), timeZone: expect.stringContaining('Enter a time zone') },
    });
  });

  it('describes a schedule the way people say it', () => {
    expect(describeClock({ weekday: 5, hour: 16, timeZone: 'America/New_York' })).toBe('Fridays at 16:00 (America/New_York)');
  });
});
