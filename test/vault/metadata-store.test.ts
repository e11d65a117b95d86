/**
 * The metadata store through the production factory (real electron-store 11 over conf; `electron` is
 * test/fakes/electron-for-store.ts): the file it writes, and start-up with a damaged file of every kind.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ElectronStore from 'electron-store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronStoreFactory } from '../../main/vault/electron-store-adapter';
import { AppError } from '../../main/errors';
import { KeyedQueue } from '../../main/vault/atomic-file';
import {
  MetadataStore,
  OPTIONS,
  openMetadataStore,
  precheckStoreFile,
  STORE_SCHEMA,
  STORE_VERSION,
} from '../../main/vault/metadata-store';
import { DEFAULT_SETTINGS, type AppProfileRecord, type OrgRecord, type TokenMeta } from '../../main/vault/records';
import type { Vault } from '../../main/vault/vault';
import { openTestVault, reopenTestVault, storeFactory, tempDir, sampleMeta, sampleOrg } from '../support/vault';

const ACCESS = '00D5g000004XYZA!AQ_metadata_store_test_access_token_value_0001';

const org = sampleOrg;

function profile(id: string): AppProfileRecord {
  return {
    id,
    name: `App ${id}`,
    kind: 'connected-app',
    consumerKey: `key-${id}`,
    hasSecret: false,
    hasPrivateKey: false,
    callbackUrl: 'http://localhost:1717/OauthRedirect',
    scopes: ['api'],
  };
}

const accessMeta: TokenMeta = sampleMeta('access');

/** A store file as electron-store writes it at the current version. */
function storeFile(content: Record<string, unknown>): string {
  return JSON.stringify({ ...content, __internal__: { migrations: { version: STORE_VERSION } } }, undefined, '\t');
}

const FIXED_NOW = () => Date.UTC(2025, 0, 2, 3, 4, 5, 6);

