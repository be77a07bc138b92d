import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { createSecretBox } from '../../../src/lib/secretBox';
import type { TInstallationRepository } from '../../../src/repositories/installations';
import { INSTALLATION_TTL_MS, createInstallationStore } from '../../../src/slack/installationStore';

// Bolt fetches the installation of every Slack request before the request is acknowledged; the
// store keeps recent ones in memory so that the ack does not wait for the database. The database
// side is covered in test/unit/repositories/installations.test.ts.

type TRow = { installKey: string; teamId: string | null; enterpriseId: string | null; isEnterpriseInstall: boolean; sealedInstallation: string };

/** The installations repository in memory, counting reads. */
function memoryInstallations() {
  const rows = new Map<string, TRow>();
  const reads = { count: 0 };
  const repository = {
    save: async (row: TRow) => void rows.set(row.installKey, row),
    find: async (installKey: string) => {
      reads.count += 1;
      return rows.get(installKey) ?? null;
    },
    delete: async (installKey: string) => rows.delete(installKey),
  };
  return { repository: repository as unknown as TInstallationRepository, reads };
}

function installation(teamId: string, token: string, rotation?: { expiresAt: number }): Installation<'v2', false> {
  return {
    team: { id: teamId, name: `Team ${teamId}` },
    enterprise: undefined,
    isEnterpriseInstall: false,
    authVersion: 'v2',
    bot: { id: 'B1', userId: 'U0BOT0001', scopes: ['chat:write'], token, ...(rotation ? { refreshToken: `xoxe-1-${teamId}`, expiresAt: rotation.expiresAt } : {}) },
    user: { id: 'U0ADMIN01', token: undefined, scopes: undefined },
  };
}

const T1 = { teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false } as const;

describe('createInstallationStore, reading', () => {
  it('reads an installation once per TTL, handing out copies that writes cannot change', async () => {
    let clock = 1_800_000_000_000;
    const { repository, reads } = memoryInstallations();
    const store = createInstallationStore({ installations: repository, secretBox: createSecretBox(randomBytes(32)), now: () => clock });
    await store.storeInstallation(installation('T1', 'xoxb-first'));

    const first = await store.fetchInstallation(T1);
    first.bot!.token = 'xoxb-changed-by-bolt';
    const second = await store.fetchInstallation(T1);
    expect(second.bot?.token).toBe('xoxb-first');
    expect(reads.count).toBe(1);

    clock += INSTALLATION_TTL_MS;
    await store.fetchInstallation(T1);
    expect(reads.count).toBe(2);
  });

  it('forgets its copy when this instance stores or deletes the installation', async () => {
    const { repository, reads } = memoryInstallations();
    const store = createInstallationStore({ installations: repository, secretBox: createSecretBox(randomBytes(32)) });
    await store.storeInstallation(installation('T1', 'xoxb-first'));
    await store.fetchInstallation(T1);
    await store.storeInstallation(installation('T1', 'xoxb-second'));
    expect((await store.fetchInstallation(T1)).bot?.token).toBe('xoxb-second');
    expect(reads.count).toBe(2);

    await store.deleteInstallation!(T1);
    await expect(store.fetchInstallation(T1)).rejects.toThrow(/not installed in workspace T1/);
  });

  it('always reads a rotating token that Bolt is about to refresh, but keeps one far from expiry', async () => {
    const clock = 1_800_000_000_000;
    const nowSeconds = clock / 1000;
    const { repository, reads } = memoryInstallations();
    const store = createInstallationStore({ installations: repository, secretBox: createSecretBox(randomBytes(32)), now: () => clock });

    await store.storeInstallation(installation('T1', 'xoxb-expiring', { expiresAt: nowSeconds + 2 * 60 * 60 }));
    await store.fetchInstallation(T1);
    await store.fetchInstallation(T1);
    expect(reads.count).toBe(2);

    await store.storeInstallation(installation('T1', 'xoxb-fresh', { expiresAt: nowSeconds + 12 * 60 * 60 }));
    await store.fetchInstallation(T1);
    await store.fetchInstallation(T1);
    expect(reads.count).toBe(3);
  });
});
