import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../../main/errors';
import { DecryptError, seal, unseal, type Cipher } from '../../main/vault/cipher';

const SCHEME = 'gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a random 96-bit IV per message and the tag checked on every read. It stands in for
 * `safeStorage` where Electron is absent (tests, benchmarks); the app itself uses the OS keychain.
 */
export class AesGcmCipher implements Cipher {
  readonly backend = 'test-aes-gcm' as const;
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new AppError('vault/unavailable', 'AES-256-GCM needs a 32-byte key.');
    this.#key = Buffer.from(key);
  }

  async encrypt(plain: string): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return seal(SCHEME, Buffer.concat([iv, cipher.getAuthTag(), body]));
  }

  async decrypt(sealed: string): Promise<{ plain: string; shouldReEncrypt: boolean }> {
    const bytes = unseal(sealed, SCHEME);
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new DecryptError('A stored secret is cut short.');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
      return { plain, shouldReEncrypt: false };
    } catch (cause) {
      throw new DecryptError('A stored secret could not be decrypted with this key.', { cause });
    }
  }
}
