/**
 * Found in a security review: a write the disk refused surfaced as "internal", and the unsaved
 * profile stayed listed as if saved. Every failure here is a real one from the kernel:
 * - a directory put where the file is (the test runs as root on CI, where chmod does not stop writes;
 *   rename(2) onto a directory fails with EISDIR for root too), for the store, a token file and a folder;
 * - ENOSPC from writing /dev/full, in a store whose `set` first writes there (the real electron-store then
 *   never sees the change);
 * - EACCES from a read-only folder, when not running as root.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { AesGcmCipher } from '../support/aes-gcm-cipher';
import type { StoreFactory } from '../../main/vault/metadata-store';
import { Vault } from '../../main/vault/vault';
import {
  openTestVault,
  reopenTestVault,
  sampleMeta,
  sampleOrg,
  sampleProfile,
  storeFactory,
  tempDir,
  TEST_KEY,
} from '../support/vault';

/** Puts a (non-empty) directory where `path` is, so reading, writing or renaming onto it fails. */
async function block(path: string): Promise<() => Promise<void>> {
  const aside = `${path}.aside`;
  const had = existsSync(path);
  if (had) await rename(path, aside);
  await mkdir(join(path, 'in-the-way'), { recursive: true });
  return async () => {
    await rm(path, { recursive: true, force: true });
    if (had) await rename(aside, path);
  };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(e, 'the call should have failed').toBeInstanceOf(AppError);
  return e as AppError;
}

/** Temporary and orphaned files under the data folder (none may be left by a failed write). */
async function leftovers(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((n) => /\.tmp(-|$)/.test(n) || n.endsWith('.aside')).sort();
}

