/**
 * What a crash between two writes can leave, made by hand exactly as the first of the two writes leaves it,
 * and what the next open does with it (the random-kill version is crash.test.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AesGcmCipher } from '../support/aes-gcm-cipher';
import {
  openTestVault,
  reopenTestVault,
  sampleMeta,
  sampleOrg,
  sampleProfile,
  tempDir,
  TEST_KEY,
} from '../support/vault';

describe('the next open after a crash between two writes', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  const store = async () => JSON.parse(await readFile(join(dir, 'store.json'), 'utf8'));
  const setStore = async (content: unknown) => writeFile(join(dir, 'store.json'), JSON.stringify(content));

  async function twoOrgs() {
    const vault = await openTestVault(dir);
    for (const id of ['gone', 'kept']) {
      await vault.saveOrg(sampleOrg(id));
      await vault.saveTokens(id, [{ meta: sampleMeta('access'), value: `access-${id}` }]);
    }
    await vault.close();
  }

  it('an org removal stopped after its token file was set aside: the org is back, tokens and all', async () => {
    await twoOrgs();
    await rename(join(dir, 'orgs/gone.json'), join(dir, 'orgs/gone.json.deleted'));
    const again = await openTestVault(dir);
    expect(again.listOrgs().map((o) => o.record.id)).toEqual(['gone', 'kept']);
    expect(await again.readToken('gone', 'access')).toBe('access-gone');
    expect((await readdir(join(dir, 'orgs'))).sort()).toEqual(['gone.json', 'kept.json']);
    await again.close();
  });

  it('an org removal stopped after the org left the list: its token file is removed (no orphan)', async () => {
    await twoOrgs();
    await rename(join(dir, 'orgs/gone.json'), join(dir, 'orgs/gone.json.deleted'));
    const content = await store();
    delete content.orgs.gone;
    await setStore(content);
    const again = await openTestVault(dir);
    expect(again.listOrgs().map((o) => o.record.id)).toEqual(['kept']);
    expect(await readdir(join(dir, 'orgs'))).toEqual(['kept.json']);
    expect(await again.readToken('kept', 'access')).toBe('access-kept');
    expect(again.status().recovery).toBeNull();
    await again.close();
  });

  it('a token file without its org (left by an earlier build) is removed', async () => {
    await twoOrgs();
    const content = await store();
    delete content.orgs.gone;
    await setStore(content);
    const again = await openTestVault(dir);
    expect(await readdir(join(dir, 'orgs'))).toEqual(['kept.json']);
    await again.close();
  });

  it('a new app profile stopped before it was listed: its secrets file is removed', async () => {
    const vault = await openTestVault(dir);
    await vault.saveProfile(sampleProfile('p1'), { clientSecret: 'secret-1' });
    await vault.close();
    await rename(join(dir, 'profiles/p1.json'), join(dir, 'profiles/p1.json.new'));
    const content = await store();
    delete content.profiles.p1;
    await setStore(content);
    const again = await openTestVault(dir);
    expect(again.listProfiles()).toEqual([]);
    expect(await readdir(join(dir, 'profiles'))).toEqual([]);
    await again.close();
  });

  it('a new app profile stopped after it was listed: its secrets file is moved into place', async () => {
    const vault = await openTestVault(dir);
    await vault.saveProfile(sampleProfile('p1'), { clientSecret: 'secret-1' });
    await vault.close();
    await rename(join(dir, 'profiles/p1.json'), join(dir, 'profiles/p1.json.new'));
    const again = await openTestVault(dir);
    expect(again.getProfile('p1')).toMatchObject({ hasSecret: true });
    expect(await again.readProfileSecret('p1')).toBe('secret-1');
    expect(await readdir(join(dir, 'profiles'))).toEqual(['p1.json']);
    await again.close();
  });

  it('rolls an app profile forward to its file when the record was not written yet (never half of a save)', async () => {
    const vault = await openTestVault(dir);
    await vault.saveProfile(sampleProfile('p1'));
    const oldStore = await readFile(join(dir, 'store.json'), 'utf8');
    await vault.saveProfile(sampleProfile('p1', { name: 'Renamed' }), { clientSecret: 'secret-new' });
    await vault.close();
    // The profile's file (new secret, new fields) was written; the store still has the old record.
    await writeFile(join(dir, 'store.json'), oldStore);
    const again = await openTestVault(dir);
    expect(again.getProfile('p1')).toMatchObject({ name: 'Renamed', hasSecret: true });
    expect(await again.readProfileSecret('p1')).toBe('secret-new');
    expect((await store()).profiles.p1).toMatchObject({ name: 'Renamed', hasSecret: true });
    await again.close();
  });

  it('lets hasSecret follow the secret on disk for a profile file written before fields were kept in it', async () => {
    const vault = await openTestVault(dir);
    await vault.saveProfile(sampleProfile('p1'));
    await vault.close();
    const sealed = await new AesGcmCipher(TEST_KEY).encrypt('secret-1');
    await mkdir(join(dir, 'profiles'), { recursive: true });
    await writeFile(
      join(dir, 'profiles/p1.json'),
      JSON.stringify({ v: 1, tokens: [], secrets: { clientSecret: sealed } }),
    );
    const again = await openTestVault(dir);
    expect(again.getProfile('p1')).toMatchObject({ hasSecret: true, hasPrivateKey: false });
    expect(await again.readProfileSecret('p1')).toBe('secret-1');
    await again.close();
  });

  it('removes the temporary files of writes that never finished', async () => {
    const vault = await openTestVault(dir);
    await vault.saveOrg(sampleOrg('o1'));
    await vault.saveTokens('o1', [{ meta: sampleMeta('access'), value: 'access-1' }]);
    await vault.saveProfile(sampleProfile('p1'), { clientSecret: 'secret-1' });
    await vault.close();
    const leftovers = [
      'orgs/o1.json.0123456789ab.tmp',
      'profiles/p1.json.ba9876543210.tmp',
      'store.json.tmp-1733000000123abc',
      'vault.lock.stale-0a1b2c3d4e5f',
    ];
    for (const name of leftovers)
      await writeFile(join(dir, name), '{"v":1,"tokens":[],"secrets":{"access":"v1.gcm.AAAA"}}');
    const again = await openTestVault(dir);
    for (const name of leftovers) expect(existsSync(join(dir, name)), name).toBe(false);
    expect(await again.readToken('o1', 'access')).toBe('access-1');
    await again.close();
  });

  it('keeps token files when the org list itself was damaged (its original is kept for restoring by hand)', async () => {
    const vault = await openTestVault(dir);
    await vault.saveOrg(sampleOrg('o1'));
    await vault.saveTokens('o1', [{ meta: sampleMeta('access'), value: 'access-1' }]);
    await vault.close();
    await writeFile(join(dir, 'store.json'), '{"orgs": {"o1": ');
    const again = await openTestVault(dir);
    expect(again.listOrgs()).toEqual([]);
    expect(again.status().recovery).toMatch(/kept as/);
    expect(existsSync(join(dir, 'orgs/o1.json'))).toBe(true);
    // Nor later, while the kept original is there: restoring it by hand brings the org back with its tokens.
    const third = await reopenTestVault(again, dir);
    expect(existsSync(join(dir, 'orgs/o1.json'))).toBe(true);
    await third.close();
  });
});
