import type { PrismaClient } from '../generated/prisma/client';

/**
 * Where an install is found: a workspace install by its team, an org-wide (Enterprise Grid)
 * install by its enterprise. One key column keeps "one install per workspace or org" a unique
 * constraint rather than a convention.
 */
export function installKeyOf(query: { teamId?: string | null; enterpriseId?: string | null; isEnterpriseInstall?: boolean }): string {
  if (query.isEnterpriseInstall) {
    if (!query.enterpriseId) throw new Error('An org-wide install needs its enterprise id.');
    return `E:${query.enterpriseId}`;
  }
  if (!query.teamId) throw new Error('A workspace install needs its team id.');
  return `T:${query.teamId}`;
}

export interface TStoredInstallation {
  installKey: string;
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  /** The whole Bolt installation (tokens included) as JSON, sealed by the secret box. */
  sealedInstallation: string;
}

const select = { installKey: true, teamId: true, enterpriseId: true, isEnterpriseInstall: true, sealedInstallation: true } as const;

export function createInstallationRepository(prisma: PrismaClient) {
  return {
    async save(installation: TStoredInstallation): Promise<void> {
      const { installKey, ...rest } = installation;
      await prisma.slackInstallation.upsert({ where: { installKey }, create: installation, update: rest });
      // A reinstall after an uninstall brings the workspace (or every known workspace of the org) back into service.
      if (installation.teamId && !installation.isEnterpriseInstall) {
        // A workspace-level install in a Grid org also says which org the workspace belongs to.
        const org = installation.enterpriseId ? { enterpriseId: installation.enterpriseId } : {};
        await prisma.workspace.updateMany({ where: { slackTeamId: installation.teamId }, data: { uninstalledAt: null, ...org } });
      } else if (installation.isEnterpriseInstall && installation.enterpriseId) {
        await prisma.workspace.updateMany({ where: { enterpriseId: installation.enterpriseId, uninstalledAt: { not: null } }, data: { uninstalledAt: null } });
      }
    },

    async find(installKey: string): Promise<TStoredInstallation | null> {
      return prisma.slackInstallation.findUnique({ where: { installKey }, select });
    },

    /** Returns whether there was anything to delete. */
    async delete(installKey: string): Promise<boolean> {
      const { count } = await prisma.slackInstallation.deleteMany({ where: { installKey } });
      return count > 0;
    },

    async all(): Promise<TStoredInstallation[]> {
      return prisma.slackInstallation.findMany({ select, orderBy: { installKey: 'asc' } });
    },

    /** The workspace's data stays for the retention period after an uninstall; see purgeUninstalledBefore. */
    async markWorkspaceUninstalled(slackTeamId: string, at: Date): Promise<void> {
      await prisma.workspace.updateMany({ where: { slackTeamId, uninstalledAt: null }, data: { uninstalledAt: at } });
    },

    /**
     * An org-wide install was removed: the org's workspaces that Debrief knows, and that have no
     * install of their own, start their retention clock too.
     */
    async markOrgWorkspacesUninstalled(enterpriseId: string, at: Date): Promise<void> {
      const ownInstalls = await prisma.slackInstallation.findMany({ where: { enterpriseId, isEnterpriseInstall: false }, select: { teamId: true } });
      const keep = ownInstalls.flatMap((install) => (install.teamId ? [install.teamId] : []));
      await prisma.workspace.updateMany({ where: { enterpriseId, uninstalledAt: null, slackTeamId: { notIn: keep } }, data: { uninstalledAt: at } });
    },

    /**
     * Deletes, with all their data, the workspaces uninstalled before the cut-off. Returns the team
     * ids this call deleted: each delete is conditional on the workspace still being uninstalled
     * before the cut-off, so a reinstall racing the purge wins, and of several instances purging at
     * once each workspace is reported by exactly one.
     */
    async purgeUninstalledBefore(cutoff: Date): Promise<string[]> {
      const expired = await prisma.workspace.findMany({ where: { uninstalledAt: { lt: cutoff } }, select: { id: true, slackTeamId: true } });
      const purged: string[] = [];
      for (const workspace of expired) {
        const { count } = await prisma.workspace.deleteMany({ where: { id: workspace.id, uninstalledAt: { lt: cutoff } } });
        if (count === 1) purged.push(workspace.slackTeamId);
      }
      return purged;
    },

    /** Whether a workspace install exists (the token itself stays sealed). */
    async isTeamInstalled(slackTeamId: string): Promise<boolean> {
      return (await prisma.slackInstallation.count({ where: { installKey: installKeyOf({ teamId: slackTeamId }) } })) > 0;
    },

    /**
     * The install that serves a workspace outside Slack requests: its own, else the org-wide
     * install of the Enterprise Grid org its requests named (workspaces.enterprise_id). Null when
     * neither exists. A workspace install wins: an admin who installed it there chose that token.
     */
    async installServing(slackTeamId: string): Promise<{ installKey: string; enterpriseId: string | null } | null> {
      const teamKey = installKeyOf({ teamId: slackTeamId });
      if ((await prisma.slackInstallation.count({ where: { installKey: teamKey } })) > 0) return { installKey: teamKey, enterpriseId: null };
      const workspace = await prisma.workspace.findUnique({ where: { slackTeamId }, select: { enterpriseId: true } });
      if (!workspace?.enterpriseId) return null;
      const installKey = installKeyOf({ enterpriseId: workspace.enterpriseId, isEnterpriseInstall: true });
      return (await prisma.slackInstallation.count({ where: { installKey } })) > 0 ? { installKey, enterpriseId: workspace.enterpriseId } : null;
    },
  };
}
export type TInstallationRepository = ReturnType<typeof createInstallationRepository>;
