/** Electron's safeStorage behind the Cipher interface, against a fake of exactly the async API it uses. */
import { describe, expect, it } from 'vitest';
import { DecryptError } from '../../main/vault/cipher';
import { SafeStorageCipher, type AsyncSafeStorage } from '../../main/vault/safe-storage-cipher';

describe('safeStorage adapter', () => {
  function fakeSafeStorage(
    options: { backend?: string; available?: boolean; reEncrypt?: boolean } = {},
  ): AsyncSafeStorage & { calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      isAsyncEncryptionAvailable: async () => options.available ?? true,
      getSelectedStorageBackend: () =>
        (options.backend ?? 'gnome_libsecret') as ReturnType<AsyncSafeStorage['getSelectedStorageBackend']>,
      encryptStringAsync: async (plain: string) => (calls.push('encrypt'), Buffer.from(`enc:${plain}`)),
      decryptStringAsync: async (buf: Buffer) => {
        calls.push('decrypt');
        const text = buf.toString();
        if (!text.startsWith('enc:')) throw new Error('bad');
        return { result: text.slice(4), shouldReEncrypt: options.reEncrypt ?? false };
      },
    };
  }

  it('uses only the async API and tags its ciphertext', async () => {
    const ss = fakeSafeStorage({ reEncrypt: true });
    const cipher = await SafeStorageCipher.create(ss, () => true, 'darwin');
    expect(cipher.backend).toBe('os-keychain');
    const sealed = await cipher.encrypt('x');
    expect(sealed).toMatch(/^v1\.ss\./);
    expect(await cipher.decrypt(sealed)).toEqual({ plain: 'x', shouldReEncrypt: true });
    expect(ss.calls).toEqual(['encrypt', 'decrypt']);
    await expect(cipher.decrypt(`v1.ss.${Buffer.from('zzz').toString('base64')}`)).rejects.toMatchObject({
      code: 'vault/decrypt_failed',
    });
  });

  it('maps basic_text on Linux and refuses to work before the app is ready', async () => {
    expect(
      (await SafeStorageCipher.create(fakeSafeStorage({ backend: 'basic_text' }), () => true, 'linux')).backend,
    ).toBe('basic-text');
    expect((await SafeStorageCipher.create(fakeSafeStorage({ available: false }), () => true, 'win32')).backend).toBe(
      'unavailable',
    );
    await expect(SafeStorageCipher.create(fakeSafeStorage(), () => false, 'linux')).rejects.toMatchObject({
      code: 'vault/unavailable',
    });
    let ready = true;
    const cipher = await SafeStorageCipher.create(fakeSafeStorage(), () => ready, 'linux');
    ready = false;
    await expect(cipher.encrypt('x')).rejects.toMatchObject({ code: 'vault/unavailable' });
  });

  it('says what went wrong in a DecryptError, and refuses to seal without a keychain', async () => {
    const cipher = await SafeStorageCipher.create(fakeSafeStorage(), () => true, 'darwin');
    const error = await cipher.decrypt(`v1.ss.${Buffer.from('zzz').toString('base64')}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecryptError);
    expect((error as DecryptError).problem).toBe(
      'A stored secret could not be decrypted: the system keychain changed or this profile came from another computer.',
    );
    expect((error as DecryptError).message).toBe(`${(error as DecryptError).problem} Sign in to this org again.`);
    const none = await SafeStorageCipher.create(fakeSafeStorage({ available: false }), () => true, 'darwin');
    await expect(none.encrypt('x')).rejects.toMatchObject({ code: 'vault/unavailable' });
    await expect(none.decrypt(await cipher.encrypt('x'))).rejects.toMatchObject({ code: 'vault/unavailable' });
  });
});