describe('metadata store through electron-store', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  const storePath = () => join(dir, 'store.json');
  const asides = async () => (await readdir(dir)).filter((n) => n.startsWith('store.corrupt-')).sort();
  const open = (now?: () => number) => openMetadataStore(dir, electronStoreFactory, now);

  /** Writes `content` as store.json, opens the vault and checks the original was kept byte-for-byte. */
  async function openDamaged(content: string | Buffer): Promise<{ vault: Vault; recovery: string; aside: string }> {
    await writeFile(storePath(), content);
    const vault = await openTestVault(dir);
    const recovery = vault.status().recovery ?? '';
    const [aside, ...more] = await asides();
    expect(more).toEqual([]);
    expect(aside, 'the original is kept aside').toBeDefined();
    expect(await readFile(join(dir, aside!))).toEqual(Buffer.isBuffer(content) ? content : Buffer.from(content));
    expect(recovery).toContain(`kept as ${join(dir, aside!)}.`);
    return { vault, recovery, aside: aside! };
  }

  it('is the production factory: electron-store itself, writing store.json (not config.json)', async () => {
    expect(await storeFactory()).toBe(electronStoreFactory);
    const { conf } = open();
    expect(conf).toBeInstanceOf(ElectronStore);
    expect(conf.path).toBe(storePath());
    const vault = await openTestVault(dir);
    await vault.saveOrg(org('a'));
    expect((await readdir(dir)).filter((n) => n.endsWith('.json'))).toEqual(['store.json']);
    const onDisk = JSON.parse(await readFile(storePath(), 'utf8'));
    expect(onDisk.orgs.a).toEqual(org('a'));
    expect(onDisk.__internal__).toEqual({ migrations: { version: STORE_VERSION } });
    expect((await reopenTestVault(vault, dir)).getOrg('a')?.record).toEqual(org('a'));
  });

  it('moves a truncated store.json aside byte-for-byte and starts on a fresh store.json', async () => {
    const vault = await openTestVault(dir);
    await vault.saveOrg(org('a'));
    await vault.close();
    const text = await readFile(storePath(), 'utf8');
    const { vault: again, recovery } = await openDamaged(text.slice(0, Math.floor(text.length / 2)));
    expect(again.listOrgs()).toEqual([]);
    expect(recovery).toMatch(/^The org list could not be read \(the file is damaged\)/);
    // electron-store reads and writes store.json again.
    await again.saveOrg(org('b'));
    expect(JSON.parse(await readFile(storePath(), 'utf8')).orgs.b).toEqual(org('b'));
    expect((await reopenTestVault(again, dir)).listOrgs().map((o) => o.record.id)).toEqual(['b']);
  });

  it('moves a store.json that is not JSON at all aside and starts', async () => {
    const { vault, recovery } = await openDamaged('\u0000\u0001 not json');
    expect(vault.listOrgs()).toEqual([]);
    expect(recovery).toMatch(/could not be read/);
    expect(existsSync(storePath())).toBe(true);
  });

  it('starts from {"orgs":[],"profiles":"x"}: both lists of the wrong type are left out, settings kept', async () => {
    const content = JSON.stringify({ orgs: [], profiles: 'x', settings: { ...DEFAULT_SETTINGS, theme: 'dark' } });
    const { vault, recovery } = await openDamaged(content);
    expect(vault.listOrgs()).toEqual([]);
    expect(vault.listProfiles()).toEqual([]);
    expect(vault.settings.theme).toBe('dark');
    expect(recovery).toMatch(
      /left out: the whole org list, the whole app profile list\. Everything else was recovered\./,
    );
    expect(JSON.parse(await readFile(storePath(), 'utf8'))).toMatchObject({ orgs: {}, profiles: {} });
    await vault.saveOrg(org('new'));
    expect((await reopenTestVault(vault, dir)).listOrgs().map((o) => o.record.id)).toEqual(['new']);
  });

  it('drops only an org without an id (which electron-store itself would refuse) and keeps the rest', async () => {
    const vault = await openTestVault(dir);
    await vault.saveOrg(org('good'));
    await vault.saveTokens('good', [{ meta: accessMeta, value: ACCESS }]);
    const { id: _id, ...noId } = org('noid');
    await vault.close();
    const store = JSON.parse(await readFile(storePath(), 'utf8'));
    store.orgs.noid = noId;
    const { vault: again, recovery } = await openDamaged(JSON.stringify(store));
    expect(again.listOrgs().map((o) => o.record)).toEqual([org('good')]);
    expect(await again.readToken('good', 'access')).toBe(ACCESS);
    expect(recovery).toMatch(/^Some saved data was damaged and was left out: org "noid"\. Everything else/);
  });

  it('keeps the original aside too when only the full record check drops something', async () => {
    const content = storeFile({
      orgs: { a: org('a'), odd: { ...org('odd'), orgType: 'mainframe' } },
      settings: { ...DEFAULT_SETTINGS, theme: 'sepia' },
    });
    const { vault, recovery } = await openDamaged(content);
    expect(vault.listOrgs().map((o) => o.record)).toEqual([org('a')]);
    expect(vault.settings).toEqual(DEFAULT_SETTINGS);
    expect(recovery).toMatch(/left out: org "odd", the settings \(the defaults are used\)\./);
  });

  it('keeps every good notification of a damaged history, and says the history was damaged', async () => {
    const good = { at: 1, orgId: 'a', orgLabel: 'Acme', cause: 'refresh-dead', text: 'Acme: the refresh token…' };
    const content = storeFile({
      orgs: { a: org('a') },
      notifications: { entries: [good, { ...good, cause: 'made-up' }, 'x'], said: ['a:refresh-dead:abcd:1', 7] },
    });
    const { vault, recovery } = await openDamaged(content);
    expect(vault.notifications).toEqual({ entries: [good], said: ['a:refresh-dead:abcd:1'] });
    expect(vault.listOrgs().map((o) => o.record)).toEqual([org('a')]);
    expect(recovery).toMatch(/left out: the notification history\./);
  });

  it('starts an empty notification history when the field is not an object', async () => {
    const { vault, recovery } = await openDamaged(storeFile({ orgs: { a: org('a') }, notifications: [1, 2] }));
    expect(vault.notifications).toEqual({ entries: [], said: [] });
    expect(recovery).toMatch(/the notification history/);
  });

  it('drops only an app profile without a consumerKey and keeps the other profiles', async () => {
    const { consumerKey: _key, ...noKey } = profile('nokey');
    const content = storeFile({ orgs: { a: org('a') }, profiles: { ok: profile('ok'), nokey: noKey } });
    const { vault, recovery } = await openDamaged(content);
    expect(vault.listProfiles()).toEqual([profile('ok')]);
    expect(vault.listOrgs().map((o) => o.record)).toEqual([org('a')]);
    expect(recovery).toMatch(/left out: app profile "nokey"\./);
  });

  it('drops records that are null (or not objects) and keeps the rest', async () => {
    const content = storeFile({
      orgs: { a: org('a'), gone: null, text: 'org', list: [org('list')] },
      profiles: { p: profile('p'), empty: null },
      settings: DEFAULT_SETTINGS,
    });
    const { vault, recovery } = await openDamaged(content);
    expect(vault.listOrgs().map((o) => o.record)).toEqual([org('a')]);
    expect(vault.listProfiles()).toEqual([profile('p')]);
    expect(recovery).toMatch(/left out: org "gone", org "text", org "list", app profile "empty"\./);
  });

  it('loses nothing that was valid: every other org, profile, token and setting comes back unchanged', async () => {
    const vault = await openTestVault(dir);
    for (const id of ['o1', 'o2', 'o3']) {
      await vault.saveOrg(org(id, { label: `Label ${id}`, pinned: id === 'o2', group: 'Team' }));
      await vault.saveTokens(id, [{ meta: accessMeta, value: `${ACCESS}-${id}` }]);
    }
    for (const id of ['p1', 'p2']) await vault.saveProfile(profile(id), { clientSecret: `secret-${id}` });
    await vault.setSettings({ theme: 'light', defaultScopes: ['api'], weakStorageOptIn: true });
    const before = { orgs: vault.listOrgs(), profiles: vault.listProfiles(), settings: vault.settings };
    await vault.close();

    const store = JSON.parse(await readFile(storePath(), 'utf8'));
    store.orgs.broken = null;
    store.orgs.nolabel = { id: 'nolabel' };
    store.profiles.broken = 7;
    const { vault: again } = await openDamaged(JSON.stringify(store));
    expect(again.listOrgs()).toEqual(before.orgs);
    expect(again.listProfiles()).toEqual(before.profiles);
    expect(again.settings).toEqual(before.settings);
    for (const id of ['o1', 'o2', 'o3']) expect(await again.readToken(id, 'access')).toBe(`${ACCESS}-${id}`);
    for (const id of ['p1', 'p2']) expect(await again.readProfileSecret(id)).toBe(`secret-${id}`);
    // And the cleaned file is what reopens, with no second recovery.
    const third = await reopenTestVault(again, dir);
    expect(third.listOrgs()).toEqual(before.orgs);
    expect(third.status().recovery).toBeNull();
  });

  it('keeps the damaged original byte-for-byte, odd bytes and layout included', async () => {
    const { id: _id, ...noId } = org('x');
    const head = Buffer.from(`{ "orgs" : {\r\n  "a": ${JSON.stringify(org('a'))},\r\n  "x": ${JSON.stringify(noId)}`);
    // A byte that is not UTF-8 in a label: reading the file as text and writing it back would change it.
    const odd = Buffer.from([0x2c, 0x20, 0x22, 0x7a, 0x22, 0x3a, 0x20, 0x22, 0xff, 0xfe, 0x22]);
    const content = Buffer.concat([head, odd, Buffer.from(' } , "profiles": {} }\n')]);
    const { vault } = await openDamaged(content);
    expect(vault.listOrgs().map((o) => o.record.id)).toEqual(['a']);
  });

  it('never overwrites an earlier kept original when two recoveries happen in the same millisecond', async () => {
    await writeFile(storePath(), '{"orgs":');
    open(FIXED_NOW);
    await writeFile(storePath(), '{"profiles":');
    open(FIXED_NOW);
    const kept = await asides();
    expect(kept).toHaveLength(2);
    expect(await Promise.all(kept.map((n) => readFile(join(dir, n), 'utf8')))).toEqual(
      expect.arrayContaining(['{"orgs":', '{"profiles":']),
    );
  });

  it('adopts a config.json left by an earlier build when there is no store.json', async () => {
    const legacy = storeFile({ orgs: { old: org('old') }, profiles: { p: profile('p') } });
    await writeFile(join(dir, 'config.json'), legacy);
    const vault = await openTestVault(dir);
    expect(vault.listOrgs().map((o) => o.record)).toEqual([org('old')]);
    expect(vault.listProfiles()).toEqual([profile('p')]);
    expect(vault.status().recovery).toBeNull();
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
    expect(JSON.parse(await readFile(storePath(), 'utf8')).orgs.old).toEqual(org('old'));
  });

  it('leaves config.json alone when store.json already exists', async () => {
    await writeFile(storePath(), storeFile({ orgs: { current: org('current') } }));
    await writeFile(join(dir, 'config.json'), storeFile({ orgs: { old: org('old') } }));
    const vault = await openTestVault(dir);
    expect(vault.listOrgs().map((o) => o.record.id)).toEqual(['current']);
    expect(existsSync(join(dir, 'config.json'))).toBe(true);
  });

  it('runs the 1.1.0 migration on a 1.0.0 store, with odd records beside the legacy org', async () => {
    const old: Partial<OrgRecord> = org('legacy');
    delete old.needsSignIn;
    delete old.identityUrl;
    const content = JSON.stringify({
      orgs: { legacy: old, gone: null, text: 'org' },
      profiles: {},
      settings: {},
      __internal__: { migrations: { version: '1.0.0' } },
    });
    const { vault, recovery } = await openDamaged(content);
    expect(vault.getOrg('legacy')?.record).toEqual(org('legacy'));
    expect(recovery).toMatch(/left out: org "gone", org "text"\./);
    const onDisk = JSON.parse(await readFile(storePath(), 'utf8'));
    expect(onDisk.__internal__.migrations.version).toBe(STORE_VERSION);
    expect(onDisk.orgs.legacy).toMatchObject({ needsSignIn: false, identityUrl: null });
  });

  it('runs the 1.1.0 migration on a clean 1.0.0 store with no recovery', async () => {
    const old: Partial<OrgRecord> = org('legacy');
    delete old.needsSignIn;
    delete old.identityUrl;
    await writeFile(
      storePath(),
      JSON.stringify({ orgs: { legacy: old }, __internal__: { migrations: { version: '1.0.0' } } }),
    );
    const vault = await openTestVault(dir);
    expect(vault.getOrg('legacy')?.record).toEqual(org('legacy'));
    expect(vault.status().recovery).toBeNull();
    expect(await asides()).toEqual([]);
  });

  it('starts when the record of migrations is garbage, and runs them again', async () => {
    const old: Partial<OrgRecord> = org('legacy');
    delete old.needsSignIn;
    const content = JSON.stringify({ orgs: { legacy: old }, __internal__: { migrations: { version: 'garbage' } } });
    const { vault, recovery } = await openDamaged(content);
    expect(vault.getOrg('legacy')?.record).toEqual(org('legacy'));
    expect(recovery).toMatch(/the record of which migrations ran/);
    expect(JSON.parse(await readFile(storePath(), 'utf8')).__internal__.migrations.version).toBe(STORE_VERSION);
  });
});

