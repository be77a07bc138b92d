import { Prisma } from '../../../src/generated/prisma/client';
import { WORKSPACE_DATA_SECTIONS } from '../../../src/repositories/workspaceData';
import { describeCounts } from '../../../src/domain/workspaceData';
import type { WebClient } from '@slack/web-api';
import { deleteWorkspaceData, sendWorkspaceExport, writeWorkspaceExport, WORKSPACE_EXPORT_FORMAT, WORKSPACE_EXPORT_VERSION } from '../../../src/services/workspaceData';
import { DATABASE_KINDS } from '../../helpers/database';
import { useTestRepositories } from '../../helpers/testRepositories';
import { SEEDED_SECRET, seedWorkspaceData, type TSeededWorkspace } from '../../helpers/workspaceDataSeed';

const silentLogger = { debug: () => undefined, info: jest.fn(), warn: () => undefined, error: () => undefined };
const NOW = new Date('2026-11-23T10:00:00Z');

// The model behind each export section, and the models deliberately left out (with why): a new
// table must land in one of the two, or this test fails and the export would silently miss it.
const SECTION_MODELS: Record<(typeof WORKSPACE_DATA_SECTIONS)[number], string> = {
  crmConnections: 'CrmConnection',
  lossReasons: 'LossReason',
  deals: 'Deal',
  crmDealStates: 'CrmDealState',
  retros: 'Retro',
  debriefs: 'Debrief',
  perspectives: 'Perspective',
  threadReplies: 'ThreadReply',
  retroOutcomes: 'RetroOutcome',
  retroOutcomeRevisions: 'RetroOutcomeRevision',
  lessons: 'Lesson',
  actionItems: 'ActionItem',
  scheduledJobs: 'ScheduledJob',
  digestRuns: 'DigestRun',
  slackDeliveries: 'SlackDelivery',
};
const NOT_SECTIONS: Record<string, string> = {
  Workspace: 'the document root ("workspace")',
  DigestSettings: 'one row, "digestSettings"',
  SearchDocument: 'derived from the rest by triggers; deleted with the workspace',
  SearchTerm: 'derived from deal names; deleted with the workspace',
  ProcessedEvent: 'Slack event ids only, no workspace',
  SlackInstallation: 'credentials: never exported, kept by a delete',
};

