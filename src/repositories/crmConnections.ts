import type { PrismaClient } from '../generated/prisma/client';

// Per-workspace CRM connections for the generic webhook (POST /webhooks/generic/<id>). The
// signing secret is stored sealed (lib/secretBox); this repository never sees it in clear.

export interface TCrmConnection {
  id: string;
  workspaceId: string;
  label: string;
  createdBySlackUserId: string;
  createdAt: Date;
}

/** What a delivery needs: the connection's workspace and its sealed secret. */
export interface TActiveCrmConnection {
  id: string;
  workspaceId: string;
  slackTeamId: string;
  sealedSigningSecret: string;
}

const connectionSelect = { id: true, workspaceId: true, label: true, createdBySlackUserId: true, createdAt: true } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createCrmConnectionRepository(prisma: PrismaClient) {
  return {
    async create(input: { workspaceId: string; label: string; sealedSigningSecret: string; createdBySlackUserId: string }): Promise<TCrmConnection> {
      return prisma.crmConnection.create({ data: { ...input, source: 'generic' }, select: connectionSelect });
    },

    /** The connection a webhook URL names, unless it was revoked or its workspace uninstalled Debrief. */
    async findActive(connectionId: string): Promise<TActiveCrmConnection | null> {
      // The id comes from a URL anyone can call: anything but a uuid is simply not found.
      if (!UUID.test(connectionId)) return null;
      const row = await prisma.crmConnection.findFirst({
        where: { id: connectionId, revokedAt: null, workspace: { uninstalledAt: null } },
        select: { id: true, workspaceId: true, sealedSigningSecret: true, workspace: { select: { slackTeamId: true } } },
      });
      return row ? { id: row.id, workspaceId: row.workspaceId, slackTeamId: row.workspace.slackTeamId, sealedSigningSecret: row.sealedSigningSecret } : null;
    },

    async listActive(workspaceId: string): Promise<TCrmConnection[]> {
      return prisma.crmConnection.findMany({ where: { workspaceId, revokedAt: null }, select: connectionSelect, orderBy: { createdAt: 'asc' } });
    },

    /** Revokes a connection of this workspace; false when it is not this workspace's or already revoked. */
    async revoke(input: { connectionId: string; workspaceId: string; at: Date }): Promise<boolean> {
      if (!UUID.test(input.connectionId)) return false;
      const { count } = await prisma.crmConnection.updateMany({ where: { id: input.connectionId, workspaceId: input.workspaceId, revokedAt: null }, data: { revokedAt: input.at } });
      return count === 1;
    },

    /** Every stored secret, for re-sealing after a key rotation. */
    async allSealed(): Promise<Array<{ id: string; sealedSigningSecret: string }>> {
      return prisma.crmConnection.findMany({ select: { id: true, sealedSigningSecret: true } });
    },

    async reseal(connectionId: string, sealedSigningSecret: string): Promise<void> {
      await prisma.crmConnection.update({ where: { id: connectionId }, data: { sealedSigningSecret } });
    },
  };
}
export type TCrmConnectionRepository = ReturnType<typeof createCrmConnectionRepository>;
