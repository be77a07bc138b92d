import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { z } from 'zod';
import type { TSecretBox } from '../lib/secretBox';
import { installKeyOf, type TInstallationRepository } from '../repositories/installations';

// What Debrief itself reads from a stored installation; the rest of Bolt's object is kept as is.
const ZStoredInstallation = z.looseObject({
  team: z.looseObject({ id: z.string() }).nullish(),
  enterprise: z.looseObject({ id: z.string() }).nullish(),
  isEnterpriseInstall: z.boolean().optional(),
  bot: z.looseObject({ token: z.string() }).optional(),
});

/** Bolt's InstallationStore over the database, with every token sealed before it is written. */
export function createInstallationStore(options: { installations: TInstallationRepository; secretBox: TSecretBox }): InstallationStore {
  const { installations, secretBox } = options;
  return {
    async storeInstallation(installation) {
      const teamId = installation.team?.id ?? null;
      const enterpriseId = installation.enterprise?.id ?? null;
      const isEnterpriseInstall = installation.isEnterpriseInstall === true;
      await installations.save({
        installKey: installKeyOf({ teamId, enterpriseId, isEnterpriseInstall }),
        teamId,
        enterpriseId,
        isEnterpriseInstall,
        sealedInstallation: secretBox.seal(JSON.stringify(installation)),
      });
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      const stored = await installations.find(installKeyOf(query));
      if (!stored) throw new Error(`Debrief is not installed in ${query.isEnterpriseInstall ? `org ${query.enterpriseId}` : `workspace ${query.teamId}`}.`);
      const parsed = ZStoredInstallation.parse(JSON.parse(secretBox.open(stored.sealedInstallation)));
      return parsed as unknown as Installation<'v1' | 'v2', boolean>;
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      await installations.delete(installKeyOf(query));
    },
  };
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
