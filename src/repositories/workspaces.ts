import type { TStoredWorkspaceSettings, TValidWorkspaceSettings } from '../domain/workspaceSettings';
import { formatDelay } from '../domain/workspaceSettings';
import type { PrismaClient } from '../generated/prisma/client';
import { parseDelay } from '../lib/workingTime';
import { isUniqueViolation } from './errors';

export interface TWorkspace extends TStoredWorkspaceSettings {
  id: string;
  slackTeamId: string;
  /** The workspace's IANA time zone: its own setting, else DEFAULT_TIMEZONE. */
  timeZone: string;
}

const workspaceSelect = {
  id: true,
  slackTeamId: true,
  retroChannelId: true,
  timeZone: true,
  managerUserGroupId: true,
  managerUserIds: true,
  debriefNudgeAfter: true,
  competitors: true,
  settingsSavedAt: true,
} as const;

type TWorkspaceRow = Omit<TWorkspace, 'timeZone' | 'debriefNudgeAfter'> & { timeZone: string | null; debriefNudgeAfter: string | null };

/**
 * @param defaultTimeZone DEFAULT_TIMEZONE, for workspaces that have no zone of their own. It is
 * resolved here, not copied into the row, so changing the variable moves every such workspace.
 */
export function createWorkspaceRepository(prisma: PrismaClient, defaultTimeZone = 'UTC') {
  const toWorkspace = (row: TWorkspaceRow): TWorkspace => ({
    ...row,
    timeZone: row.timeZone ?? defaultTimeZone,
    // Written only by saveSettings from a parsed delay; anything unreadable falls back to the default.
    debriefNudgeAfter: row.debriefNudgeAfter === null ? null : parseDelay(row.debriefNudgeAfter),
  });

  return {
    /** The workspace row for a Slack team, created on first contact. */
    async ensure(slackTeamId: string, name?: string): Promise<TWorkspace> {
      // Nearly always a team seen before (each retro opened asks): one read, where Prisma's upsert
      // with nothing to update costs two (find the key, then read the row).
      if (name === undefined) {
        const known = await prisma.workspace.findUnique({ where: { slackTeamId }, select: workspaceSelect });
        if (known) return toWorkspace(known);
      }
      const upsert = () =>
        prisma.workspace.upsert({
          where: { slackTeamId },
          create: { slackTeamId, name: name ?? null },
          update: name ? { name } : {},
          select: workspaceSelect,
        });
      try {
        return toWorkspace(await upsert());
      } catch (error) {
        // PostgreSQL runs upsert as find-then-insert: two first contacts at once (a CRM batch of
        // several deals) both insert, and the loser finds the winner's row on a second try.
        if (!isUniqueViolation(error)) throw error;
        return toWorkspace(await upsert());
      }
    },

    /**
     * Records the Enterprise Grid org a workspace's requests named, creating the workspace row if
     * need be, so that work outside requests can find the org's install for it.
     */
    async recordEnterprise(slackTeamId: string, enterpriseId: string): Promise<void> {
      try {
        await prisma.workspace.upsert({ where: { slackTeamId }, create: { slackTeamId, enterpriseId }, update: { enterpriseId }, select: { id: true } });
      } catch (error) {
        // Two first requests at once both insert (see ensure); the loser's update is the same write.
        if (!isUniqueViolation(error)) throw error;
        await prisma.workspace.updateMany({ where: { slackTeamId }, data: { enterpriseId } });
      }
    },

    async findBySlackTeamId(slackTeamId: string): Promise<TWorkspace | null> {
      const row = await prisma.workspace.findUnique({ where: { slackTeamId }, select: workspaceSelect });
      return row ? toWorkspace(row) : null;
    },

    async findById(workspaceId: string): Promise<TWorkspace | null> {
      const row = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: workspaceSelect });
      return row ? toWorkspace(row) : null;
    },

    /** Stores what an admin chose in /losses settings, all at once. */
    async saveSettings(workspaceId: string, settings: TValidWorkspaceSettings, savedBy: { slackUserId: string; at: Date }): Promise<TWorkspace> {
      const row = await prisma.workspace.update({
        where: { id: workspaceId },
        data: {
          retroChannelId: settings.retroChannelId,
          managerUserGroupId: settings.managerUserGroupId,
          managerUserIds: settings.managerUserIds,
          debriefNudgeAfter: formatDelay(settings.debriefNudgeAfter),
          competitors: settings.competitors,
          settingsSavedAt: savedBy.at,
          settingsSavedBySlackUserId: savedBy.slackUserId,
        },
        select: workspaceSelect,
      });
      return toWorkspace(row);
    },

    async listAll(): Promise<TWorkspace[]> {
      const rows = await prisma.workspace.findMany({ select: workspaceSelect, orderBy: { createdAt: 'asc' } });
      return rows.map(toWorkspace);
    },
  };
}
export type TWorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;
