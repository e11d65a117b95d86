/**
 * Found in a security review: records were looked up in plain objects, so ids such as `__proto__`,
 * `constructor` and `toString` "existed", one save with id `__proto__` broke every later profile save and
 * left its secret file orphaned, and an import could point an org at `profileId: "toString"`.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_VERSION } from '../../main/vault/metadata-store';
import { openTestVault, reopenTestVault, sampleMeta, sampleOrg, sampleProfile, tempDir } from '../support/vault';

/** Names of Object.prototype (and the usual suspects) that are also valid ids ([A-Za-z0-9_-]). */
const PROTO_IDS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  'prototype',
];

const exportOf = (orgs: unknown[], profiles: unknown[]) =>
  JSON.stringify({ format: 'sf-token-inspector-export', version: 1, exportedAt: 'x', orgs, profiles });

const exportedOrg = (id: string, extra: Record<string, unknown> = {}) => {
  const { needsSignIn: _n, ...rest } = sampleOrg(id);
  return { ...rest, ...extra };
};

describe('ids that are prototype keys', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('never "exist" in an empty vault', async () => {
    const vault = await openTestVault(dir);
    for (const id of PROTO_IDS) {
      expect(vault.getOrg(id), id).toBeNull();
      expect(vault.getProfile(id), id).toBeNull();
      expect(() => vault.requireOrg(id), id).toThrow(expect.objectContaining({ code: 'org/not_found' }));
      expect(await vault.readToken(id, 'access'), id).toBeNull();
      expect(await vault.readProfileSecret(id), id).toBeNull();
    }
    expect(vault.listOrgs()).toEqual([]);
    expect(vault.listProfiles()).toEqual([]);
    await vault.close();
  });

  it('are ordinary ids: saving one breaks no later save and orphans nothing', async () => {
    const vault = await openTestVault(dir);
    await vault.saveProfile(sampleProfile('__proto__'), { clientSecret: 'secret-proto' });
    await vault.saveProfile(sampleProfile('p2'), { clientSecret: 'secret-p2' });
    await vault.saveProfile(sampleProfile('constructor'), { clientSecret: 'secret-constructor' });
    await vault.saveOrg(sampleOrg('toString', { profileId: '__proto__' }));
    await vault.saveTokens('toString', [{ meta: sampleMeta('access'), value: 'token-tostring' }]);
    const ids = ['__proto__', 'p2', 'constructor'];
    expect(vault.listProfiles().map((p) => p.id)).toEqual(ids);
    expect(vault.getProfile('__proto__')).toMatchObject({ name: 'App __proto__', hasSecret: true });
    expect(vault.getProfile('valueOf')).toBeNull();

    const again = await reopenTestVault(vault, dir);
    expect(again.listProfiles().map((p) => p.id)).toEqual(ids);
    expect(await Promise.all(ids.map((id) => again.readProfileSecret(id)))).toEqual([
      'secret-proto',
      'secret-p2',
      'secret-constructor',
    ]);
    expect(again.getOrg('toString')?.record.profileId).toBe('__proto__');
    expect(await again.readToken('toString', 'access')).toBe('token-tostring');
    await expect(again.deleteProfile('__proto__')).rejects.toMatchObject({ code: 'profile/in_use' });
    await again.deleteOrg('toString');
    await again.deleteProfile('__proto__');
    expect(again.listProfiles().map((p) => p.id)).toEqual(['p2', 'constructor']);
    // Every secret file on disk belongs to a listed record.
    expect((await readdir(join(dir, 'profiles'))).sort()).toEqual(['constructor.json', 'p2.json']);
    expect(await readdir(join(dir, 'orgs'))).toEqual([]);
    await again.close();
  });

  it('come back from a store file that has them as keys', async () => {
    const orgs = Object.fromEntries(['__proto__', 'constructor', 'toString', 'plain'].map((id) => [id, sampleOrg(id)]));
    const profiles = Object.fromEntries(
      ['__proto__', 'hasOwnProperty'].map((id) => [
        id,
        { ...sampleProfile(id), hasSecret: false, hasPrivateKey: false },
      ]),
    );
    await writeFile(
      join(dir, 'store.json'),
      JSON.stringify({ orgs, profiles, settings: {}, __internal__: { migrations: { version: STORE_VERSION } } }),
    );
    const vault = await openTestVault(dir);
    expect(vault.status().recovery).toBeNull();
    expect(vault.listOrgs().map((o) => o.record.id)).toEqual(['__proto__', 'constructor', 'toString', 'plain']);
    expect(vault.getOrg('__proto__')?.record).toEqual(sampleOrg('__proto__'));
    expect(vault.listProfiles().map((p) => p.id)).toEqual(['__proto__', 'hasOwnProperty']);
    await vault.saveProfile(sampleProfile('later'));
    expect((await reopenTestVault(vault, dir)).listProfiles().map((p) => p.id)).toEqual([
      '__proto__',
      'hasOwnProperty',
      'later',
    ]);
  });

  it('an import cannot point an org at a prototype key; prototype-key ids import as ordinary ids', async () => {
    const vault = await openTestVault(dir);
    const profiles = [{ ...sampleProfile('p1') }, { ...sampleProfile('hasOwnProperty') }];
    const orgs = [
      exportedOrg('o1', { profileId: 'toString' }),
      exportedOrg('o2', { profileId: '__proto__' }),
      exportedOrg('o3', { profileId: 'constructor' }),
      exportedOrg('o4', { profileId: 'p1' }),
      exportedOrg('o5', { profileId: 'hasOwnProperty' }),
      exportedOrg('o6', { profileId: '../../etc/passwd' }),
    ];
    const report = await vault.importData(exportOf(orgs, profiles));
    expect(report).toEqual({ imported: 8, skipped: [] });
    expect(['o1', 'o2', 'o3', 'o4', 'o5', 'o6'].map((id) => vault.getOrg(id)?.record.profileId)).toEqual([
      null,
      null,
      null,
      'p1',
      'hasOwnProperty',
      null,
    ]);

    // A second file: an entry with id __proto__ is a new profile, and saves after it still work.
    const second = await vault.importData(exportOf([exportedOrg('constructor')], [sampleProfile('__proto__')]));
    expect(second).toEqual({ imported: 2, skipped: [] });
    await vault.saveProfile(sampleProfile('after'), { clientSecret: 'x' });
    const again = await reopenTestVault(vault, dir);
    expect(again.listProfiles().map((p) => p.id)).toEqual(['p1', 'hasOwnProperty', '__proto__', 'after']);
    expect(again.getOrg('constructor')?.record).toMatchObject({ id: 'constructor', needsSignIn: true });
    await again.close();
  });
});
