import { openDatabase, type TDatabase } from '../../../src/db/client';
import type { TLostDeal } from '../../../src/domain/lostDeal';
import { createRepositories, type TRepositories } from '../../../src/repositories';
import { createTestDatabase, DATABASE_KINDS, type TTestDatabase } from '../../helpers/database';

// Ids that arrive from Slack (buttons, modals, threads, follow-up DMs) are only found in the
// workspace of the request that carried them: another workspace's id reads as "no such thing".

const deal: TLostDeal = {
  source: 'manual',
  externalId: 'slack-view:V1',
  name: 'Globex renewal',
  amount: null,
  currency: null,
  owner: { slackUserId: 'U0GLBXREP1' },
  competitor: null,
  lossReason: null,
  crmUrl: null,
  lostAt: new Date('2026-11-20T12:00:00Z'),
};

describe.each(DATABASE_KINDS)('workspace-scoped lookups on %s', (kind) => {
  let testDatabase: TTestDatabase;
  let database: TDatabase;
  let repos: TRepositories;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(kind);
    database = await openDatabase(testDatabase.config);
    repos = createRepositories(database.prisma);
  });
  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  it("finds a retro, its thread and its debriefs only from the retro's own workspace", async () => {
    const acme = await repos.workspaces.ensure('T0ACME001');
    const globex = await repos.workspaces.ensure('T0GLOBEX1');
    const { retro } = await repos.retros.recordLoss(globex.id, deal, 'C0SHARED01');
    await repos.retros.setMessages(retro.id, { messageTs: '1700000000.000100' });
    const debrief = await repos.debriefs.upsert(retro.id, 'U0GLBXREP1', {
      primaryReason: 'price_budget',
      secondaryReasons: [],
      outcome: 'competitor',
      winnerName: null,
      whyWinnerWon: null,
      priceToValue: null,
      buyerWords: null,
      wentWell: null,
      wentWrong: null,
      featureGaps: null,
      revisitOn: null,
      anonymous: false,
    });

    for (const own of [{ slackTeamId: 'T0GLOBEX1' }, { workspaceId: globex.id }]) {
      expect((await repos.retros.findById(retro.id, own))?.id).toBe(retro.id);
      expect((await repos.retros.findByThread('C0SHARED01', '1700000000.000100', own))?.id).toBe(retro.id);
      expect((await repos.debriefs.findById(debrief.id, own))?.id).toBe(debrief.id);
    }
    // A Slack Connect channel has one id in both workspaces: the thread is still Globex's alone.
    for (const other of [{ slackTeamId: 'T0ACME001' }, { workspaceId: acme.id }, { slackTeamId: '' }]) {
      await expect(repos.retros.findById(retro.id, other)).resolves.toBeNull();
      await expect(repos.retros.findByThread('C0SHARED01', '1700000000.000100', other)).resolves.toBeNull();
      await expect(repos.debriefs.findById(debrief.id, other)).resolves.toBeNull();
    }
  });
});