describe('store rules', () => {
  const migrate = (orgs: unknown): unknown => {
    const data: Record<string, unknown> = { orgs };
    const store = { get: (key: string) => data[key], set: (key: string, value: unknown) => (data[key] = value) };
    OPTIONS('/nowhere').migrations['1.1.0']!(store);
    return data['orgs'];
  };

  it('the 1.1.0 migration survives odd records and fills in only real org objects', () => {
    for (const odd of [undefined, null, 'x', 7, [], [null], ['org']]) expect(() => migrate(odd)).not.toThrow();
    expect(migrate({ a: { id: 'a' }, n: null, s: 'org', l: [1] })).toEqual({
      a: { id: 'a', needsSignIn: false, identityUrl: null },
      n: null,
      s: 'org',
      l: [1],
    });
  });

  // The same checker electron-store uses (conf compiles the schema with Ajv 2020, allErrors).
  const validate = new Ajv2020({ allErrors: true }).compile({ type: 'object', properties: STORE_SCHEMA });
  const samples: unknown[] = [
    { orgs: [], profiles: 'x' },
    { orgs: null, profiles: 1, settings: [] },
    { orgs: { a: { id: 'a', label: 'A' }, b: { label: 'B' }, c: null, d: [], e: 'x' } },
    { profiles: { p: { id: 'p', consumerKey: 'k' }, q: { id: 'q' }, r: { consumerKey: 'k' } }, settings: 'dark' },
    { settings: { theme: 'dark' }, other: [1], __internal__: { migrations: { version: '1.0.0' } } },
    {},
  ];

  it('the pre-check leaves out exactly what the JSON schema given to electron-store rejects', () => {
    for (const sample of samples) {
      const raw = sample as Record<string, unknown>;
      const { cleaned, left } = precheckStoreFile(raw);
      expect(validate(cleaned), JSON.stringify(sample)).toBe(true);
      expect(left.length === 0, JSON.stringify(sample)).toBe(validate(structuredClone(raw)));
    }
  });

  it('the pre-check keeps what it does not judge, __internal__ included', () => {
    const raw = { settings: { theme: 'dark' }, other: [1], __internal__: { migrations: { version: '1.0.0' } } };
    expect(precheckStoreFile(raw)).toEqual({ cleaned: raw, left: [] });
  });
});

