import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { AesGcmCipher } from '../../main/vault/aes-gcm-cipher';
import type { Cipher } from '../../main/vault/cipher';
import type { StoreFactory } from '../../main/vault/metadata-store';
import { Vault } from '../../main/vault/vault';

/** The real `conf` store (electron-store's Node core), in a temp folder. */
export const confFactory: StoreFactory = (options) => new Conf(options);

export const TEST_KEY = randomBytes(32);

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sfti-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function openTestVault(
  dir: string,
  cipher: Cipher = new AesGcmCipher(TEST_KEY),
  now?: () => number,
): Promise<Vault> {
  return Vault.open({ dataDir: dir, cipher, storeFactory: confFactory, ...(now ? { now } : {}) });
}
