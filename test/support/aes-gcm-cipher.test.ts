/** The AES-256-GCM cipher that stands in for safeStorage under Node (tests, benchmarks). */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesGcmCipher } from './aes-gcm-cipher';
import { DecryptError } from '../../main/vault/cipher';
import { TEST_KEY } from '../support/vault';

describe('AES-GCM cipher', () => {
  it('rejects empty, untagged and tampered ciphertext with a typed error', async () => {
    const cipher = new AesGcmCipher(TEST_KEY);
    const sealed = await cipher.encrypt('hello');
    expect((await cipher.decrypt(sealed)).plain).toBe('hello');
    const bytes = Buffer.from(sealed.split('.')[2]!, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    for (const bad of [
      '',
      'garbage',
      'v2.gcm.AAAA',
      'v1.ss.AAAA',
      'v1.gcm.AAAA',
      `v1.gcm.${bytes.toString('base64')}`,
    ]) {
      await expect(cipher.decrypt(bad), bad).rejects.toMatchObject({ code: 'vault/decrypt_failed' });
    }
  });
  it('seals the same text differently each time (a random IV) and only its own key opens it', async () => {
    const cipher = new AesGcmCipher(TEST_KEY);
    const [a, b] = [await cipher.encrypt('same'), await cipher.encrypt('same')];
    expect(a).toMatch(/^v1\.gcm\./);
    expect(a).not.toBe(b);
    expect(await cipher.decrypt(b)).toEqual({ plain: 'same', shouldReEncrypt: false });
    const other = new AesGcmCipher(randomBytes(32));
    const error = await other.decrypt(a).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecryptError);
    expect((error as DecryptError).problem).toBe('A stored secret could not be decrypted with this key.');
    await expect(cipher.decrypt('v1.gcm.AAAA')).rejects.toMatchObject({ problem: 'A stored secret is cut short.' });
  });

  it('refuses a key that is not 32 bytes with a coded error', () => {
    expect(() => new AesGcmCipher(randomBytes(16))).toThrow(expect.objectContaining({ code: 'vault/unavailable' }));
  });
});
