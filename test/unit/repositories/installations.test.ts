import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { openDatabase, type TDatabase } from '../../../src/db/client';
import { createSecretBox } from '../../../src/lib/secretBox';
import { createInstallationRepository, installKeyOf } from '../../../src/repositories/installations';
import { createInstallationStore, resealInstallations } from '../../../src/slack/installationStore';
import { DATABASE_KINDS, createTestDatabase, type TTestDatabase } from '../../helpers/database';

const installation = (teamId: string, token: string): Installation<'v2', false> => ({
  team: { id: teamId, name: `Team ${teamId}` },
  enterprise: undefined,
  isEnterpriseInstall: false,
  bot: { token, scopes: ['chat:write'], id: 'B1', userId: 'U1' },
  user: { id: 'U0ADMIN', token: undefined, scopes: undefined },
  tokenType: 'bot',
  appId: 'A1',
  authVersion: 'v2',
});

describe.each(DATABASE_KINDS)('installation store (%s)', (kind) => {
  let testDatabase: TTestDatabase;
  let database: TDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(kind);
    database = await openDatabase(testDatabase.config);
  });
  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });
  beforeEach(async () => {
    await database.prisma.slackInstallation.deleteMany();
  });

  it('keeps workspace and org installs apart by key', () => {
    expect(installKeyOf({ teamId: 'T1', isEnterpriseInstall: false })).toBe('T:T1');
    expect(installKeyOf({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: true })).toBe('E:E1');
    expect(() => installKeyOf({ isEnterpriseInstall: false })).toThrow(/team id/);
  });

  it('stores an installation sealed and gives it back whole; a reinstall replaces it', async () => {
    const installations = createInstallationRepository(database.prisma);
    const store = createInstallationStore({ installations, secretBox: createSecretBox(randomBytes(32)) });
    await store.storeInstallation(installation('T1', 'xoxb-first'));
    await store.storeInstallation(installation('T1', 'xoxb-second'));
    const fetched = await store.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(fetched.bot?.token).toBe('xoxb-second');
    expect(fetched.team?.name).toBe('Team T1');
    expect(await database.prisma.slackInstallation.count()).toBe(1);
    const raw = await installations.find('T:T1');
    expect(raw?.sealedInstallation).not.toContain('xoxb-');
    await expect(store.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow(
      /not installed in workspace T2/,
    );
  });

  it('re-seals every installation under a new key, after which the old key is no longer needed', async () => {
    const installations = createInstallationRepository(database.prisma);
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before = createInstallationStore({ installations, secretBox: createSecretBox(oldKey) });
    await before.storeInstallation(installation('T1', 'xoxb-one'));
    await before.storeInstallation(installation('T2', 'xoxb-two'));

    const rotatingBox = createSecretBox(newKey, [oldKey]);
    expect(await resealInstallations({ installations, secretBox: rotatingBox })).toBe(2);
    expect(await resealInstallations({ installations, secretBox: rotatingBox })).toBe(0);

    const after = createInstallationStore({ installations, secretBox: createSecretBox(newKey) });
    const fetched = await after.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(fetched.bot?.token).toBe('xoxb-two');
  });

  it('purges only workspaces uninstalled before the retention cut-off', async () => {
    const installations = createInstallationRepository(database.prisma);
    await database.prisma.workspace.createMany({
      data: [
        { slackTeamId: 'T0OLD', uninstalledAt: new Date('2026-01-01T00:00:00Z') },
        { slackTeamId: 'T0RECENT', uninstalledAt: new Date('2026-11-20T00:00:00Z') },
        { slackTeamId: 'T0ACTIVE' },
      ],
    });
    expect(await installations.purgeUninstalledBefore(new Date('2026-08-25T00:00:00Z'))).toEqual(['T0OLD']);
    const left = await database.prisma.workspace.findMany({
      where: { slackTeamId: { in: ['T0OLD', 'T0RECENT', 'T0ACTIVE'] } },
      select: { slackTeamId: true },
    });
    expect(left.map((workspace) => workspace.slackTeamId).sort()).toEqual(['T0ACTIVE', 'T0RECENT']);
  });
});