async function exportOf(db: ReturnType<typeof useTestRepositories>, slackTeamId: string) {
  let text = '';
  const summary = await writeWorkspaceExport({ repos: db.repos }, { slackTeamId, now: NOW }, (chunk) => void (text += chunk));
  return { summary, text, document: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

describe('the workspace export format', () => {
  it('covers every table of the schema, or says why it does not', () => {
    const covered = [...Object.values(SECTION_MODELS), ...Object.keys(NOT_SECTIONS)].sort();
    expect(covered).toEqual(Object.values(Prisma.ModelName).sort());
  });

  it('describes counts in words, leaving out the kinds with none', () => {
    expect(describeCounts({ deals: 1, retros: 2, lessons: 0 })).toBe('1 lost deal, 2 retros');
    expect(describeCounts({})).toBe('no retros');
  });
});

describe.each(DATABASE_KINDS)('workspace data export and delete on %s', (kind) => {
  const db = useTestRepositories(kind);
  let a: TSeededWorkspace;
  let b: TSeededWorkspace;

  beforeAll(async () => {
    a = await seedWorkspaceData(db.database.prisma, 'T0WORKSPA', 'alpha');
    b = await seedWorkspaceData(db.database.prisma, 'T0WORKSPB', 'bravo');
  });

  it("exports one row of every kind of workspace A's, and nothing of B's", async () => {
    const { summary, text, document } = await exportOf(db, a.slackTeamId);
    expect(document).toMatchObject({ format: WORKSPACE_EXPORT_FORMAT, version: WORKSPACE_EXPORT_VERSION, exportedAt: NOW.toISOString() });
    expect(document?.workspace).toMatchObject({ id: a.workspaceId, slackTeamId: a.slackTeamId, competitors: ['Rival alpha'], managerUserIds: ['U0MGR0001'] });
    expect(document?.digestSettings).toMatchObject({ channelId: 'C0DIGEST', weekday: 1, hour: 9, timeZone: 'Europe/Paris' });
    for (const section of WORKSPACE_DATA_SECTIONS) {
      expect([section, (document?.[section] as unknown[]).length]).toEqual([section, 1]);
      expect(summary?.counts[section]).toBe(1);
    }
    expect(document?.counts).toEqual(summary?.counts);
    expect(summary?.bytes).toBe(Buffer.byteLength(text));
    expect(text).toContain('Went wrong alpha');
    expect(text).toContain('Lesson alpha');
    expect(text).not.toContain('bravo');
    expect(text).not.toContain(b.workspaceId);
  });

  it('keeps credentials and claim tokens out, and writes amounts and dates as strings', async () => {
    const { text, document } = await exportOf(db, a.slackTeamId);
    expect(text).not.toContain(SEEDED_SECRET('alpha'));
    expect(text).not.toContain('claim-alpha');
    expect(text).not.toContain('token-alpha');
    expect((document?.crmConnections as Array<Record<string, unknown>>)[0]).toEqual({
      id: expect.any(String) as string,
      source: 'hubspot',
      label: 'HubSpot alpha',
      createdBySlackUserId: 'U0ADMIN',
      createdAt: expect.any(String) as string,
      revokedAt: null,
    });
    expect((document?.deals as Array<Record<string, unknown>>)[0]).toMatchObject({ amount: '12500.5', currency: 'EUR', lostAt: '2026-11-16T10:00:00.000Z' });
  });

  it('reads big sections a page at a time, every row once', async () => {
    const rows: string[] = [];
    for await (const row of db.repos.workspaceData.rows('deals', a.workspaceId, 1)) rows.push(String(row.id));
    const extra = await db.database.prisma.deal.create({ data: { workspaceId: a.workspaceId, source: 'manual', externalId: 'paged', name: 'Paged', lostAt: NOW } });
    const paged: string[] = [];
    for await (const row of db.repos.workspaceData.rows('deals', a.workspaceId, 1)) paged.push(String(row.id));
    expect(paged.sort()).toEqual([...rows, extra.id].sort());
    await db.database.prisma.deal.delete({ where: { id: extra.id } });
  });

  it('uploads a workspace bigger than a page and than a buffer whole, to the DM Slack opened', async () => {
    const big = await seedWorkspaceData(db.database.prisma, 'T0BIGWS', 'big');
    const name = 'x'.repeat(300);
    await db.database.prisma.deal.createMany({ data: Array.from({ length: 700 }, (_, index) => ({ workspaceId: big.workspaceId, source: 'manual' as const, externalId: `bulk-${index}`, name: `${name} ${index}`, lostAt: NOW })) });
    const uploads: Array<Record<string, unknown>> = [];
    const client = {
      conversations: { open: (args: { users: string }) => Promise.resolve({ ok: true, channel: { id: `D${args.users}` } }) },
      files: { uploadV2: (args: Record<string, unknown>) => Promise.resolve(void uploads.push(args)) },
    } as unknown as WebClient;

    const outcome = await sendWorkspaceExport({ repos: db.repos, client, logger: silentLogger }, { slackTeamId: big.slackTeamId, slackUserId: 'U0MGR0001', now: NOW });

    expect(outcome).toMatchObject({ kind: 'sent', summary: { counts: { deals: 701 } } });
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ channel_id: 'DU0MGR0001', filename: 'debrief-data-T0BIGWS-2026-11-23.json' });
    const file = uploads[0]!.file as Buffer;
    expect(file.length).toBe(outcome.kind === 'sent' ? outcome.summary.bytes : -1);
    const deals = (JSON.parse(file.toString('utf-8')) as { deals: Array<{ externalId: string }> }).deals;
    expect(new Set(deals.map((deal) => deal.externalId)).size).toBe(701);
    // The delete test below counts every table: leave only A and B.
    await db.database.prisma.workspace.delete({ where: { id: big.workspaceId } });
  });

  it('exports nothing for a team Debrief has stored nothing for', async () => {
    expect((await exportOf(db, 'T0NOBODY')).summary).toBeNull();
  });

  it("deletes all of workspace A's rows and none of B's, counting what went", async () => {
    const prisma = db.database.prisma;
    const searchDocumentsOfA = await prisma.searchDocument.count({ where: { workspaceId: a.workspaceId } });
    const logger = { ...silentLogger, info: jest.fn() };
    const forgetSettings = jest.fn();

    const result = await deleteWorkspaceData({ repos: db.repos, logger, forgetSettings }, { slackTeamId: a.slackTeamId, requestedBy: 'U0ADMIN (admin)', now: NOW });

    for (const section of WORKSPACE_DATA_SECTIONS) expect([section, result?.deleted[section]]).toEqual([section, 1]);
    expect(result?.deleted).toMatchObject({ digestSettings: 1, searchDocuments: searchDocumentsOfA });
    expect(forgetSettings).toHaveBeenCalledWith(a.slackTeamId);
    const audit = String(logger.info.mock.calls.at(-1)?.[0]);
    expect(audit).toContain(a.slackTeamId);
    expect(audit).toContain('U0ADMIN (admin)');
    expect(audit).toContain(NOW.toISOString());
    expect(audit).not.toContain(SEEDED_SECRET('alpha'));

    expect(await prisma.workspace.count({ where: { slackTeamId: a.slackTeamId } })).toBe(0);
    expect((await exportOf(db, a.slackTeamId)).summary).toBeNull();
    for (const [model, count] of Object.entries(await countsByModel(prisma))) expect([model, count]).toEqual([model, model === 'searchTerm' ? expect.any(Number) : 1]);
    expect(await prisma.searchTerm.count({ where: { workspaceId: a.workspaceId } })).toBe(0);
    const { document } = await exportOf(db, b.slackTeamId);
    for (const section of WORKSPACE_DATA_SECTIONS) expect([section, (document?.[section] as unknown[]).length]).toEqual([section, 1]);
  });

  it('deletes once when two deletes race: the other finds nothing', async () => {
    const racing = await seedWorkspaceData(db.database.prisma, 'T0RACING', 'racing');
    const deps = { repos: db.repos, logger: silentLogger };
    const results = await Promise.all([
      deleteWorkspaceData(deps, { slackTeamId: racing.slackTeamId, requestedBy: 'first', now: NOW }),
      deleteWorkspaceData(deps, { slackTeamId: racing.slackTeamId, requestedBy: 'second', now: NOW }),
    ]);
    expect(results.filter((result) => result !== null)).toHaveLength(1);
    expect(results.find((result) => result !== null)?.deleted.retros).toBe(1);
  });

  it('keeps a bare row naming the org for a workspace of an Enterprise Grid org, and none once uninstalled', async () => {
    const prisma = db.database.prisma;
    const grid = await seedWorkspaceData(prisma, 'T0GRIDDEL', 'grid');
    await prisma.workspace.update({ where: { id: grid.workspaceId }, data: { enterpriseId: 'E0ORG' } });
    await deleteWorkspaceData({ repos: db.repos, logger: silentLogger }, { slackTeamId: grid.slackTeamId, requestedBy: 'test', now: NOW });
    const kept = await prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: grid.slackTeamId } });
    expect(kept).toMatchObject({ enterpriseId: 'E0ORG', name: null, competitors: [], settingsSavedAt: null });
    expect(kept.id).not.toBe(grid.workspaceId);

    const gone = await seedWorkspaceData(prisma, 'T0GRIDGONE', 'gone');
    await prisma.workspace.update({ where: { id: gone.workspaceId }, data: { enterpriseId: 'E0ORG', uninstalledAt: NOW } });
    await deleteWorkspaceData({ repos: db.repos, logger: silentLogger }, { slackTeamId: gone.slackTeamId, requestedBy: 'test', now: NOW });
    expect(await prisma.workspace.count({ where: { slackTeamId: gone.slackTeamId } })).toBe(0);
  });
});

/** Rows left of each kind, all workspaces together (only B's should remain once A is deleted). */
async function countsByModel(prisma: ReturnType<typeof useTestRepositories>['database']['prisma']) {
  return {
    workspace: await prisma.workspace.count(),
    crmConnection: await prisma.crmConnection.count(),
    lossReason: await prisma.lossReason.count(),
    deal: await prisma.deal.count(),
    crmDealState: await prisma.crmDealState.count(),
    retro: await prisma.retro.count(),
    debrief: await prisma.debrief.count(),
    perspective: await prisma.perspective.count(),
    threadReply: await prisma.threadReply.count(),
    retroOutcome: await prisma.retroOutcome.count(),
    retroOutcomeRevision: await prisma.retroOutcomeRevision.count(),
    lesson: await prisma.lesson.count(),
    actionItem: await prisma.actionItem.count(),
    scheduledJob: await prisma.scheduledJob.count(),
    digestSettings: await prisma.digestSettings.count(),
    digestRun: await prisma.digestRun.count(),
    slackDelivery: await prisma.slackDelivery.count(),
    searchTerm: await prisma.searchTerm.count(),
  };
}
