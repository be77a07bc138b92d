import type { TWorkspace } from '../../src/repositories/workspaces';

/** A stored workspace (team T0TEAM001) whose admin saved these competitors, for fakes of the workspaces repository. */
export function workspaceWith(competitors: string[]): TWorkspace {
  return {
    id: 'w1',
    slackTeamId: 'T0TEAM001',
    timeZone: 'UTC',
    retroChannelId: 'C0RETRO01',
    managerUserGroupId: null,
    managerUserIds: [],
    debriefNudgeAfter: null,
    competitors,
    settingsSavedAt: new Date('2026-01-01T00:00:00Z'),
  };
}
