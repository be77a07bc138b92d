import { describeDelay, parseDelay, type TDelay } from '../lib/workingTime';

// A workspace's own settings, chosen by its admins with /losses settings. Until they save, every
// workspace follows the deployment's variables (RETRO_CHANNEL, MANAGER_USERGROUP, MANAGER_USER_IDS,
// DEBRIEF_NUDGE_AFTER); that is how a single-workspace install keeps working unchanged.

export const MAX_COMPETITORS = 50;
export const MAX_COMPETITOR_NAME = 80;
/** Enough for a sales leadership team; a larger list belongs in a user group. */
export const MAX_MANAGER_USERS = 30;

/** The choices of the nudge-timing select; a value configured otherwise (DEBRIEF_NUDGE_AFTER=90m) is offered too. */
export const NUDGE_DELAY_CHOICES: readonly TDelay[] = [{ minutes: 120 }, { minutes: 240 }, { workingDays: 1 }, { workingDays: 2 }, { workingDays: 3 }, { workingDays: 5 }];

export interface TWorkspaceSettings {
  /** Where retro threads open; null when neither the workspace nor RETRO_CHANNEL names one. */
  retroChannelId: string | null;
  managerUserGroupId: string | null;
  managerUserIds: string[];
  debriefNudgeAfter: TDelay;
  competitors: string[];
  /** Whether an admin has saved these (else they are the deployment's defaults). */
  saved: boolean;
}

/** What a workspace has stored; null and empty mean "not chosen here". */
export interface TStoredWorkspaceSettings {
  retroChannelId: string | null;
  managerUserGroupId: string | null;
  managerUserIds: string[];
  debriefNudgeAfter: TDelay | null;
  competitors: string[];
  settingsSavedAt: Date | null;
}

export interface TSettingsDefaults {
  retroChannelId: string | undefined;
  managers: { userGroupId: string | undefined; userIds: readonly string[] };
  debriefNudgeAfter: TDelay;
}

/** The settings in force: the workspace's own, each falling back to the deployment's default. */
export function effectiveWorkspaceSettings(stored: TStoredWorkspaceSettings, defaults: TSettingsDefaults): TWorkspaceSettings {
  const saved = stored.settingsSavedAt !== null;
  return {
    retroChannelId: stored.retroChannelId ?? defaults.retroChannelId ?? null,
    // Managers are one choice (group and people together): once saved, an empty list means "nobody".
    managerUserGroupId: saved ? stored.managerUserGroupId : (defaults.managers.userGroupId ?? null),
    managerUserIds: saved ? [...stored.managerUserIds] : [...defaults.managers.userIds],
    debriefNudgeAfter: stored.debriefNudgeAfter ?? defaults.debriefNudgeAfter,
    competitors: [...stored.competitors],
    saved,
  };
}

/** "2d", "4h", "90m": how a delay is stored, readable by parseDelay. */
export function formatDelay(delay: TDelay): string {
  if ('workingDays' in delay) return `${delay.workingDays}d`;
  return delay.minutes % 60 === 0 ? `${delay.minutes / 60}h` : `${delay.minutes}m`;
}

export function nudgeDelayLabel(delay: TDelay): string {
  return `After ${describeDelay(delay)}`;
}

/** What the modal submitted, before validation. */
export interface TWorkspaceSettingsAnswers {
  retroChannelId: string | null;
  managerUserGroupId: string | null;
  managerUserIds: string[];
  debriefNudgeAfter: string | null;
  competitors: string | null;
}

export type TValidWorkspaceSettings = Omit<TWorkspaceSettings, 'saved' | 'retroChannelId'> & { retroChannelId: string };
export type TWorkspaceSettingsField = 'retroChannelId' | 'managerUserGroupId' | 'managerUserIds' | 'debriefNudgeAfter' | 'competitors';

export type TValidation = { ok: true; value: TValidWorkspaceSettings } | { ok: false; errors: Partial<Record<TWorkspaceSettingsField, string>> };

/** One name per line (commas work too); blank lines and repeats (ignoring case) dropped, first spelling kept. */
export function parseCompetitorList(text: string | null): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const raw of (text ?? '').split(/[\n,]/)) {
    const name = raw.replace(/\s+/g, ' ').trim();
    const key = name.toLocaleLowerCase('en');
    if (!name || seen.has(key)) continue;
    seen.add(key);
    names.push(name);
  }
  return names;
}

export function validateWorkspaceSettings(answers: TWorkspaceSettingsAnswers): TValidation {
  const errors: Partial<Record<TWorkspaceSettingsField, string>> = {};
  if (!answers.retroChannelId) errors.retroChannelId = 'Choose the channel where retro threads open.';
  else if (!/^[CG][A-Z0-9]{6,}$/.test(answers.retroChannelId)) errors.retroChannelId = 'Choose a channel, not a direct message.';

  if (answers.managerUserGroupId !== null && !/^S[A-Z0-9]{6,}$/.test(answers.managerUserGroupId)) errors.managerUserGroupId = 'Choose one of the user groups listed.';
  const managerUserIds = [...new Set(answers.managerUserIds)];
  if (managerUserIds.length > MAX_MANAGER_USERS) errors.managerUserIds = `Choose at most ${MAX_MANAGER_USERS} people, or use a user group.`;
  else if (managerUserIds.some((id) => !/^[UW][A-Z0-9]{6,}$/.test(id))) errors.managerUserIds = 'Choose people from the list.';

  const delay = answers.debriefNudgeAfter ? parseDelay(answers.debriefNudgeAfter) : null;
  if (!delay) errors.debriefNudgeAfter = 'Choose when owners are reminded.';

  const competitors = parseCompetitorList(answers.competitors);
  const tooLong = competitors.find((name) => name.length > MAX_COMPETITOR_NAME);
  if (tooLong) errors.competitors = `"${tooLong.slice(0, 30)}…" is longer than ${MAX_COMPETITOR_NAME} characters.`;
  else if (competitors.length > MAX_COMPETITORS) errors.competitors = `List at most ${MAX_COMPETITORS} competitors (${competitors.length} now).`;

  if (Object.keys(errors).length > 0 || !answers.retroChannelId || !delay) return { ok: false, errors };
  return {
    ok: true,
    value: { retroChannelId: answers.retroChannelId, managerUserGroupId: answers.managerUserGroupId, managerUserIds, debriefNudgeAfter: delay, competitors },
  };
}

/**
 * The known spelling of a competitor someone typed ("salesforce" -> "Salesforce"), so digests and
 * search count one competitor once; a name not on the list is kept as typed.
 */
export function canonicalCompetitor(name: string, competitors: readonly string[]): string {
  const key = name.replace(/\s+/g, ' ').trim().toLocaleLowerCase('en');
  return competitors.find((known) => known.toLocaleLowerCase('en') === key) ?? name;
}
