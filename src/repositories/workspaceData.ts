import type { Prisma, PrismaClient } from '../generated/prisma/client';

// Everything Debrief stores for one workspace, read page by page for an export, and deleted at once
// on request (`/losses data delete`, `npm run workspace:data -- delete`). The workspace row is the
// root: every table hangs off it with ON DELETE CASCADE, so deleting it deletes the rest, tables
// added later included. Not here: the Slack installation (its credentials, kept so the app keeps
// working after a wipe) and processed_events (Slack event ids only, no workspace, no content).

type TClient = PrismaClient | Prisma.TransactionClient;

/** The tables of an export, each a list of rows, in the order the export writes them. */
export const WORKSPACE_DATA_SECTIONS = [
  'crmConnections',
  'lossReasons',
  'deals',
  'crmDealStates',
  'retros',
  'debriefs',
  'perspectives',
  'threadReplies',
  'retroOutcomes',
  'retroOutcomeRevisions',
  'lessons',
  'actionItems',
  'scheduledJobs',
  'digestRuns',
  'slackDeliveries',
] as const;
export type TWorkspaceDataSection = (typeof WORKSPACE_DATA_SECTIONS)[number];

/** What a delete removes besides the sections: the settings and the search index built from the rest. */
export type TDeletedCounts = Record<TWorkspaceDataSection | 'digestSettings' | 'searchDocuments' | 'searchTerms', number>;

/** Rows are plain objects of column values (Dates, Decimals, JSON), ready for JSON.stringify. */
export type TExportRow = Record<string, unknown>;

const PAGE_SIZE = 500;

// Connections are listed by allowlist, so that no credential column, now or added later, is exported.
const crmConnectionSelect = { id: true, source: true, label: true, createdBySlackUserId: true, createdAt: true, revokedAt: true } as const;

interface TSectionQueries {
  count(client: TClient, workspaceId: string): Promise<number>;
  /** The next page of rows after `afterId` (ids ascending), at most `take`. */
  page(client: TClient, workspaceId: string, afterId: string | undefined, take: number): Promise<Array<TExportRow & { id: string }>>;
}

/** Keyset paging: ids ascending, strictly after the last one seen. */
const after = (afterId: string | undefined) => (afterId === undefined ? {} : { id: { gt: afterId } });
const byRetro = (workspaceId: string) => ({ retro: { workspaceId } });

const SECTION_QUERIES: Record<TWorkspaceDataSection, TSectionQueries> = {
  crmConnections: {
    count: (c, workspaceId) => c.crmConnection.count({ where: { workspaceId } }),
    page: (c, workspaceId, afterId, take) => c.crmConnection.findMany({ where: { workspaceId, ...after(afterId) }, select: crmConnectionSelect, orderBy: { id: 'asc' }, take }),
  },
  lossReasons: {
    count: (c, workspaceId) => c.lossReason.count({ where: { workspaceId } }),
    page: (c, workspaceId, afterId, take) => c.lossReason.findMany({ where: { workspaceId, ...after(afterId) }, omit: { workspaceId: true }, orderBy: { id: 'asc' }, take }),
  },
  deals: {
    count: (c, workspaceId) => c.deal.count({ where: { workspaceId } }),
    page: (c, workspaceId, afterId, take) => c.deal.findMany({ where: { workspaceId, ...after(afterId) }, omit: { workspaceId: true }, orderBy: { id: 'asc' }, take }),
  },
  crmDealStates: {
    count: (c, workspaceId) => c.crmDealState.count({ where: { workspaceId } }),
    page: (c, workspaceId, afterId, take) => c.crmDealState.findMany({ where: { workspaceId, ...after(afterId) }, omit: { workspaceId: true }, orderBy: { id: 'asc' }, take }),
  },
  retros: {
    count: (c, workspaceId) => c.retro.count({ where: { workspaceId } }),
    page: (c, workspaceId, afterId, take) => c.retro.findMany({ where: { workspaceId, ...after(afterId) }, omit: { workspaceId: true }, orderBy: { id: 'asc' }, take }),
  },
  debriefs: {
    count: (c, workspaceId) => c.debrief.count({ where: byRetro(workspaceId) }),
    page: (c, workspaceId, afterId, take) => c.debrief.findMany({ where: { ...byRetro(workspaceId), ...after(afterId) }, orderBy: { id: 'asc' }, take }),
  },
  perspectives: {
    count: (c, workspaceId) => c.perspective.count({ where: byRetro(workspaceId) }),
    page: (c, workspaceId, afterId, take) => c.perspective.findMany({ where: { ...byRetro(workspaceId), ...after(afterId) }, orderBy: { id: 'asc' }, take }),
  },
  threadReplies: {
    count: (c, workspaceId) => c.threadReply.count({ where: byRetro(workspaceId) }),
    page: (c, workspaceId, afterId, take) => c.threadReply.findMany({ where: { ...byRetro(workspaceId), ...after(afterId) }, orderBy: { id: 'asc' }, take }),
  },
  retroOutcomes: {
    count: (c, workspaceId) => c.retroOutcome.count({ where: byRetro(workspaceId) }),
    page: (c, workspaceId, afterId, take) => c.retroOutcome.findMany({ where: { ...byRetro(workspaceId), ...after(afterId) }, orderBy: { id: 'asc' }, take }),
  },
  retroOutcomeRevisions: {
    count: (c, workspaceId) => c.retroOutcomeRevision.count({ where: { outcome: byRetro(workspaceId) } }),
    page: (c, workspaceId, afterId, take) => c.retroOutcomeRevision.findMany({ where: { outcome: byRetro(workspaceId), ...after(afterId) }, orderBy: { id: 'asc' }, take }),
  },
  lessons: {
    count: (c, workspaceId) => c.lesson.count({ where: byRetro(workspaceId) }),
    page: (c, workspaceId, afterId, take) => c.lesson.findMany({ where: { ...byRetro(workspaceId), ...after(afterId) }, orderBy: { id: 'asc' }, take }),
  },
  actionItems: {
    count: (c, workspaceId) => c.actionItem.count({ where: byRetro(workspaceId) }),
    page: (c, workspaceId, afterId, take) => c.actionItem.findMany({ where: { ...byRetro(workspaceId), ...after(afterId) }, orderBy: { id: 'asc' }, take }),
  },
  scheduledJobs: {
    count: (c, workspaceId) => c.scheduledJob.count({ where: { workspaceId } }),
    // The claim token only tells runners apart; it means nothing outside this database.
    page: (c, workspaceId, afterId, take) => c.scheduledJob.findMany({ where: { workspaceId, ...after(afterId) }, omit: { workspaceId: true, claimedBy: true }, orderBy: { id: 'asc' }, take }),
  },
  digestRuns: {
    count: (c, workspaceId) => c.digestRun.count({ where: { workspaceId } }),
    page: (c, workspaceId, afterId, take) => c.digestRun.findMany({ where: { workspaceId, ...after(afterId) }, omit: { workspaceId: true, claimToken: true }, orderBy: { id: 'asc' }, take }),
  },
  slackDeliveries: {
    count: (c, workspaceId) => c.slackDelivery.count({ where: { workspaceId } }),
    page: (c, workspaceId, afterId, take) => c.slackDelivery.findMany({ where: { workspaceId, ...after(afterId) }, omit: { workspaceId: true, claimedBy: true }, orderBy: { id: 'asc' }, take }),
  },
};

