import { randomBytes } from 'node:crypto';
import { SecretBoxError, createSecretBox, decodeEncryptionKey } from '../../../src/lib/secretBox';

const keyA = randomBytes(32);
const keyB = randomBytes(32);

describe('createSecretBox', () => {
  it('round-trips a token without the plaintext appearing in the sealed value', () => {
    const box = createSecretBox(keyA);
    const token = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
    const sealed = box.seal(token);
    expect(sealed).not.toContain(token);
    expect(sealed).not.toContain('xoxb');
    expect(sealed.startsWith(`v1.${box.currentKeyId}.`)).toBe(true);
    expect(box.open(sealed)).toBe(token);
  });

  it('seals the same text differently each time (random IV)', () => {
    const box = createSecretBox(keyA);
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses a tampered value', () => {
    const box = createSecretBox(keyA);
    const parts = box.seal('secret').split('.');
    const ciphertext = Buffer.from(parts[4] as string, 'base64url');
    ciphertext[0] = (ciphertext[0] as number) ^ 1;
    parts[4] = ciphertext.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow(/does not authenticate/);
    expect(() => box.open('xoxb-plain-token')).toThrow(SecretBoxError);
  });

  it('after a rotation, opens values sealed under the previous key and seals new ones under the new key', () => {
    const before = createSecretBox(keyA);
    const sealedBefore = before.seal('old secret');
    const after = createSecretBox(keyB, [keyA]);
    expect(after.open(sealedBefore)).toBe('old secret');
    expect(after.needsResealing(sealedBefore)).toBe(true);
    const resealed = after.seal(after.open(sealedBefore));
    expect(after.needsResealing(resealed)).toBe(false);
    // Once every value is resealed the previous key can go.
    expect(createSecretBox(keyB).open(resealed)).toBe('old secret');
  });

  it('names the missing key, not the key itself, when a previous key was dropped too early', () => {
    const sealed = createSecretBox(keyA).seal('secret');
    let message = '';
    try {
      createSecretBox(keyB).open(sealed);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/sealed with key \S+, which is neither ENCRYPTION_KEY nor in ENCRYPTION_KEYS_PREVIOUS/);
    expect(message).not.toContain(keyA.toString('base64'));
  });
});

describe('decodeEncryptionKey', () => {
  it('reads 32 bytes written as base64 or hex, and nothing shorter', () => {
    expect(decodeEncryptionKey(keyA.toString('base64'))?.equals(keyA)).toBe(true);
    expect(decodeEncryptionKey(keyA.toString('hex'))?.equals(keyA)).toBe(true);
    expect(decodeEncryptionKey('too-short')).toBeNull();
    expect(decodeEncryptionKey(randomBytes(16).toString('base64'))).toBeNull();
  });
});
