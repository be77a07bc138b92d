import type { TLostDeal } from '../../../src/domain/lostDeal';
import type { TRetroOutcomeAnswers } from '../../../src/domain/teamRetro';
import { DATABASE_KINDS } from '../../helpers/database';
import { useTestRepositories } from '../../helpers/testRepositories';

// The team retro's storage against a real database: one outcome per retro even when two saves
// race, every save a revision, stable rows for lessons and action items, claims that hold once.

const AT = new Date('2026-11-23T15:00:00Z');

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

const answers = (overrides: Partial<TRetroOutcomeAnswers> = {}): TRetroOutcomeAnswers => ({
  primaryReason: 'product_gap',
  lessons: [{ text: 'One.', shareWithNewReps: true }, { text: 'Two.', shareWithNewReps: false }],
  actionItems: [{ text: 'Do it', ownerSlackUserId: 'U0SE00001', dueOn: '2026-12-04' }],
  ...overrides,
});

describe.each(DATABASE_KINDS)('team retro repositories on %s', (kind) => {
  const db = useTestRepositories(kind);
  let workspaceId: string;

  beforeAll(async () => {
    workspaceId = (await db.repos.workspaces.ensure('T0TEAMRETRO')).id;
  });

  const newRetro = async (externalId: string) => (await db.repos.retros.recordLoss(workspaceId, lostDeal(externalId), 'C0CHAN0001')).retro;

  it('keeps one outcome when two first closes race, each saved as its own revision', async () => {
    const retro = await newRetro('race');
    const results = await Promise.all([
      db.repos.retroOutcomes.save({ retroId: retro.id, savedBySlackUserId: 'U0MGR0001', at: AT, answers: answers() }),
      db.repos.retroOutcomes.save({ retroId: retro.id, savedBySlackUserId: 'U0MGR0002', at: AT, answers: answers({ primaryReason: 'other' }) }),
    ]);
    expect(results.map((result) => result.firstClose).sort()).toEqual([false, true]);
    expect(await db.database.prisma.retroOutcome.count({ where: { retroId: retro.id } })).toBe(1);
    const revisions = await db.repos.retroOutcomes.listRevisions(retro.id);
    expect(revisions.map((revision) => revision.revision)).toEqual([1, 2]);
    expect(new Set(revisions.map((revision) => revision.savedBySlackUserId))).toEqual(new Set(['U0MGR0001', 'U0MGR0002']));
    expect(await db.database.prisma.lesson.count({ where: { retroId: retro.id } })).toBe(2);
    expect(await db.database.prisma.actionItem.count({ where: { retroId: retro.id } })).toBe(1);
  });

  it('marks the retro reviewed and closed once, but leaves a reopened deal saying so', async () => {
    const retro = await newRetro('reviewed');
    await db.repos.retroOutcomes.save({ retroId: retro.id, savedBySlackUserId: 'U0MGR0001', at: AT, answers: answers() });
    await db.repos.retroOutcomes.save({ retroId: retro.id, savedBySlackUserId: 'U0MGR0001', at: new Date('2026-12-01T00:00:00Z'), answers: answers() });
    expect(await db.database.prisma.retro.findUniqueOrThrow({ where: { id: retro.id } })).toMatchObject({ status: 'reviewed', closedAt: AT });

    const reopened = await newRetro('reopened');
    await db.repos.retros.markReopened(workspaceId, 'manual', 'reopened', AT);
    await db.repos.retroOutcomes.save({ retroId: reopened.id, savedBySlackUserId: 'U0MGR0001', at: AT, answers: answers() });
    expect((await db.database.prisma.retro.findUniqueOrThrow({ where: { id: reopened.id } })).status).toBe('reopened');
  });

  it('edits lessons and action items row by row: same ids, done kept for the same task, reminders re-armed for a new date', async () => {
    const retro = await newRetro('rows');
    await db.repos.retroOutcomes.save({
      retroId: retro.id,
      savedBySlackUserId: 'U0MGR0001',
      at: AT,
      answers: answers({
        actionItems: [
          { text: 'Keep me', ownerSlackUserId: 'U1', dueOn: '2026-12-04' },
          { text: 'Move me', ownerSlackUserId: 'U2', dueOn: '2026-12-05' },
          { text: 'Drop me', ownerSlackUserId: 'U3', dueOn: '2026-12-06' },
        ],
      }),
    });
    const before = await db.database.prisma.actionItem.findMany({ where: { retroId: retro.id }, orderBy: { position: 'asc' } });
    const lessonsBefore = await db.database.prisma.lesson.findMany({ where: { retroId: retro.id }, orderBy: { position: 'asc' } });
    await db.database.prisma.actionItem.updateMany({ where: { retroId: retro.id }, data: { doneAt: AT, dueReminderSentAt: AT } });

    await db.repos.retroOutcomes.save({
      retroId: retro.id,
      savedBySlackUserId: 'U0MGR0002',
      at: AT,
      answers: answers({
        lessons: [{ text: 'One, reworded.', shareWithNewReps: false }],
        actionItems: [
          { text: 'Keep me', ownerSlackUserId: 'U1', dueOn: '2026-12-04' },
          { text: 'Move me', ownerSlackUserId: 'U2', dueOn: '2026-12-20' },
        ],
      }),
    });
    const after = await db.database.prisma.actionItem.findMany({ where: { retroId: retro.id }, orderBy: { position: 'asc' } });
    expect(after.map((item) => [item.id, item.text, item.doneAt, item.dueReminderSentAt])).toEqual([
      [before[0]!.id, 'Keep me', AT, AT],
      [before[1]!.id, 'Move me', AT, null],
    ]);
    const lessonsAfter = await db.database.prisma.lesson.findMany({ where: { retroId: retro.id } });
    expect(lessonsAfter.map((lesson) => [lesson.id, lesson.text, lesson.shareWithNewReps])).toEqual([[lessonsBefore[0]!.id, 'One, reworded.', false]]);
    // The first version is kept whole in its revision.
    const [first] = await db.repos.retroOutcomes.listRevisions(retro.id);
    expect(first!.snapshot.actionItems.map((item) => item.text)).toEqual(['Keep me', 'Move me', 'Drop me']);
    expect(await db.repos.retroOutcomes.findForRetro(retro.id)).toMatchObject({ revision: 2, closedBySlackUserId: 'U0MGR0001', lastSavedBySlackUserId: 'U0MGR0002' });
  });

  it('keeps lessons marked from replies apart from the outcome, and lists them after it', async () => {
    const retro = await newRetro('reply-lessons');
    const marked = await db.repos.lessons.upsertFromReply({ retroId: retro.id, sourceMessageTs: '1800000000.000100', text: 'From a reply.', shareWithNewReps: false, authorSlackUserId: 'U0SE00001', createdBySlackUserId: 'U0MGR0001' });
    expect(marked.created).toBe(true);
    const again = await db.repos.lessons.upsertFromReply({ retroId: retro.id, sourceMessageTs: '1800000000.000100', text: 'From a reply, shorter.', shareWithNewReps: true, authorSlackUserId: 'U0SE00001', createdBySlackUserId: 'U0MGR0002' });
    expect(again).toMatchObject({ created: false, lesson: { id: marked.lesson.id, text: 'From a reply, shorter.', createdBySlackUserId: 'U0MGR0002' } });
    // Saving the outcome (twice, with fewer lessons the second time) never touches a reply lesson.
    await db.repos.retroOutcomes.save({ retroId: retro.id, savedBySlackUserId: 'U0MGR0001', at: AT, answers: answers() });
    await db.repos.retroOutcomes.save({ retroId: retro.id, savedBySlackUserId: 'U0MGR0001', at: AT, answers: answers({ lessons: [{ text: 'Only.', shareWithNewReps: false }] }) });
    expect((await db.repos.lessons.listForRetro(retro.id)).map((lesson) => [lesson.source, lesson.text])).toEqual([
      ['outcome', 'Only.'],
      ['reply', 'From a reply, shorter.'],
    ]);
  });

  it('lets exactly one of two presses start the team retro, and frees a start whose agenda never posted', async () => {
    const retro = await newRetro('start');
    const [first, second] = await Promise.all([
      db.repos.retros.claimTeamRetroStart(retro.id, 'U0MGR0001', AT),
      db.repos.retros.claimTeamRetroStart(retro.id, 'U0MGR0002', AT),
    ]);
    expect([first.claimed, second.claimed].sort()).toEqual([false, true]);
    expect(first.startedBySlackUserId).toBe(second.startedBySlackUserId);

    await db.repos.retros.releaseTeamRetroStart(retro.id);
    expect(await db.repos.retros.findTeamRetroState(retro.id)).toMatchObject({ startedBySlackUserId: null, agendaTs: null });
    expect((await db.repos.retros.claimTeamRetroStart(retro.id, 'U0MGR0002', AT)).claimed).toBe(true);
    await db.repos.retros.setAgendaTs(retro.id, '1800000000.000900');
    // Once the agenda is posted, a release (from a late failure elsewhere) does not undo the start.
    await db.repos.retros.releaseTeamRetroStart(retro.id);
    expect(await db.repos.retros.findTeamRetroState(retro.id)).toMatchObject({ startedBySlackUserId: 'U0MGR0002', agendaTs: '1800000000.000900' });
  });

  it('stores one perspective per author, edited in place', async () => {
    const retro = await newRetro('perspectives');
    const first = await db.repos.perspectives.upsert(retro.id, 'U0SE00001', { role: 'sales_engineer', saw: 'A', wouldChange: 'B', anonymous: true });
    const second = await db.repos.perspectives.upsert(retro.id, 'U0SE00001', { role: 'other', saw: 'C', wouldChange: 'D', anonymous: false });
    expect(second).toMatchObject({ id: first.id, revision: 2, answers: { role: 'other', saw: 'C', wouldChange: 'D', anonymous: false } });
    await db.repos.perspectives.upsert(retro.id, 'U0CS00001', { role: 'customer_success', saw: 'E', wouldChange: 'F', anonymous: false });
    expect((await db.repos.perspectives.listForRetro(retro.id)).map((perspective) => perspective.authorSlackUserId)).toEqual(['U0SE00001', 'U0CS00001']);
  });
});