async function countAll(client: TClient, workspaceId: string): Promise<TDeletedCounts> {
  const sections: Partial<Record<TWorkspaceDataSection, number>> = {};
  // One at a time: a transaction's queries share one connection anyway.
  for (const section of WORKSPACE_DATA_SECTIONS) sections[section] = await SECTION_QUERIES[section].count(client, workspaceId);
  return {
    ...(sections as Record<TWorkspaceDataSection, number>),
    digestSettings: await client.digestSettings.count({ where: { workspaceId } }),
    searchDocuments: await client.searchDocument.count({ where: { workspaceId } }),
    searchTerms: await client.searchTerm.count({ where: { workspaceId } }),
  };
}

export interface TWorkspaceDataRoot {
  id: string;
  slackTeamId: string;
  enterpriseId: string | null;
  name: string | null;
  uninstalledAt: Date | null;
}

export function createWorkspaceDataRepository(prisma: PrismaClient) {
  return {
    /** The workspace row itself, all its columns (its settings), or null for a team Debrief never stored. */
    async workspaceRow(slackTeamId: string): Promise<TExportRow | null> {
      return prisma.workspace.findUnique({ where: { slackTeamId } });
    },

    async digestSettings(workspaceId: string): Promise<TExportRow | null> {
      return prisma.digestSettings.findUnique({ where: { workspaceId }, omit: { workspaceId: true } });
    },

    /** One section's rows, a page at a time: memory holds one page, however big the workspace. */
    async *rows(section: TWorkspaceDataSection, workspaceId: string, pageSize = PAGE_SIZE): AsyncGenerator<TExportRow> {
      let afterId: string | undefined;
      for (;;) {
        const page = await SECTION_QUERIES[section].page(prisma, workspaceId, afterId, pageSize);
        yield* page;
        if (page.length < pageSize) return;
        afterId = page.at(-1)?.id;
      }
    },

    /** How much is stored for the workspace (what a delete would remove), or null for a team never stored. */
    async counts(slackTeamId: string): Promise<TDeletedCounts | null> {
      const workspace = await prisma.workspace.findUnique({ where: { slackTeamId }, select: { id: true } });
      return workspace ? countAll(prisma, workspace.id) : null;
    },

    /**
     * Deletes everything stored for the workspace in one transaction, with the workspace row locked
     * first: of two deletes racing, the second waits, then finds nothing left (null), so the counts
     * it reports are exact and nothing is ever half deleted. The settings go with the row; a
     * workspace of an Enterprise Grid org still installed keeps a bare row naming its org, which
     * background work needs to find the org's install.
     */
    async deleteAll(slackTeamId: string): Promise<{ workspace: TWorkspaceDataRoot; deleted: TDeletedCounts } | null> {
      return prisma.$transaction(async (tx) => {
        const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text AS id FROM workspaces WHERE slack_team_id = ${slackTeamId} FOR UPDATE`;
        const workspaceId = locked[0]?.id;
        if (!workspaceId) return null;
        const workspace = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { id: true, slackTeamId: true, enterpriseId: true, name: true, uninstalledAt: true } });
        const deleted = await countAll(tx, workspaceId);
        await tx.workspace.delete({ where: { id: workspaceId } });
        if (workspace.enterpriseId && !workspace.uninstalledAt) await tx.workspace.create({ data: { slackTeamId, enterpriseId: workspace.enterpriseId } });
        return { workspace, deleted };
      });
    },
  };
}
export type TWorkspaceDataRepository = ReturnType<typeof createWorkspaceDataRepository>;
