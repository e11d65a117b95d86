/**
 * The export codec: what an export file holds (never a secret or a token) and how an import adds its entries,
 * here into a real vault (real files, real electron-store, real AES-GCM) through the codec's ImportTarget.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeExport, importExport, MAX_IMPORT_CHARS, type ImportTarget } from '../../main/vault/export-format';
import type { Vault } from '../../main/vault/vault';
import { openTestVault, sampleOrg, sampleProfile, tempDir } from '../support/vault';

const targetOf = (vault: Vault): ImportTarget => ({
  hasProfile: (id) => vault.getProfile(id) !== null,
  hasOrg: (id) => vault.getOrg(id) !== null,
  addProfile: (profile) => vault.saveProfile(profile),
  addOrg: (org) => vault.saveOrg(org),
});

const fileOf = (orgs: unknown[], profiles: unknown[]) =>
  JSON.stringify({ format: 'sf-token-inspector-export', version: 1, exportedAt: 'x', orgs, profiles });

describe('export codec', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let vault: Vault;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    vault = await openTestVault(dir);
  });
  afterEach(async () => {
    await vault.close();
    await cleanup();
  });

  it('writes orgs and profiles without their sign-in and secret flags, stamped with the time', () => {
    const profile = { ...sampleProfile('p1'), hasSecret: true, hasPrivateKey: true };
    const doc = JSON.parse(encodeExport([sampleOrg('o1', { needsSignIn: true })], [profile], Date.UTC(2025, 0, 2)));
    expect(doc).toEqual({
      format: 'sf-token-inspector-export',
      version: 1,
      exportedAt: '2025-01-02T00:00:00.000Z',
      orgs: [(({ needsSignIn: _n, ...rest }) => rest)(sampleOrg('o1'))],
      profiles: [sampleProfile('p1')],
    });
  });

  it('adds profiles, then orgs (needing sign-in, keeping a profile only when it is there), reporting skips', async () => {
    await vault.saveOrg(sampleOrg('taken', { label: 'Taken' }));
    const { needsSignIn: _n, ...org } = sampleOrg('o1', { profileId: 'p1' });
    const file = fileOf(
      [
        org,
        { ...org, id: 'o2', profileId: 'missing' },
        { ...org, id: 'taken', label: 'Taken' },
        { id: 'bad', label: 'Bad' },
      ],
      [sampleProfile('p1'), { id: 'p2' }],
    );
    const report = await importExport(file, targetOf(vault));
    expect(report.imported).toBe(3);
    expect(report.skipped.map((s) => s.index)).toEqual([1, 4, 5]);
    expect(report.skipped[0]!.reason).toMatch(/^App profile 2: /);
    expect(report.skipped[1]!.reason).toBe('Org "Taken" is already in the list.');
    expect(report.skipped[2]!.reason).toMatch(/^Org "Bad": /);
    expect(vault.getOrg('o1')?.record).toMatchObject({ profileId: 'p1', needsSignIn: true });
    expect(vault.getOrg('o2')?.record).toMatchObject({ profileId: null, needsSignIn: true });
    expect(vault.getProfile('p1')).toMatchObject({ hasSecret: false, hasPrivateKey: false });

    const again = await importExport(file, targetOf(vault));
    expect(again.imported).toBe(0);
    expect(again.skipped.map((s) => s.reason)).toContain('App profile "App p1" is already in the app.');
  });

  it.each([
    ['not JSON', 'nope', /^This file is not JSON\./],
    ['another format', '{"format":"other","version":1,"orgs":[],"profiles":[]}', /not an SF Token Inspector export/],
    ['too large', ' '.repeat(MAX_IMPORT_CHARS + 1), /too large/],
  ])('refuses a file that is %s as import/invalid, adding nothing', async (_name, file, message) => {
    const error = await importExport(file, targetOf(vault)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'import/invalid' });
    expect((error as Error).message).toMatch(message);
    expect(vault.listOrgs()).toEqual([]);
  });
});
