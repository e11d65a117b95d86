import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarizeOrg } from '../../main/orgs/org-summary';
import type { Vault } from '../../main/vault/vault';
import { openTestVault, sampleMeta, sampleOrg, tempDir } from '../support/vault';

const NOW = 1_800_000_000_000;
let vault: Vault;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  const temp = await tempDir();
  cleanup = temp.cleanup;
  vault = await openTestVault(temp.dir);
});
afterEach(async () => {
  await vault.close();
  await cleanup();
});

describe('summarizeOrg', () => {
  it('shows both forms of the org ID, whichever form is stored', async () => {
    await vault.saveOrg(sampleOrg('a', { orgId: '00D000000000062' }));
    await vault.saveOrg(sampleOrg('b', { orgId: '00D000000000062EAA' }));
    await vault.saveOrg(sampleOrg('c', { orgId: null }));
    expect(summarizeOrg(vault, 'a', NOW)).toMatchObject({ orgId: '00D000000000062', orgId18: '00D000000000062EAA' });
    expect(summarizeOrg(vault, 'b', NOW)).toMatchObject({ orgId: '00D000000000062', orgId18: '00D000000000062EAA' });
    expect(summarizeOrg(vault, 'c', NOW)).toMatchObject({ orgId: null, orgId18: null });
  });

  it('gives each token its status now, and the org the status its grant allows', async () => {
    const expired = sampleMeta('access', { status: 'active', expiresAt: NOW - 1 });
    for (const grant of ['authorization_code', 'client_credentials'] as const) {
      await vault.saveOrg(sampleOrg(grant, { grant }));
      await vault.saveTokens(grant, [{ meta: expired, value: 'old-access-token' }]);
    }
    const browser = summarizeOrg(vault, 'authorization_code', NOW);
    expect(browser.tokens).toEqual([expect.objectContaining({ kind: 'access', status: 'expired' })]);
    // Without a refresh token a browser sign-in must be done again; client credentials just run again.
    expect(browser.status).toBe('needs-sign-in');
    expect(summarizeOrg(vault, 'client_credentials', NOW).status).toBe('expired');
    // No token value is part of a summary.
    expect(JSON.stringify(browser)).not.toContain('old-access-token');
  });

  it('copies the record’s fields the window shows, and says when the org is gone', async () => {
    const record = sampleOrg('d', { label: 'Acme', color: '#112233', group: 'Prod', pinned: true, needsSignIn: true });
    await vault.saveOrg(record);
    const { orgId: _o, ...fields } = record;
    const { identityUrl: _i, audience: _a, needsSignIn: _n, ...shown } = fields;
    expect(summarizeOrg(vault, 'd', NOW)).toMatchObject({ ...shown, status: 'needs-sign-in', tokens: [] });
    expect(() => summarizeOrg(vault, 'nope', NOW)).toThrow(expect.objectContaining({ code: 'org/not_found' }));
  });
});
