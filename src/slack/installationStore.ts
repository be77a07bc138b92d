import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { z } from 'zod';
import type { TSecretBox } from '../lib/secretBox';
import { createTtlCache } from '../lib/ttlCache';
import { installKeyOf, type TInstallationRepository } from '../repositories/installations';

// What Debrief itself reads from a stored installation; the rest of Bolt's object is kept as is.
const ZStoredInstallation = z.looseObject({
  team: z.looseObject({ id: z.string() }).nullish(),
  enterprise: z.looseObject({ id: z.string() }).nullish(),
  isEnterpriseInstall: z.boolean().optional(),
  bot: z.looseObject({ token: z.string() }).optional(),
});

/**
 * How long an instance reuses an installation it read. Bolt fetches the installation of every
 * Slack request before the request's ack; reading it once per team per half minute keeps the
 * database (and the decryption) off that path. A reinstall or uninstall handled by this
 * instance takes effect at once; one handled by another replica within this time (meanwhile
 * Slack refuses a revoked token, so nothing is done with it).
 */
export const INSTALLATION_TTL_MS = 30_000;

/**
 * Bolt refreshes a rotating token that expires within two hours, storing the new one; an
 * installation whose token is that close to expiring (or closer than this) is always read from
 * the database, so no instance ever refreshes with a token another has already replaced.
 */
const ROTATION_MARGIN_SECONDS = 2 * 60 * 60 + INSTALLATION_TTL_MS / 1000 + 60;

type TCachedInstallation = Installation<'v1' | 'v2', boolean>;

/** Bolt's InstallationStore over the database, with every token sealed before it is written. */
export function createInstallationStore(options: { installations: TInstallationRepository; secretBox: TSecretBox; now?: () => number }): InstallationStore {
  const { installations, secretBox } = options;
  const now = options.now ?? Date.now;
  const recent = createTtlCache<string, TCachedInstallation>({ maxEntries: 5000, now });
  return {
    async storeInstallation(installation) {
      const teamId = installation.team?.id ?? null;
      const enterpriseId = installation.enterprise?.id ?? null;
      const isEnterpriseInstall = installation.isEnterpriseInstall === true;
      const installKey = installKeyOf({ teamId, enterpriseId, isEnterpriseInstall });
      recent.delete(installKey);
      await installations.save({
        installKey,
        teamId,
        enterpriseId,
        isEnterpriseInstall,
        sealedInstallation: secretBox.seal(JSON.stringify(installation)),
      });
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      const installKey = installKeyOf(query);
      // A copy each time: Bolt writes refreshed tokens into the object it is given.
      const cached = recent.get(installKey);
      if (cached) return structuredClone(cached);
      const stored = await installations.find(installKey);
      if (!stored) throw new Error(`Debrief is not installed in ${query.isEnterpriseInstall ? `org ${query.enterpriseId}` : `workspace ${query.teamId}`}.`);
      const parsed = ZStoredInstallation.parse(JSON.parse(secretBox.open(stored.sealedInstallation))) as unknown as TCachedInstallation;
      if (!expiresSoon(parsed, now() / 1000)) recent.set(installKey, structuredClone(parsed), INSTALLATION_TTL_MS);
      return parsed;
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      const installKey = installKeyOf(query);
      recent.delete(installKey);
      await installations.delete(installKey);
    },
  };
}

/** True when a rotating bot or user token expires within the rotation margin. */
function expiresSoon(installation: TCachedInstallation, nowSeconds: number): boolean {
  const expiries = [installation.bot?.expiresAt, installation.user?.expiresAt].filter((expiresAt): expiresAt is number => typeof expiresAt === 'number');
  const rotating = Boolean(installation.bot?.refreshToken ?? installation.user?.refreshToken);
  if (rotating && expiries.length === 0) return true;
  return expiries.some((expiresAt) => expiresAt - nowSeconds < ROTATION_MARGIN_SECONDS);
}

/** Re-seals every stored installation under the current key; run after adding a new ENCRYPTION_KEY. */
export async function resealInstallations(options: { installations: TInstallationRepository; secretBox: TSecretBox }): Promise<number> {
  let resealed = 0;
  for (const stored of await options.installations.all()) {
    if (!options.secretBox.needsResealing(stored.sealedInstallation)) continue;
    await options.installations.save({ ...stored, sealedInstallation: options.secretBox.seal(options.secretBox.open(stored.sealedInstallation)) });
    resealed += 1;
  }
  return resealed;
}
