import type { TLostDeal } from '../../../src/domain/lostDeal';
import { DATABASE_KINDS } from '../../helpers/database';
import { useTestRepositories } from '../../helpers/testRepositories';

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
  const db = useTestRepositories(kind);

  it("finds a retro, its thread and its debriefs only from the retro's own workspace", async () => {
    const acme = await db.repos.workspaces.ensure('T0ACME001');
    const globex = await db.repos.workspaces.ensure('T0GLOBEX1');
    const { retro } = await db.repos.retros.recordLoss(globex.id, deal, 'C0SHARED01');
    await db.repos.retros.setMessages(retro.id, { messageTs: '1700000000.000100' });
    const debrief = await db.repos.debriefs.upsert(retro.id, 'U0GLBXREP1', {
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
      expect((await db.repos.retros.findById(retro.id, own))?.id).toBe(retro.id);
      expect((await db.repos.retros.findByThread('C0SHARED01', '1700000000.000100', own))?.id).toBe(retro.id);
      expect((await db.repos.debriefs.findById(debrief.id, own))?.id).toBe(debrief.id);
    }
    // A Slack Connect channel has one id in both workspaces: the thread is still Globex's alone.
    for (const other of [{ slackTeamId: 'T0ACME001' }, { workspaceId: acme.id }, { slackTeamId: '' }]) {
      await expect(db.repos.retros.findById(retro.id, other)).resolves.toBeNull();
      await expect(db.repos.retros.findByThread('C0SHARED01', '1700000000.000100', other)).resolves.toBeNull();
      await expect(db.repos.debriefs.findById(debrief.id, other)).resolves.toBeNull();
    }
  });
});
