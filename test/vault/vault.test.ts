import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { AesGcmCipher } from '../support/aes-gcm-cipher';
import type { Cipher } from '../../main/vault/cipher';
import type { OrgRecord } from '../../main/vault/records';
import type { Vault } from '../../main/vault/vault';
import { expectNoPlaintext, filesUnder } from '../support/files';
import {
  openTestVault,
  peekTestVault,
  reopenTestVault,
  snapshotTestVault,
  tempDir,
  TEST_KEY,
  sampleMeta,
  sampleOrg,
} from '../support/vault';

const ACCESS = '00D5g000004XYZA!AQ_access_token_value_that_must_never_be_on_disk_1234';
const REFRESH = '5Aep861_refresh_token_value_that_must_never_be_on_disk_5678';

const org = sampleOrg;

const meta = sampleMeta;

async function saveSample(vault: Vault, id = 'org1'): Promise<void> {
  await vault.saveOrg(org(id));
  await vault.saveTokens(id, [
    { meta: meta('access'), value: ACCESS },
    { meta: meta('refresh'), value: REFRESH },
  ]);
}

describe('vault', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('survives a restart: a new instance reads back orgs, token metadata and tokens', async () => {
    const vault = await openTestVault(dir);
    await saveSample(vault);
    const again = await reopenTestVault(vault, dir);
    expect(again.listOrgs()).toHaveLength(1);
    expect(again.getOrg('org1')?.tokens.map((t) => t.kind)).toEqual(['access', 'refresh']);
    expect(await again.readToken('org1', 'access')).toBe(ACCESS);
    expect(await again.readToken('org1', 'refresh')).toBe(REFRESH);
    expect(again.status()).toMatchObject({ persistent: true, recovery: null, banner: null });
  });

  it('never writes a token in plain text, and every file is mode 0600', async () => {
    const vault = await openTestVault(dir);
    await saveSample(vault);
    await vault.saveProfile(
      {
        id: 'p1',
        name: 'App',
        kind: 'connected-app',
        consumerKey: 'key',
        callbackUrl: 'http://localhost:1717/OauthRedirect',
        scopes: ['api'],
      },
      { clientSecret: 'client-secret-value-xyz' },
    );
    await expectNoPlaintext(dir, [ACCESS, REFRESH, 'client-secret-value-xyz', ACCESS.split('!')[1]!]);
    for (const { path } of await filesUnder(dir)) expect((await stat(path)).mode & 0o777, path).toBe(0o600);
    expect(await vault.readProfileSecret('p1')).toBe('client-secret-value-xyz');
  });

  it('keeps an org whose token cannot be decrypted (wrong key), marking it needs sign-in', async () => {
    const vault = await openTestVault(dir);
    await saveSample(vault);
    const other = await reopenTestVault(vault, dir, new AesGcmCipher(randomBytes(32)));
    const error = await other.readToken('org1', 'access').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('org/needs_sign_in');
    expect((error as AppError).message).not.toContain(ACCESS);
    // The cipher's typed `problem`, with the advice of this call (never the cipher's advice edited out).
    expect((error as AppError).message).toBe(
      'A stored secret could not be decrypted with this key. Re-authenticate this org to get new tokens.',
    );
    expect(other.getOrg('org1')?.record).toMatchObject({ label: 'Org org1', needsSignIn: true });
    await other.close();
    expect(
      await peekTestVault(dir, (v) => v.getOrg('org1')?.record.needsSignIn, new AesGcmCipher(randomBytes(32))),
    ).toBe(true);
  });

  it('re-encrypts a secret when the cipher asks for it', async () => {
    const inner = new AesGcmCipher(TEST_KEY);
    let ask = false;
    let encryptions = 0;
    const rotating: Cipher = {
      backend: 'os-keychain',
      encrypt: (p) => (encryptions++, inner.encrypt(p)),
      decrypt: async (s) => ({ ...(await inner.decrypt(s)), shouldReEncrypt: ask }),
    };
    const first = await openTestVault(dir, rotating);
    await saveSample(first);
    const before = await readFile(join(dir, 'orgs/org1.json'), 'utf8');
    ask = true;
    const vault = await reopenTestVault(first, dir, rotating);
    encryptions = 0;
    expect(await vault.readToken('org1', 'access')).toBe(ACCESS);
    expect(encryptions).toBe(1);
    expect(await readFile(join(dir, 'orgs/org1.json'), 'utf8')).not.toBe(before);
  });

  it('with basic_text (no keyring) keeps secrets for the session only, says so, and writes them after opt-in', async () => {
    const inner = new AesGcmCipher(TEST_KEY);
    const basic: Cipher = { backend: 'basic-text', encrypt: (p) => inner.encrypt(p), decrypt: (s) => inner.decrypt(s) };
    const vault = await openTestVault(dir, basic);
    await saveSample(vault);
    expect(await vault.readToken('org1', 'access')).toBe(ACCESS);
    expect(vault.status()).toMatchObject({
      persistent: false,
      banner: expect.stringMatching(/only until you quit.*keyring/),
    });
    expect(JSON.parse(await readFile(join(dir, 'orgs/org1.json'), 'utf8')).secrets).toEqual({});
    // A restart sees none of them (this vault keeps the session going).
    expect(await snapshotTestVault(dir, (v) => v.readToken('org1', 'access'), basic)).toBeNull();

    await vault.setSettings({ weakStorageOptIn: true });
    expect(vault.status()).toMatchObject({ persistent: true, weakStorageOptIn: true });
    expect(Object.keys(JSON.parse(await readFile(join(dir, 'orgs/org1.json'), 'utf8')).secrets)).toEqual([
      'access',
      'refresh',
    ]);
  });

  it('loses nothing under 50 concurrent writes to the same org', async () => {
    const vault = await openTestVault(dir);
    await saveSample(vault);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        vault.updateTokenMeta('org1', i % 2 ? 'access' : 'refresh', { lastCheckedAt: i }),
      ),
    );
    const checked = (v: Vault) => v.getOrg('org1')?.tokens.map((t) => [t.kind, t.lastCheckedAt]);
    expect(await snapshotTestVault(dir, checked)).toEqual([
      ['access', 49],
      ['refresh', 48],
    ]);
    await Promise.all([
      vault.saveTokens('org1', [
        { meta: meta('access', { hint: 'new1' }), value: 'new-access' },
        { meta: meta('refresh'), value: null },
      ]),
      vault.updateTokenMeta('org1', 'refresh', { status: 'unknown' }),
    ]);
    const again = await reopenTestVault(vault, dir);
    expect(await again.readToken('org1', 'access')).toBe('new-access');
    expect(await again.readToken('org1', 'refresh')).toBe(REFRESH);
    expect(again.getOrg('org1')?.tokens.find((t) => t.kind === 'refresh')?.status).toBe('unknown');
    expect((await readdir(join(dir, 'orgs'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    ['truncated JSON', (text: string) => text.slice(0, Math.floor(text.length / 2))],
    ['invalid JSON', () => '{ this is not json'],
    ['the wrong shape', () => '[1,2,3]'],
  ])('moves a store file with %s aside, keeps it, and starts', async (_name, damage) => {
    const first = await openTestVault(dir);
    await saveSample(first);
    await first.close();
    const original = await readFile(join(dir, 'store.json'), 'utf8');
    await writeFile(join(dir, 'store.json'), damage(original));
    const vault = await openTestVault(dir);
    expect(vault.listOrgs()).toEqual([]);
    expect(vault.status().recovery).toMatch(/kept as .*store\.corrupt-.*\.json/);
    const aside = (await readdir(dir)).filter((n) => n.startsWith('store.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, aside[0]!), 'utf8')).toBe(damage(original));
  });

  it('drops only the records that violate the schema and reports them', async () => {
    const vault = await openTestVault(dir);
    await saveSample(vault, 'good');
    await saveSample(vault, 'bad');
    const store = JSON.parse(await readFile(join(dir, 'store.json'), 'utf8'));
    store.orgs.bad.orgType = 'mainframe';
    await vault.close();
    await writeFile(join(dir, 'store.json'), JSON.stringify(store));
    const again = await openTestVault(dir);
    expect(again.listOrgs().map((o) => o.record.id)).toEqual(['good']);
    expect(again.status().recovery).toMatch(/org "bad"/);
    expect(await again.readToken('good', 'access')).toBe(ACCESS);
  });

  it('moves a damaged token file aside and marks only that org needs sign-in', async () => {
    const vault = await openTestVault(dir);
    await saveSample(vault, 'a');
    await saveSample(vault, 'b');
    await vault.close();
    await writeFile(join(dir, 'orgs/a.json'), '{"v":1,"tok');
    const again = await openTestVault(dir);
    expect(again.getOrg('a')?.record.needsSignIn).toBe(true);
    expect(again.getOrg('b')?.record.needsSignIn).toBe(false);
    expect(await again.readToken('b', 'refresh')).toBe(REFRESH);
    expect((await readdir(join(dir, 'orgs'))).some((n) => n.startsWith('a.json.corrupt-'))).toBe(true);
  });

  it('runs migrations: an org saved before 1.1.0 gains the new fields', async () => {
    const old = org('legacy') as Partial<OrgRecord>;
    delete old.needsSignIn;
    delete old.identityUrl;
    await writeFile(
      join(dir, 'store.json'),
      JSON.stringify({
        orgs: { legacy: old },
        profiles: {},
        settings: {},
        __internal__: { migrations: { version: '1.0.0' } },
      }),
    );
    const vault = await openTestVault(dir);
    expect(vault.getOrg('legacy')?.record).toMatchObject({ needsSignIn: false, identityUrl: null });
    expect(vault.status().recovery).toBeNull();
  });

  it('exports orgs and profiles without secrets and imports them back, reporting what it skipped', async () => {
    const vault = await openTestVault(dir);
    await saveSample(vault);
    await vault.saveProfile(
      {
        id: 'p1',
        name: 'App',
        kind: 'connected-app',
        consumerKey: 'key',
        callbackUrl: 'http://localhost:1717/OauthRedirect',
        scopes: ['api'],
      },
      { clientSecret: 'client-secret-value-xyz' },
    );
    const exported = vault.exportData();
    for (const secret of [ACCESS, REFRESH, 'client-secret-value-xyz']) expect(exported).not.toContain(secret);

    const { dir: dir2, cleanup: c2 } = await tempDir();
    try {
      const fresh = await openTestVault(dir2);
      const doc = JSON.parse(exported);
      doc.orgs.push({ id: 'broken', label: 42 }, { ...doc.orgs[0], id: '../evil' });
      const report = await fresh.importData(JSON.stringify(doc));
      expect(report.imported).toBe(2);
      expect(report.skipped.map((s) => s.reason).join('\n')).toMatch(/label[\s\S]*not allowed/);
      expect(fresh.getOrg('org1')?.record).toMatchObject({ needsSignIn: true, profileId: null });
      expect(await fresh.readToken('org1', 'access')).toBeNull();
      expect((await fresh.importData(exported)).skipped).toHaveLength(2);
      await expect(fresh.importData('nope')).rejects.toMatchObject({ code: 'import/invalid' });
      await expect(fresh.importData('{"format":"other"}')).rejects.toMatchObject({ code: 'import/invalid' });
    } finally {
      await c2();
    }
  });
});
