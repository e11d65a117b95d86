import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AesGcmCipher } from '../../main/vault/aes-gcm-cipher';
import type { Cipher } from '../../main/vault/cipher';
import type { StoreFactory } from '../../main/vault/metadata-store';
import { Vault } from '../../main/vault/vault';

/**
 * The production store factory itself (real electron-store; the node test project resolves `electron` to
 * test/fakes/electron-for-store.ts), so file name, schema, migrations and recovery are the app's. Loaded on
 * first use, so a suite that only needs tempDir/TEST_KEY (test/e2e/storage.test.ts) never loads electron-store,
 * and with it `electron`, whatever that project resolves `electron` to.
 */
export async function storeFactory(): Promise<StoreFactory> {
  return (await import('../../main/vault/electron-store-adapter')).electronStoreFactory;
}

export const TEST_KEY = randomBytes(32);

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sfti-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function openTestVault(
  dir: string,
  cipher: Cipher = new AesGcmCipher(TEST_KEY),
  now?: () => number,
): Promise<Vault> {
  return Vault.open({ dataDir: dir, cipher, storeFactory: await storeFactory(), ...(now ? { now } : {}) });
}
