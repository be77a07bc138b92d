import type { TLostDeal } from '../../../src/domain/lostDeal';
import { DATABASE_KINDS } from '../../helpers/database';
import { useTestRepositories } from '../../helpers/testRepositories';

function lostDeal(overrides: Partial<TLostDeal> = {}): TLostDeal {
  return {
    source: 'hubspot',
    externalId: 'deal-1',
    name: 'Acme renewal',
    amount: '1200.50',
    currency: 'EUR',
    owner: { email: 'rep@example.com', name: 'Rita Rep' },
    competitor: 'Globex',
    lossReason: 'Price',
    crmUrl: 'https://app.hubspot.com/contacts/1/record/0-3/deal-1',
    lostAt: new Date('2026-11-20T12:00:00Z'),
    ...overrides,
  };
}

describe.each(DATABASE_KINDS)('retro repository on %s', (kind) => {
  const db = useTestRepositories(kind);
  let workspaceId: string;

  beforeAll(async () => {
    workspaceId = (await db.repos.workspaces.ensure('T0REPO')).id;
  });

  it('stores a loss with its money as an exact decimal string', async () => {
    const { retro, created } = await db.repos.retros.recordLoss(workspaceId, lostDeal({ externalId: 'money' }), 'C0CHAN0001');
    expect(created).toBe(true);
    expect(retro.deal).toMatchObject({ amount: '1200.50', currency: 'EUR', lostOn: '2026-11-20', ownerEmail: 'rep@example.com' });
    expect(retro).toMatchObject({ status: 'open', lossNumber: 1, messageTs: null });
  });

  it('returns the same retro for the same loss delivered again', async () => {
    const first = await db.repos.retros.recordLoss(workspaceId, lostDeal({ externalId: 'dup' }), 'C0CHAN0001');
    const second = await db.repos.retros.recordLoss(workspaceId, lostDeal({ externalId: 'dup' }), 'C0CHAN0001');
    expect(second).toEqual({ retro: first.retro, created: false });
  });

  it('opens exactly one retro when the same loss arrives concurrently', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => db.repos.retros.recordLoss(workspaceId, lostDeal({ externalId: 'race' }), 'C0CHAN0001')),
    );
    expect(new Set(results.map((result) => result.retro.id)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
  });

  it('reads the deal of a retro for its debrief form, only within the retro\'s own workspace', async () => {
    const { retro } = await db.repos.retros.recordLoss(workspaceId, lostDeal({ externalId: 'form-deal', owner: { slackUserId: 'U0OWNER01' } }), 'C0CHAN0001');
    const expected = { name: 'Acme renewal', competitor: 'Globex', ownerSlackUserId: 'U0OWNER01' };
    expect(await db.repos.retros.findDealOfRetro(retro.id, { workspaceId })).toEqual(expected);
    expect(await db.repos.retros.findDealOfRetro(retro.id, { slackTeamId: 'T0REPO' })).toEqual(expected);
    const otherWorkspaceId = (await db.repos.workspaces.ensure('T0REPOOTHER')).id;
    expect(await db.repos.retros.findDealOfRetro(retro.id, { workspaceId: otherWorkspaceId })).toBeNull();
    expect(await db.repos.retros.findDealOfRetro(retro.id, { slackTeamId: 'T0REPOOTHER' })).toBeNull();
    expect(await db.repos.retros.findDealOfRetro('00000000-0000-4000-8000-000000000000', { workspaceId })).toBeNull();
  });

  it('keeps one debrief per author and counts revisions', async () => {
    const { retro } = await db.repos.retros.recordLoss(workspaceId, lostDeal({ externalId: 'debrief' }), 'C0CHAN0001');
    const answers = {
      primaryReason: 'price_budget' as const,
      secondaryReasons: [],
      outcome: 'competitor' as const,
      winnerName: 'Globex',
      whyWinnerWon: null,
      priceToValue: null,
      buyerWords: 'Too expensive',
      wentWell: null,
      wentWrong: null,
      featureGaps: null,
      revisitOn: '2027-03-01',
      anonymous: false,
    };
    const first = await db.repos.debriefs.upsert(retro.id, 'U0REP', answers);
    // The edit also asks to keep the name out of digests: the flag is stored with the answers.
    const second = await db.repos.debriefs.upsert(retro.id, 'U0REP', { ...answers, buyerWords: 'Too expensive for year one', anonymous: true });
    expect(first.revision).toBe(1);
    expect(second).toMatchObject({ id: first.id, revision: 2 });
    expect(second.answers).toEqual({ ...answers, buyerWords: 'Too expensive for year one', anonymous: true });
    expect((await db.repos.debriefs.findById(first.id, { workspaceId }))?.answers.anonymous).toBe(true);
    expect(await db.repos.debriefs.listForRetro(retro.id)).toHaveLength(1);
  });

  it('claims a Slack event id once, and again after release', async () => {
    expect(await db.repos.processedEvents.claim('Ev1')).toBe(true);
    expect(await db.repos.processedEvents.claim('Ev1')).toBe(false);
    await db.repos.processedEvents.release('Ev1');
    expect(await db.repos.processedEvents.claim('Ev1')).toBe(true);
  });
});
