import 'dotenv/config';
import { ConfigError, parseConfig } from '../config/env';
import { openDatabase } from '../db/client';
import { createSecretBox } from '../lib/secretBox';
import { createCrmConnectionRepository } from '../repositories/crmConnections';
import { createInstallationRepository } from '../repositories/installations';
import { resealConnectionSecrets } from '../services/crmConnections';
import { resealInstallations } from '../slack/installationStore';

// `npm run secrets:reseal`: the last step of rotating ENCRYPTION_KEY. Start the app with the new key
// in ENCRYPTION_KEY and the old one in ENCRYPTION_KEYS_PREVIOUS, run this once, then drop the old key.

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const [currentKey, ...previousKeys] = config.encryptionKeys ?? [];
  if (!currentKey) {
    console.error('ENCRYPTION_KEY is not set: there is nothing to re-encrypt with.');
    process.exitCode = 2;
    return;
  }
  const database = await openDatabase(config.database);
  try {
    const secretBox = createSecretBox(currentKey, previousKeys);
    const installations = await resealInstallations({ installations: createInstallationRepository(database.prisma), secretBox });
    const connections = await resealConnectionSecrets({ connections: createCrmConnectionRepository(database.prisma), secretBox });
    console.log(`Re-encrypted ${installations} installation(s) and ${connections} CRM connection secret(s) under the current key. ENCRYPTION_KEYS_PREVIOUS can now be removed.`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Re-encryption failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