describe('a write the disk refuses', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  async function seeded(): Promise<Vault> {
    const vault = await openTestVault(dir);
    await vault.saveOrg(sampleOrg('o1'));
    await vault.saveTokens('o1', [{ meta: sampleMeta('access'), value: 'access-1' }]);
    await vault.saveProfile(sampleProfile('p1'), { clientSecret: 'secret-1' });
    return vault;
  }

  it('saving an app profile: vault/io saying what to do, not listed, its secret file rolled back', async () => {
    const vault = await seeded();
    const unblock = await block(join(dir, 'store.json'));
    const e = await failure(vault.saveProfile(sampleProfile('p2'), { clientSecret: 'secret-2' }));
    expect(e.code).toBe('vault/io');
    expect(e.message).toMatch(
      /^Could not save the app profile "App p2" \(.*store\.json\): a folder is where a file should be\. Move it away, then try again\. \[EISDIR\]$/,
    );
    expect((e.cause as NodeJS.ErrnoException).code).toBe('EISDIR');
    expect(vault.getProfile('p2')).toBeNull();
    expect(vault.listProfiles().map((p) => p.id)).toEqual(['p1']);
    expect(existsSync(join(dir, 'profiles/p2.json')), 'no orphaned secret file').toBe(false);
    // An existing profile's change is undone in memory and on disk too.
    await failure(vault.saveProfile(sampleProfile('p1', { name: 'Renamed' }), { clientSecret: 'secret-changed' }));
    expect(vault.getProfile('p1')?.name).toBe('App p1');
    expect(await vault.readProfileSecret('p1')).toBe('secret-1');
    await unblock();

    const again = await reopenTestVault(vault, dir);
    expect(again.listProfiles().map((p) => [p.id, p.name])).toEqual([['p1', 'App p1']]);
    expect(await again.readProfileSecret('p1')).toBe('secret-1');
    expect(await leftovers(dir)).toEqual([]);
    await again.close();
  });

  it('saving or deleting an org, and saving settings: vault/io, memory unchanged', async () => {
    const vault = await seeded();
    const settings = vault.settings;
    const unblock = await block(join(dir, 'store.json'));
    expect((await failure(vault.saveOrg(sampleOrg('o2')))).code).toBe('vault/io');
    expect((await failure(vault.saveOrg(sampleOrg('o1', { label: 'Renamed' })))).message).toMatch(
      /^Could not save the org "Renamed" .*Move it away, then try again\. \[EISDIR\]$/,
    );
    expect((await failure(vault.deleteOrg('o1'))).code).toBe('vault/io');
    expect((await failure(vault.setSettings({ theme: 'dark' }))).message).toMatch(/^Could not save the settings /);
    expect((await failure(vault.deleteProfile('p1'))).code).toBe('vault/io');
    expect(vault.listOrgs().map((o) => o.record.label)).toEqual(['Org o1']);
    expect(await vault.readToken('o1', 'access')).toBe('access-1');
    expect(vault.settings).toEqual(settings);
    expect(vault.listProfiles().map((p) => p.id)).toEqual(['p1']);
    await unblock();
    // Once the disk takes writes again, the same calls work.
    await vault.saveOrg(sampleOrg('o2'));
    await vault.setSettings({ theme: 'dark' });
    const again = await reopenTestVault(vault, dir);
    expect(again.listOrgs().map((o) => o.record.id)).toEqual(['o1', 'o2']);
    expect(again.settings.theme).toBe('dark');
    await again.close();
  });

  it('saving tokens: vault/io, the old tokens stay readable and listed, no temporary file left', async () => {
    const vault = await seeded();
    const unblock = await block(join(dir, 'orgs/o1.json'));
    const e = await failure(
      vault.saveTokens('o1', [{ meta: sampleMeta('access', { hint: 'new1' }), value: 'access-2' }]),
    );
    expect(e.message).toMatch(
      /^Could not save the tokens of "Org o1" \(.*o1\.json\): a folder is where a file should be\./,
    );
    expect((await failure(vault.updateTokenMeta('o1', 'access', { status: 'revoked' }))).code).toBe('vault/io');
    // Removing a token from the set (what a revocation does) is refused the same way.
    expect((await failure(vault.saveTokens('o1', []))).code).toBe('vault/io');
    expect(vault.getOrg('o1')?.tokens).toEqual([sampleMeta('access')]);
    expect(await vault.readToken('o1', 'access')).toBe('access-1');
    expect((await readdir(join(dir, 'orgs'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    await unblock();
    const again = await reopenTestVault(vault, dir);
    expect(await again.readToken('o1', 'access')).toBe('access-1');
    await again.close();
  });

  it('a folder that cannot be created (a file in its place): vault/io for the owner files', async () => {
    const vault = await openTestVault(dir);
    await vault.saveOrg(sampleOrg('o1'));
    await writeFile(join(dir, 'orgs'), 'a file where the folder should be');
    const e = await failure(vault.saveTokens('o1', [{ meta: sampleMeta('access'), value: 'access-1' }]));
    expect(e.code).toBe('vault/io');
    expect(e.message).toMatch(/\[(EEXIST|ENOTDIR)\]$/);
    expect(vault.getOrg('o1')?.tokens).toEqual([]);
    await vault.close();
  });

  it.skipIf(!existsSync('/dev/full'))(
    'a full disk (ENOSPC from /dev/full): "the disk is full. Free some space"',
    async () => {
      let full = false;
      const real = await storeFactory();
      const fillingUp: StoreFactory = (options) => {
        const store = real(options);
        return {
          get path() {
            return store.path;
          },
          get store() {
            return store.store;
          },
          set(key, value) {
            // The kernel's own ENOSPC: /dev/full accepts no byte.
            if (full) writeFileSync('/dev/full', JSON.stringify(value));
            store.set(key, value);
          },
        };
      };
      const vault = await Vault.open({ dataDir: dir, cipher: new AesGcmCipher(TEST_KEY), storeFactory: fillingUp });
      await vault.saveOrg(sampleOrg('o1'));
      full = true;
      const e = await failure(vault.saveProfile(sampleProfile('p1'), { clientSecret: 'secret-1' }));
      expect(e.code).toBe('vault/io');
      expect(e.message).toBe(
        `Could not save the app profile "App p1" (${join(dir, 'store.json')}): the disk is full. Free some space, then try again. [ENOSPC]`,
      );
      expect((await failure(vault.saveOrg(sampleOrg('o2')))).message).toMatch(/the disk is full.*\[ENOSPC\]$/);
      expect(vault.listProfiles()).toEqual([]);
      expect(vault.listOrgs().map((o) => o.record.id)).toEqual(['o1']);
      expect(existsSync(join(dir, 'profiles/p1.json'))).toBe(false);
      full = false;
      await vault.close();
    },
  );

  it.skipIf(process.getuid?.() === 0)('a read-only data folder (chmod, when not root): vault/io EACCES', async () => {
    const vault = await seeded();
    await chmod(dir, 0o500);
    await chmod(join(dir, 'orgs'), 0o500);
    try {
      const e = await failure(vault.saveTokens('o1', [{ meta: sampleMeta('access'), value: 'access-2' }]));
      expect(e.message).toMatch(/not allowed to write there\. Check the permissions of the folder.*\[EACCES\]$/);
      expect((await failure(vault.saveOrg(sampleOrg('o2')))).code).toBe('vault/io');
      expect(vault.getOrg('o2')).toBeNull();
      expect(await vault.readToken('o1', 'access')).toBe('access-1');
    } finally {
      await chmod(join(dir, 'orgs'), 0o700);
      await chmod(dir, 0o700);
    }
    await vault.close();
  });
});
