import type { PrismaClient } from '../generated/prisma/client';

// Per-workspace CRM connections (POST /webhooks/<kind>/<id>). Their credentials are stored sealed
// (lib/secretBox); this repository never sees them in clear.

export type TCrmConnectionSource = 'generic' | 'hubspot' | 'salesforce' | 'pipedrive';

export interface TCrmConnection {
  id: string;
  workspaceId: string;
  source: TCrmConnectionSource;
  label: string;
  createdBySlackUserId: string;
  createdAt: Date;
}

/** What a delivery needs: the connection's workspace and its sealed credentials. */
export interface TActiveCrmConnection {
  id: string;
  workspaceId: string;
  slackTeamId: string;
  source: TCrmConnectionSource;
  /** Generic connections made before connections had kinds; newer ones use sealedCredentials. */
  sealedSigningSecret: string | null;
  sealedCredentials: string | null;
}

type TSealed = { sealedSigningSecret: string | null; sealedCredentials: string | null };

const connectionSelect = { id: true, workspaceId: true, source: true, label: true, createdBySlackUserId: true, createdAt: true } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function asSource(source: string): TCrmConnectionSource {
  if (source === 'generic' || source === 'hubspot' || source === 'salesforce' || source === 'pipedrive') return source;
  throw new Error(`A CRM connection has the unexpected source ${source}`);
}

export function createCrmConnectionRepository(prisma: PrismaClient) {
  return {
    async create(input: { workspaceId: string; label: string; source: TCrmConnectionSource; sealedCredentials: string; createdBySlackUserId: string }): Promise<TCrmConnection> {
      const row = await prisma.crmConnection.create({ data: input, select: connectionSelect });
      return { ...row, source: asSource(row.source) };
    },

    /** The connection a webhook URL names, unless it was revoked or its workspace uninstalled Debrief. */
    async findActive(connectionId: string): Promise<TActiveCrmConnection | null> {
      // The id comes from a URL anyone can call: anything but a uuid is simply not found.
      if (!UUID.test(connectionId)) return null;
      const row = await prisma.crmConnection.findFirst({
        where: { id: connectionId, revokedAt: null, workspace: { uninstalledAt: null } },
        select: { id: true, workspaceId: true, source: true, sealedSigningSecret: true, sealedCredentials: true, workspace: { select: { slackTeamId: true } } },
      });
      if (!row) return null;
      const { workspace, ...connection } = row;
      return { ...connection, source: asSource(row.source), slackTeamId: workspace.slackTeamId };
    },

    async listActive(workspaceId: string): Promise<TCrmConnection[]> {
      const rows = await prisma.crmConnection.findMany({ where: { workspaceId, revokedAt: null }, select: connectionSelect, orderBy: { createdAt: 'asc' } });
      return rows.map((row) => ({ ...row, source: asSource(row.source) }));
    },

    /** Revokes a connection of this workspace; false when it is not this workspace's or already revoked. */
    async revoke(input: { connectionId: string; workspaceId: string; at: Date }): Promise<boolean> {
      if (!UUID.test(input.connectionId)) return false;
      const { count } = await prisma.crmConnection.updateMany({ where: { id: input.connectionId, workspaceId: input.workspaceId, revokedAt: null }, data: { revokedAt: input.at } });
      return count === 1;
    },

    /** New credentials for an active connection of this workspace and kind; false when there is none. */
    async replaceCredentials(input: { connectionId: string; workspaceId: string; source: TCrmConnectionSource; sealedCredentials: string }): Promise<boolean> {
      if (!UUID.test(input.connectionId)) return false;
      const { count } = await prisma.crmConnection.updateMany({
        where: { id: input.connectionId, workspaceId: input.workspaceId, source: input.source, revokedAt: null },
        data: { sealedCredentials: input.sealedCredentials, sealedSigningSecret: null },
      });
      return count === 1;
    },

    /** Every stored credential, for re-sealing after a key rotation. */
    async allSealed(): Promise<Array<{ id: string } & TSealed>> {
      return prisma.crmConnection.findMany({ select: { id: true, sealedSigningSecret: true, sealedCredentials: true } });
    },

    /** Writes the values given (undefined ones stay as they are). */
    async reseal(connectionId: string, sealed: { sealedSigningSecret?: string; sealedCredentials?: string }): Promise<void> {
      await prisma.crmConnection.update({ where: { id: connectionId }, data: sealed });
    },
  };
}
export type TCrmConnectionRepository = ReturnType<typeof createCrmConnectionRepository>;