describe('metadata store changes', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  const openStore = () =>
    new MetadataStore(openMetadataStore(dir, electronStoreFactory), new KeyedQueue(), async () => {});

  it('runs changes in call order, each planned on the latest state, and writes them to store.json', async () => {
    const store = openStore();
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        store.change(`the org "${id}"`, () => ({ field: 'orgs', value: new Map(store.orgs).set(id, org(id)) })),
      ),
    );
    expect([...store.orgs.keys()]).toEqual(['a', 'b', 'c']);
    expect(Object.keys(JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')).orgs)).toEqual(['a', 'b', 'c']);
    await store.change('the settings', () => ({ field: 'settings', value: { ...store.settings, theme: 'dark' } }));
    expect(openStore().settings.theme).toBe('dark');
  });

  it('writes nothing for a plan without change, and changes no memory when the write fails', async () => {
    const store = openStore();
    const before = await readFile(join(dir, 'store.json'), 'utf8');
    await store.change('nothing', () => null);
    expect(await readFile(join(dir, 'store.json'), 'utf8')).toBe(before);
    const refusing = new MetadataStore(openMetadataStore(dir, electronStoreFactory), new KeyedQueue(), async () => {
      throw new AppError('vault/unavailable', 'closing');
    });
    await expect(
      refusing.change('the org "a"', () => ({ field: 'orgs', value: new Map([['a', org('a')]]) })),
    ).rejects.toMatchObject({ code: 'vault/unavailable' });
    expect(refusing.orgs.size).toBe(0);
  });
});
