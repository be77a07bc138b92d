import type { TDebriefAnswers } from '../../../src/domain/debrief';
import type { TLostDeal } from '../../../src/domain/lostDeal';
import type { PrismaClient } from '../../../src/generated/prisma/client';
import { createDebriefRepository } from '../../../src/repositories/debriefs';
import { createRetroOutcomeRepository } from '../../../src/repositories/retroOutcomes';
import { createDeliveryQueue, type TDeliveryRequest } from '../../../src/repositories/slackDeliveries';
import { useTestRepositories } from '../../helpers/testRepositories';

// A debrief or an outcome is stored with rows of its retro (whose triggers refresh the retro's
// search document) and then marks the retro. CI once lost a debrief to a deadlock with the outbox
// storing the thread's prompt ts at that moment. Here the concurrent write is made at exactly that
// moment, on a second connection pool, and the save must go through at its first try.

const describeOnPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

function lostDeal(externalId: string): TLostDeal {
  return {
    source: 'manual',
    externalId,
    name: 'Acme renewal',
    amount: null,
    currency: null,
    owner: { slackUserId: 'U0REP0001' },
    competitor: null,
    lossReason: null,
    crmUrl: null,
    lostAt: new Date('2026-11-20T12:00:00Z'),
  };
}

const DEBRIEF: TDebriefAnswers = {
  primaryReason: 'price_budget',
  secondaryReasons: [],
  outcome: 'competitor',
  winnerName: 'Globex',
  whyWinnerWon: null,
  priceToValue: null,
  buyerWords: 'Too expensive',
  wentWell: null,
  wentWrong: null,
  featureGaps: null,
  revisitOn: null,
  anonymous: false,
};

const OUTCOME = { primaryReason: 'product_gap' as const, lessons: [{ text: 'One.', shareWithNewReps: true }], actionItems: [] };

describeOnPostgres('retro row locks on postgres', () => {
  const db = useTestRepositories('postgres', { secondInstance: true });
  let workspaceId: string;

  beforeAll(async () => {
    workspaceId = (await db.repos.workspaces.ensure('T0LOCKS')).id;
  });

  const delivery = (retroId: string): TDeliveryRequest[] => [{ workspaceId, kind: 'test.lock', key: `test.lock:${retroId}`, payload: {} }];

  /** Resolves once another session of this database waits for a lock (or after 3 s). */
  async function someoneWaitsForALock(): Promise<void> {
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline) {
      const [row] = await db.database.prisma.$queryRaw<Array<{ waiting: number }>>`
        SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      if ((row?.waiting ?? 0) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * A client whose `model.operation` runs, then starts `concurrentWrite` (on the other pool) and
   * waits until it is done or blocked before going on. Counts how often the operation ran.
   */
  function clientWritingConcurrentlyAfter(model: 'debrief' | 'retroOutcome', operation: 'upsert' | 'create', concurrentWrite: () => Promise<unknown>) {
    const state = { runs: 0, concurrent: undefined as Promise<unknown> | undefined };
    const client = db.database.prisma.$extends({
      query: {
        $allModels: {
          async $allOperations({ model: calledModel, operation: calledOperation, args, query }) {
            const result = await query(args);
            if (calledModel.toLowerCase() !== model.toLowerCase() || String(calledOperation) !== operation) return result;
            state.runs += 1;
            if (state.runs === 1) {
              state.concurrent = concurrentWrite();
              await Promise.race([someoneWaitsForALock(), state.concurrent]);
            }
            return result;
          },
        },
      },
    }) as unknown as PrismaClient;
    return { client, state };
  }

  const promptTsWrite = (retroId: string, promptTs: string) => () => db.otherRepos.retros.setMessages(retroId, { promptTs });
  const reopen = (externalId: string) => () => db.otherRepos.retros.markReopened(workspaceId, 'manual', externalId, new Date());

  async function saveDebrief(externalId: string, concurrentWrite: (retroId: string) => () => Promise<unknown>) {
    const { retro } = await db.repos.retros.recordLoss(workspaceId, lostDeal(externalId), 'C0CHAN0001');
    const { client, state } = clientWritingConcurrentlyAfter('debrief', 'upsert', concurrentWrite(retro.id));
    await createDebriefRepository(client, createDeliveryQueue(client)).upsert(retro.id, 'U0REP0001', DEBRIEF, { debriefedAt: new Date(), deliveries: () => delivery(retro.id) });
    await state.concurrent;
    return { runs: state.runs, stored: await db.database.prisma.retro.findUniqueOrThrow({ where: { id: retro.id } }) };
  }

  it('saves a debrief while the outbox stores the thread prompt ts, at the first try', async () => {
    const { runs, stored } = await saveDebrief('debrief-prompt', (retroId) => promptTsWrite(retroId, '1763900000.000100'));
    expect(runs).toBe(1);
    expect(stored).toMatchObject({ status: 'debriefed', promptTs: '1763900000.000100' });
  });

  it('saves a debrief while the CRM reopens its deal, at the first try', async () => {
    const { runs, stored } = await saveDebrief('debrief-reopen', () => reopen('debrief-reopen'));
    expect(runs).toBe(1);
    // The reopen waited for the debrief, then marked the retro reopened.
    expect(stored.status).toBe('reopened');
    expect(stored.debriefedAt).not.toBeNull();
  });

  it('saves an outcome while the CRM reopens its deal, at the first try', async () => {
    const { retro } = await db.repos.retros.recordLoss(workspaceId, lostDeal('outcome-reopen'), 'C0CHAN0001');
    const { client, state } = clientWritingConcurrentlyAfter('retroOutcome', 'create', reopen('outcome-reopen'));
    await createRetroOutcomeRepository(client, createDeliveryQueue(client)).save({ retroId: retro.id, savedBySlackUserId: 'U0MGR0001', at: new Date(), answers: OUTCOME, deliveries: () => delivery(retro.id) });
    await state.concurrent;

    expect(state.runs).toBe(1);
    const stored = await db.database.prisma.retro.findUniqueOrThrow({ where: { id: retro.id } });
    expect(stored).toMatchObject({ status: 'reopened' });
    expect(stored.closedAt).not.toBeNull();
  });
});
