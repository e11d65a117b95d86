import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { NO_EVIDENCE } from '../../preload/token-status';
import { AesGcmCipher } from './aes-gcm-cipher';
import type { Cipher } from '../../main/vault/cipher';
import type { StoreFactory } from '../../main/vault/metadata-store';
import type { AppProfileRecord, OrgRecord, TokenMeta } from '../../main/vault/records';
import { LOCK_FILE } from '../../main/vault/lock';
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

/**
 * A restart: closes `vault` (which finishes its writes and releases the data folder's lock) and opens its
 * folder again. Only one vault may have a folder open at a time.
 */
export async function reopenTestVault(
  vault: Vault,
  dir: string,
  cipher: Cipher = new AesGcmCipher(TEST_KEY),
  now?: () => number,
): Promise<Vault> {
  await vault.close();
  return openTestVault(dir, cipher, now);
}

/** Opens `dir`, runs `look` on the vault, and closes it again (for a look at what a restart would see). */
export async function peekTestVault<T>(
  dir: string,
  look: (vault: Vault) => T | Promise<T>,
  cipher: Cipher = new AesGcmCipher(TEST_KEY),
): Promise<T> {
  const vault = await openTestVault(dir, cipher);
  try {
    return await look(vault);
  } finally {
    await vault.close();
  }
}

/**
 * What a restart would see now, while a vault keeps `dir` open: a copy of the folder (without its lock file)
 * is opened, `look` runs on it, and the copy is removed.
 */
export async function snapshotTestVault<T>(
  dir: string,
  look: (vault: Vault) => T | Promise<T>,
  cipher: Cipher = new AesGcmCipher(TEST_KEY),
): Promise<T> {
  const copy = await tempDir();
  try {
    await cp(dir, copy.dir, { recursive: true, filter: (path) => basename(path) !== LOCK_FILE });
    return await peekTestVault(copy.dir, look, cipher);
  } finally {
    await copy.cleanup();
  }
}

/** An org as the app saves one (Salesforce-looking values), with `extra` on top. */
export function sampleOrg(id: string, extra: Partial<OrgRecord> = {}): OrgRecord {
  return {
    id,
    label: `Org ${id}`,
    orgId: '00D5g000004XYZAEA4',
    userId: '0055g00000AbCdEAAV',
    username: `user@${id}.example`,
    displayName: 'Test User',
    instanceUrl: 'https://acme.my.salesforce.com',
    identityUrl: null,
    myDomain: 'https://acme.my.salesforce.com',
    loginHost: 'https://login.salesforce.com',
    orgType: 'production',
    color: null,
    group: null,
    pinned: false,
    profileId: null,
    needsSignIn: false,
    grant: 'authorization_code',
    audience: null,
    addedAt: 1,
    updatedAt: 1,
    ...extra,
  };
}

/** An app profile's fields as `saveProfile` takes them. */
export function sampleProfile(
  id: string,
  extra: Partial<AppProfileRecord> = {},
): Omit<AppProfileRecord, 'hasSecret' | 'hasPrivateKey'> {
  return {
    id,
    name: `App ${id}`,
    kind: 'connected-app',
    consumerKey: `key-${id}`,
    callbackUrl: 'http://localhost:1717/OauthRedirect',
    scopes: ['api'],
    ...extra,
  };
}

export function sampleMeta(kind: TokenMeta['kind'], extra: Partial<TokenMeta> = {}): TokenMeta {
  return {
    kind,
    format: 'opaque',
    scopes: ['api'],
    issuedAt: 1,
    expiresAt: null,
    status: 'active',
    lastCheckedAt: null,
    hint: 'abcd',
    evidence: NO_EVIDENCE,
    ...extra,
  };
}
