import { parseConfig } from '../../../src/config/env';
import { MINIMAL_ENV, configProblemsOf } from '../../helpers/configEnv';

const minimal = MINIMAL_ENV;

const problemsOf = configProblemsOf;

describe('reminder configuration', () => {
  it('nudges after one working day, in UTC, unless told otherwise', () => {
    expect(parseConfig(minimal).reminders).toEqual({ debriefNudgeAfter: { workingDays: 1 }, defaultTimeZone: 'UTC' });
    expect(parseConfig({ ...minimal, DEBRIEF_NUDGE_AFTER: '', DEFAULT_TIMEZONE: '' }).reminders).toEqual({ debriefNudgeAfter: { workingDays: 1 }, defaultTimeZone: 'UTC' });
  });

  it('reads the delay in working days, hours or minutes, and the zone in its canonical spelling', () => {
    expect(parseConfig({ ...minimal, DEBRIEF_NUDGE_AFTER: '2d' }).reminders.debriefNudgeAfter).toEqual({ workingDays: 2 });
    expect(parseConfig({ ...minimal, DEBRIEF_NUDGE_AFTER: '4h' }).reminders.debriefNudgeAfter).toEqual({ minutes: 240 });
    expect(parseConfig({ ...minimal, DEFAULT_TIMEZONE: 'europe/berlin' }).reminders.defaultTimeZone).toBe('Europe/Berlin');
  });

  it('explains a delay or a zone it cannot read, with an example that works', () => {
    const [delay] = problemsOf({ ...minimal, DEBRIEF_NUDGE_AFTER: 'tomorrow' });
    expect(delay).toMatch(/^DEBRIEF_NUDGE_AFTER must be a delay like 1d/);
    expect(delay).toContain('one working day');
    const [zone] = problemsOf({ ...minimal, DEFAULT_TIMEZONE: 'CET+1' });
    expect(zone).toMatch(/^DEFAULT_TIMEZONE is not a time zone this system knows \(CET\+1\)/);
    expect(zone).toContain('Europe/Berlin');
  });
});
