import type { PrismaClient } from '../generated/prisma/client';

export interface TWorkspace {
  id: string;
  slackTeamId: string;
  retroChannelId: string | null;
  timeZone: string;
}

const workspaceSelect = { id: true, slackTeamId: true, retroChannelId: true, timeZone: true } as const;

export function createWorkspaceRepository(prisma: PrismaClient) {
  return {
    /** The workspace row for a Slack team, created on first contact. */
    async ensure(slackTeamId: string, name?: string): Promise<TWorkspace> {
      return prisma.workspace.upsert({
        where: { slackTeamId },
        create: { slackTeamId, name: name ?? null },
        update: name ? { name } : {},
        select: workspaceSelect,
      });
    },

    async findBySlackTeamId(slackTeamId: string): Promise<TWorkspace | null> {
      return prisma.workspace.findUnique({ where: { slackTeamId }, select: workspaceSelect });
    },
  };
}
export type TWorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;
