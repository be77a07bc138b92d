import {
  canonicalCompetitor,
  effectiveWorkspaceSettings,
  formatDelay,
  parseCompetitorList,
  validateWorkspaceSettings,
  type TStoredWorkspaceSettings,
  type TWorkspaceSettingsAnswers,
  type TWorkspaceSettingsField,
} from '../../../src/domain/workspaceSettings';
import { parseDelay } from '../../../src/lib/workingTime';

const nothingStored: TStoredWorkspaceSettings = { retroChannelId: null, managerUserGroupId: null, managerUserIds: [], debriefNudgeAfter: null, competitors: [], settingsSavedAt: null };
const defaults = { retroChannelId: 'C0DEFAULT1', managers: { userGroupId: 'S0ENVGRP01', userIds: ['U0ENVMGR01'] }, debriefNudgeAfter: { workingDays: 1 } };
const answers: TWorkspaceSettingsAnswers = { retroChannelId: 'C0RETROS01', managerUserGroupId: null, managerUserIds: ['U0MGR00001'], debriefNudgeAfter: '2d', competitors: 'Salesforce\nHubSpot' };

describe('effectiveWorkspaceSettings', () => {
  it('follows the deployment until the workspace saves its own', () => {
    expect(effectiveWorkspaceSettings(nothingStored, defaults)).toEqual({
      retroChannelId: 'C0DEFAULT1',
      managerUserGroupId: 'S0ENVGRP01',
      managerUserIds: ['U0ENVMGR01'],
      debriefNudgeAfter: { workingDays: 1 },
      competitors: [],
      saved: false,
    });
  });

  it('takes the saved managers as one choice: an empty list after a save means nobody', () => {
    const saved = effectiveWorkspaceSettings({ ...nothingStored, retroChannelId: 'C0OWN00001', debriefNudgeAfter: { minutes: 240 }, settingsSavedAt: new Date() }, defaults);
    expect(saved).toMatchObject({ retroChannelId: 'C0OWN00001', managerUserGroupId: null, managerUserIds: [], debriefNudgeAfter: { minutes: 240 }, saved: true });
  });

  it('has no retro channel when neither the workspace nor RETRO_CHANNEL names one', () => {
    expect(effectiveWorkspaceSettings(nothingStored, { ...defaults, retroChannelId: undefined }).retroChannelId).toBeNull();
  });
});

describe('validateWorkspaceSettings', () => {
  it('accepts a complete answer, de-duplicating people and competitors', () => {
    const result = validateWorkspaceSettings({ ...answers, managerUserIds: ['U0MGR00001', 'U0MGR00001'], competitors: 'Salesforce, salesforce\n\n  Hub  Spot ' });
    expect(result).toEqual({ ok: true, value: { retroChannelId: 'C0RETROS01', managerUserGroupId: null, managerUserIds: ['U0MGR00001'], debriefNudgeAfter: { workingDays: 2 }, competitors: ['Salesforce', 'Hub Spot'] } });
  });

  it.each<[Partial<TWorkspaceSettingsAnswers>, TWorkspaceSettingsField, string]>([
    [{ retroChannelId: null }, 'retroChannelId', 'Choose the channel'],
    [{ retroChannelId: 'D0DIRECT01' }, 'retroChannelId', 'not a direct message'],
    [{ managerUserGroupId: 'sales-leads' }, 'managerUserGroupId', 'user groups listed'],
    [{ managerUserIds: ['not-a-user'] }, 'managerUserIds', 'from the list'],
    [{ debriefNudgeAfter: 'soon' }, 'debriefNudgeAfter', 'when owners are reminded'],
    [{ competitors: Array.from({ length: 51 }, (_, index) => `Rival ${index}`).join('\n') }, 'competitors', 'at most 50'],
  ])('refuses %j on its field', (change, field, message) => {
    const result = validateWorkspaceSettings({ ...answers, ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[field]).toContain(message);
  });
});

describe('competitor names', () => {
  it('reads one name per line or comma', () => {
    expect(parseCompetitorList(' Acme \n\nGlobex, Initech ')).toEqual(['Acme', 'Globex', 'Initech']);
    expect(parseCompetitorList(null)).toEqual([]);
  });

  it('gives a typed name the team’s spelling, keeping unknown names as typed', () => {
    expect(canonicalCompetitor('  salesFORCE ', ['Salesforce', 'HubSpot'])).toBe('Salesforce');
    expect(canonicalCompetitor('Zoho', ['Salesforce'])).toBe('Zoho');
  });
});

describe('formatDelay', () => {
  it.each(['1d', '5d', '2h', '90m'])('writes %s so that parseDelay reads it back', (text) => {
    expect(formatDelay(parseDelay(text)!)).toBe(text);
  });
});
