// Where and when the weekly digest goes out. A manager changes it from Slack; until then the
// defaults from the environment apply (Monday 09:00, DIGEST_CHANNEL or RETRO_CHANNEL, DIGEST_TZ or
// the workspace's own time zone).

import { canonicalTimeZone } from '../../lib/workingTime';
import type { TFieldErrors } from '../debrief';
import type { TDigestClock } from './period';

export const WEEKDAYS = [
  { value: 1, label: 'Monday' },
  { value: 2, label: 'Tuesday' },
  { value: 3, label: 'Wednesday' },
  { value: 4, label: 'Thursday' },
  { value: 5, label: 'Friday' },
  { value: 6, label: 'Saturday' },
  { value: 7, label: 'Sunday' },
] as const;

export const DEFAULT_DIGEST_WEEKDAY = 1;
export const DEFAULT_DIGEST_HOUR = 9;

export interface TDigestSettings extends TDigestClock {
  channelId: string;
  /** A paused digest is neither posted nor caught up later. */
  enabled: boolean;
  /** False while the environment's defaults apply (nobody saved settings yet). */
  saved: boolean;
  /** When the settings were first saved; a digest due before the workspace had settings is not caught up. */
  savedAt: Date | null;
}

export interface TDigestDefaults {
  channelId: string;
  /** DIGEST_TZ; undefined follows the workspace's time zone. */
  timeZone: string | undefined;
}

export function defaultDigestSettings(defaults: TDigestDefaults, workspaceTimeZone: string): TDigestSettings {
  return {
    channelId: defaults.channelId,
    weekday: DEFAULT_DIGEST_WEEKDAY,
    hour: DEFAULT_DIGEST_HOUR,
    timeZone: defaults.timeZone ?? workspaceTimeZone,
    enabled: true,
    saved: false,
    savedAt: null,
  };
}

export interface TDigestSettingsAnswers {
  channelId: string | null;
  weekday: string | null;
  hour: string | null;
  timeZone: string | null;
  enabled: boolean;
}

export type TDigestSettingsField = keyof TDigestSettingsAnswers;

export type TValidDigestSettings = { channelId: string; weekday: number; hour: number; timeZone: string; enabled: boolean };

const CHANNEL_ID = /^[CG][A-Z0-9]{6,}$/;

/** Checks what the settings modal sent; the time zone is stored in its canonical spelling. */
export function validateDigestSettings(
  answers: TDigestSettingsAnswers,
): { ok: true; value: TValidDigestSettings } | { ok: false; errors: TFieldErrors<TDigestSettingsField> } {
  const errors: TFieldErrors<TDigestSettingsField> = {};
  const channelId = answers.channelId?.trim() ?? '';
  if (!CHANNEL_ID.test(channelId)) {
    errors.channelId = channelId.startsWith('D')
      ? 'Pick a channel, not a direct message: the digest is for the whole team.'
      : 'Pick the channel the digest should go to.';
  }
  const weekday = Number(answers.weekday);
  if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) errors.weekday = 'Pick a day of the week.';
  const hour = Number(answers.hour);
  if (answers.hour === null || !Number.isInteger(hour) || hour < 0 || hour > 23) errors.hour = 'Pick an hour.';
  const typedZone = answers.timeZone?.trim() ?? '';
  const timeZone = typedZone ? canonicalTimeZone(typedZone.replace(/\s+/g, '_')) : null;
  if (!timeZone) {
    errors.timeZone = typedZone
      ? `"${typedZone.slice(0, 60)}" is not a time zone I know. Use a name like Europe/Berlin, America/New_York or UTC.`
      : 'Enter a time zone, e.g. Europe/Berlin, America/New_York or UTC.';
  }
  if (Object.keys(errors).length > 0 || !timeZone) return { ok: false, errors };
  return { ok: true, value: { channelId, weekday, hour, timeZone, enabled: answers.enabled } };
}

/** "Mondays at 09:00 (Europe/Berlin)" */
export function describeClock(clock: TDigestClock): string {
  const day = WEEKDAYS.find((weekday) => weekday.value === clock.weekday)?.label ?? 'Monday';
  return `${day}s at ${String(clock.hour).padStart(2, '0')}:00 (${clock.timeZone})`;
}
