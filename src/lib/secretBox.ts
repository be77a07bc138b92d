import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encrypts secrets at rest (Slack tokens, CRM secrets) with AES-256-GCM.
 *
 * A sealed value reads `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts). The key id, a
 * short hash of the key, names the key that sealed it, so that after a rotation values sealed
 * under a previous key still open while new ones use the current key; `needsResealing` tells a
 * rotation job which values to re-encrypt.
 */
export interface TSecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
  /** True when the value was sealed under a previous key (or is not sealed at all). */
  needsResealing(sealed: string): boolean;
  readonly currentKeyId: string;
}

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const VERSION = 'v1';
const IV_BYTES = 12;
const KEY_BYTES = 32;

/** ENCRYPTION_KEY as written in the environment: 32 random bytes, base64 (openssl rand -base64 32) or hex. */
export function decodeEncryptionKey(text: string): Buffer | null {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  return key.length === KEY_BYTES ? key : null;
}

function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

export function createSecretBox(currentKey: Buffer, previousKeys: Buffer[] = []): TSecretBox {
  for (const key of [currentKey, ...previousKeys]) {
    if (key.length !== KEY_BYTES) throw new SecretBoxError(`An encryption key must be ${KEY_BYTES} bytes, not ${key.length}.`);
  }
  const currentKeyId = keyIdOf(currentKey);
  const keysById = new Map<string, Buffer>([...previousKeys, currentKey].map((key) => [keyIdOf(key), key]));

  function parse(sealed: string): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError('The value is not a sealed secret.');
    const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
    return { keyId, iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url') };
  }

  return {
    currentKeyId,
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, currentKeyId, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
    },
    open(sealed) {
      const { keyId, iv, tag, ciphertext } = parse(sealed);
      const key = keysById.get(keyId);
      // Naming the key id (a hash, not the key) tells an operator which old key to put back.
      if (!key) throw new SecretBoxError(`The value was sealed with key ${keyId}, which is neither ENCRYPTION_KEY nor in ENCRYPTION_KEYS_PREVIOUS.`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('The sealed value was altered or is corrupt: it does not authenticate.');
      }
    },
    needsResealing(sealed) {
      try {
        return parse(sealed).keyId !== currentKeyId;
      } catch {
        return true;
      }
    },
  };
}
