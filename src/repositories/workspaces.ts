import type { PrismaClient } from '../generated/prisma/client';
import { isUniqueViolation } from './errors';

export interface TWorkspace {
  id: string;
  slackTeamId: string;
  retroChannelId: string | null;
  /** The workspace's IANA time zone: its own setting, else DEFAULT_TIMEZONE. */
  timeZone: string;
}

const workspaceSelect = { id: true, slackTeamId: true, retroChannelId: true, timeZone: true } as const;

type TWorkspaceRow = Omit<TWorkspace, 'timeZone'> & { timeZone: string | null };

/**
 * @param defaultTimeZone DEFAULT_TIMEZONE, for workspaces that have no zone of their own. It is
 * resolved here, not copied into the row, so changing the variable moves every such workspace.
 */
export function createWorkspaceRepository(prisma: PrismaClient, defaultTimeZone = 'UTC') {
  const toWorkspace = (row: TWorkspaceRow): TWorkspace => ({ ...row, timeZone: row.timeZone ?? defaultTimeZone });

  return {
    /** The workspace row for a Slack team, created on first contact. */
    async ensure(slackTeamId: string, name?: string): Promise<TWorkspace> {
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

    async findBySlackTeamId(slackTeamId: string): Promise<TWorkspace | null> {
      const row = await prisma.workspace.findUnique({ where: { slackTeamId }, select: workspaceSelect });
      return row ? toWorkspace(row) : null;
    },

    async findById(workspaceId: string): Promise<TWorkspace | null> {
      const row = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: workspaceSelect });
      return row ? toWorkspace(row) : null;
    },

    async listAll(): Promise<TWorkspace[]> {
      const rows = await prisma.workspace.findMany({ select: workspaceSelect, orderBy: { createdAt: 'asc' } });
      return rows.map(toWorkspace);
    },
  };
}
export type TWorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;
