import { DEFAULT_REASON_CATALOG, reasonLabel } from '../../../src/domain/lossReasons';
import { editLossReasons, loadReasonCatalog, loadReasonList } from '../../../src/services/lossReasons';
import { createLossReasonRepository } from '../../../src/repositories/lossReasons';
import { DATABASE_KINDS } from '../../helpers/database';
import { waitFor } from '../../helpers/wait';
import { useTestRepositories } from '../../helpers/testRepositories';

// The workspace's loss reasons as stored: the built-in ones until the first edit, which stores
// them all; each later edit writes only what it changed, in that workspace only.

describe.each(DATABASE_KINDS)('loss reasons stored on %s', (kind) => {
  const db = useTestRepositories(kind);
  const AT = new Date('2026-11-23T10:00:00Z');
  const LATER = new Date('2026-11-24T10:00:00Z');

  async function workspace(slackTeamId: string) {
    return (await db.repos.workspaces.ensure(slackTeamId)).id;
  }

  it('answers the built-in reasons for a workspace that never edited them, by id or by Slack team', async () => {
    const workspaceId = await workspace('T0REASON01');
    expect(await loadReasonCatalog(db, { workspaceId })).toEqual(DEFAULT_REASON_CATALOG);
    expect(await loadReasonCatalog(db, { slackTeamId: 'T0REASON01' })).toEqual(DEFAULT_REASON_CATALOG);
    // A team Debrief has never seen has them too.
    expect(await loadReasonCatalog(db, { slackTeamId: 'T0UNKNOWN1' })).toEqual(DEFAULT_REASON_CATALOG);
    expect(await loadReasonList(db, workspaceId)).toEqual({ catalog: DEFAULT_REASON_CATALOG, customised: false });
  });

  it('stores the whole list on the first edit, then keeps the value when a reason is renamed, moved or retired', async () => {
    const workspaceId = await workspace('T0REASON02');
    const renamed = await editLossReasons(db, { workspaceId, edit: { kind: 'rename', value: 'product_gap', label: 'Missing capabilities' }, at: AT });
    expect(renamed).toMatchObject({ ok: true, value: 'product_gap' });
    const afterRename = await loadReasonList(db, workspaceId);
    expect(afterRename.customised).toBe(true);
    expect(afterRename.catalog.map((reason) => reason.value)).toEqual(DEFAULT_REASON_CATALOG.map((reason) => reason.value));
    expect(reasonLabel(afterRename.catalog, 'product_gap')).toBe('Missing capabilities');

    await editLossReasons(db, { workspaceId, edit: { kind: 'move', value: 'product_gap', direction: 'up' }, at: AT });
    await editLossReasons(db, { workspaceId, edit: { kind: 'retire', value: 'product_gap' }, at: AT });
    const catalog = await loadReasonCatalog(db, { workspaceId });
    expect(catalog.slice(0, 2)).toEqual([
      { value: 'product_gap', label: 'Missing capabilities', retired: true },
      { value: 'price_budget', label: 'Price or budget', retired: false },
    ]);

    // A later rename of a retired reason keeps the day it was retired.
    await editLossReasons(db, { workspaceId, edit: { kind: 'rename', value: 'product_gap', label: 'Capability gaps' }, at: LATER });
    const row = await db.database.prisma.lossReason.findFirstOrThrow({ where: { workspaceId, value: 'product_gap' } });
    expect(row).toMatchObject({ label: 'Capability gaps', retiredAt: AT });
  });

  it('adds a reason with a new value, and refuses a duplicate without storing anything', async () => {
    const workspaceId = await workspace('T0REASON03');
    expect(await editLossReasons(db, { workspaceId, edit: { kind: 'add', label: 'Data residency' }, at: AT })).toMatchObject({ ok: true, value: 'data_residency' });
    const before = await db.database.prisma.lossReason.count({ where: { workspaceId } });
    expect(await editLossReasons(db, { workspaceId, edit: { kind: 'add', label: 'data RESIDENCY' }, at: AT })).toMatchObject({ ok: false, problem: expect.stringContaining('already a reason') });
    expect(await db.database.prisma.lossReason.count({ where: { workspaceId } })).toBe(before);
    expect((await loadReasonCatalog(db, { workspaceId })).at(-1)).toEqual({ value: 'data_residency', label: 'Data residency', retired: false });
  });

  it('writes only the reasons an edit changed, so two people editing different reasons do not undo each other', async () => {
    const workspaceId = await workspace('T0REASON04');
    await editLossReasons(db, { workspaceId, edit: { kind: 'add', label: 'Data residency' }, at: AT });
    const updatedAt = async (value: string) => (await db.database.prisma.lossReason.findFirstOrThrow({ where: { workspaceId, value } })).updatedAt;
    const untouched = await updatedAt('other');
    await editLossReasons(db, { workspaceId, edit: { kind: 'rename', value: 'price_budget', label: 'Commercials' }, at: AT });
    await editLossReasons(db, { workspaceId, edit: { kind: 'retire', value: 'data_residency' }, at: AT });
    expect(await updatedAt('other')).toEqual(untouched);
    const catalog = await loadReasonCatalog(db, { workspaceId });
    expect(reasonLabel(catalog, 'price_budget')).toBe('Commercials');
    expect(catalog.find((reason) => reason.value === 'data_residency')?.retired).toBe(true);
  });

  it("keeps each workspace's reasons to itself", async () => {
    const acme = await workspace('T0REASON05');
    const globex = await workspace('T0REASON06');
    await editLossReasons(db, { workspaceId: acme, edit: { kind: 'rename', value: 'price_budget', label: 'Commercials' }, at: AT });
    expect(reasonLabel(await loadReasonCatalog(db, { workspaceId: acme }), 'price_budget')).toBe('Commercials');
    expect(await loadReasonCatalog(db, { workspaceId: globex })).toEqual(DEFAULT_REASON_CATALOG);
    expect(await loadReasonCatalog(db, { slackTeamId: 'T0REASON06' })).toEqual(DEFAULT_REASON_CATALOG);
  });

  describe('the copy kept for reading', () => {
    it('is reused until a save, which every reader on this instance sees at once', async () => {
      const workspaceId = await workspace('T0REASON09');
      expect(await loadReasonCatalog(db, { workspaceId })).toEqual(DEFAULT_REASON_CATALOG);
      // Written behind the repository's back (another replica): the copy in hand still answers.
      await db.database.prisma.lossReason.create({ data: { workspaceId, value: 'custom_reason', label: 'Custom', position: 0 } });
      expect(await loadReasonCatalog(db, { workspaceId })).toEqual(DEFAULT_REASON_CATALOG);
      // Edits always start from what is stored, never from the copy.
      expect((await loadReasonList(db, workspaceId)).customised).toBe(true);

      await editLossReasons(db, { workspaceId, edit: { kind: 'rename', value: 'custom_reason', label: 'Custom, renamed' }, at: AT });
      expect(await loadReasonCatalog(db, { workspaceId })).toEqual([{ value: 'custom_reason', label: 'Custom, renamed', retired: false }]);
      expect(await loadReasonCatalog(db, { slackTeamId: 'T0REASON09' })).toEqual([{ value: 'custom_reason', label: 'Custom, renamed', retired: false }]);
    });

    it("is forgotten by the process's other thread when one saves", async () => {
      const workspaceId = await workspace('T0REASON10');
      const mainThread = { repos: { lossReasons: createLossReasonRepository(db.database.prisma, { peerChannel: 'debrief:reasons-test:loss-reasons' }) } };
      const workThread = { repos: { lossReasons: createLossReasonRepository(db.database.prisma, { peerChannel: 'debrief:reasons-test:loss-reasons' }) } };
      expect(await loadReasonCatalog(workThread, { workspaceId })).toEqual(DEFAULT_REASON_CATALOG);
      await editLossReasons(mainThread, { workspaceId, edit: { kind: 'rename', value: 'product_gap', label: 'Missing capabilities' }, at: AT });
      await waitFor(async () => reasonLabel(await loadReasonCatalog(workThread, { workspaceId }), 'product_gap') === 'Missing capabilities' || undefined, {
        message: 'the other thread kept the old reasons',
      });
    });
  });
});
