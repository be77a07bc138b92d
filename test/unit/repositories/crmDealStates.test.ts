import { DATABASE_KINDS } from '../../helpers/database';
import { useTestRepositories } from '../../helpers/testRepositories';

describe.each(DATABASE_KINDS)('CRM deal state repository on %s', (kind) => {
  const db = useTestRepositories(kind);
  let workspaceId: string;
  const at = (iso: string) => new Date(iso);

  beforeAll(async () => {
    workspaceId = (await db.repos.workspaces.ensure('T0STATES')).id;
  });

  const record = (externalId: string, lost: boolean, iso: string) => db.repos.crmDealStates.recordChange(workspaceId, 'pipedrive', externalId, { lost, at: at(iso) });

  it('takes the first change of a deal, and every later one', async () => {
    expect(await record('a', true, '2025-11-20T10:00:00Z')).toBe('current');
    expect(await record('a', false, '2025-11-21T10:00:00Z')).toBe('current');
    expect(await record('a', true, '2025-11-22T10:00:00Z')).toBe('current');
    const row = await db.database.prisma.crmDealState.findFirstOrThrow({ where: { externalId: 'a' } });
    expect(row).toMatchObject({ lost: true, changedAt: at('2025-11-22T10:00:00Z') });
  });

  it('calls a change older than the recorded one stale and keeps the newer', async () => {
    await record('b', false, '2025-11-21T10:00:00Z');
    expect(await record('b', true, '2025-11-20T10:00:00Z')).toBe('stale');
    const row = await db.database.prisma.crmDealState.findFirstOrThrow({ where: { externalId: 'b' } });
    expect(row).toMatchObject({ lost: false, changedAt: at('2025-11-21T10:00:00Z') });
  });

  it('lets a redelivery of the same change through, so its work can finish', async () => {
    await record('c', true, '2025-11-20T10:00:00Z');
    expect(await record('c', true, '2025-11-20T10:00:00Z')).toBe('current');
  });

  it('keeps deals of other CRMs and workspaces apart', async () => {
    await record('d', false, '2025-11-21T10:00:00Z');
    expect(await db.repos.crmDealStates.recordChange(workspaceId, 'hubspot', 'd', { lost: true, at: at('2025-11-20T10:00:00Z') })).toBe('current');
    const other = (await db.repos.workspaces.ensure('T0OTHER')).id;
    expect(await db.repos.crmDealStates.recordChange(other, 'pipedrive', 'd', { lost: true, at: at('2025-11-20T10:00:00Z') })).toBe('current');
  });

  it('settles first deliveries racing on one deal on a single row, the newest winning', async () => {
    const results = await Promise.all([
      record('e', true, '2025-11-20T10:00:00Z'),
      record('e', false, '2025-11-21T10:00:00Z'),
      record('e', true, '2025-11-20T10:00:00Z'),
    ]);
    expect(results).toContain('current');
    const rows = await db.database.prisma.crmDealState.findMany({ where: { externalId: 'e' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lost: false, changedAt: at('2025-11-21T10:00:00Z') });
  });
});
