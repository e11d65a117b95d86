/**
 * The commands the import runs, against the stand-in `sf` as a real child process: the org list (no token
 * kept, every result shape the CLI has had) and one org's credentials, asking `sf org auth show-…` when
 * org display redacts them.
 */
import { describe, expect, it } from 'vitest';
import type { CliOrg } from '../../main/salesforce-cli/org-list';
import { displayCliOrg, listCliOrgs } from '../../main/salesforce-cli/sf-cli';
import { errorOf } from '../oauth/support';
import { expectNoSecret, ORGS, PROD_REFRESH, PROD_TOKEN, SANDBOX_TOKEN, useStandin } from './support';

const { start } = useStandin();

describe('listCliOrgs', () => {
  it('lists the orgs with their kind, default first, deduplicated, without any token', async () => {
    const { sf, s } = await start();
    const orgs = await listCliOrgs(sf, { env: s.env });
    expect(await s.calls()).toEqual([['org', 'list', '--skip-connection-status', '--json']]);
    expectNoSecret(orgs);
    expect(orgs.map((o) => [o.alias ?? o.username, o.kind, o.isDefault])).toEqual([
      ['prod', 'production', true],
      ['admin@partner.example', 'other', false],
      ['feature', 'scratch', false],
      ['hub', 'devhub', false],
      ['uat', 'sandbox', false],
    ]);
    expect(orgs[0]).toEqual<CliOrg>({
      username: 'zoe@acme.com',
      alias: 'prod',
      orgId: '00D5g000004AbCdEAB',
      instanceUrl: 'https://acme.my.salesforce.com',
      loginUrl: 'https://login.salesforce.com',
      kind: 'production',
      connectedStatus: null,
      isExpired: false,
      expirationDate: null,
      isDefault: true,
    });
    expect(orgs.find((o) => o.kind === 'scratch')).toMatchObject({
      expirationDate: '2099-01-01',
      connectedStatus: 'Active',
      isExpired: false,
    });
  });

  it('reads the older result shapes the same way', async () => {
    const { sf, s } = await start();
    const current = await listCliOrgs(sf, { env: s.env });
    await s.update({ orgs: ORGS, listShape: 'legacy' });
    expect(await listCliOrgs(sf, { env: s.env })).toEqual(current);
    await s.update({ orgs: ORGS, listShape: 'regularOrgs' });
    expect(await listCliOrgs(sf, { env: s.env })).toEqual(current);
  });
});

describe('displayCliOrg', () => {
  it("gives an org's access token, instance URL and auth URL from a CLI that prints them in org display", async () => {
    const { sf, s } = await start({ secrets: 'shown' });
    const detail = await displayCliOrg(sf, 'zoe@acme.com', { env: s.env });
    expect(detail).toEqual({
      username: 'zoe@acme.com',
      alias: 'prod',
      orgId: '00D5g000004AbCdEAB',
      instanceUrl: 'https://acme.my.salesforce.com',
      clientId: 'PlatformCLI',
      accessToken: PROD_TOKEN,
      sfdxAuthUrl: `force://PlatformCLI::${PROD_REFRESH}@acme.my.salesforce.com`,
      isScratch: false,
    });
    expect(await s.calls()).toEqual([['org', 'display', '--verbose', '-o', 'zoe@acme.com', '--json']]);
  });

  it('has no auth URL for an org authorized with an access token only, and knows scratch orgs', async () => {
    const { sf, s } = await start({ secrets: 'shown' });
    expect(await displayCliOrg(sf, 'qa@acme.com.uat', { env: s.env })).toMatchObject({
      accessToken: SANDBOX_TOKEN,
      sfdxAuthUrl: null,
      isScratch: false,
    });
    expect(await displayCliOrg(sf, 'test-abc@example.com', { env: s.env })).toMatchObject({
      isScratch: true,
      sfdxAuthUrl: expect.stringMatching(/^force:\/\//),
    });
  });

  it('asks "sf org auth show-…" for the secrets the current CLI redacts in org display', async () => {
    const { sf, s } = await start();
    const detail = await displayCliOrg(sf, 'prod', { env: s.env });
    expect(detail.accessToken).toBe(PROD_TOKEN);
    expect(detail.sfdxAuthUrl).toBe(`force://PlatformCLI::${PROD_REFRESH}@acme.my.salesforce.com`);
    expect(await s.calls()).toEqual([
      ['org', 'display', '--verbose', '-o', 'prod', '--json'],
      ['org', 'auth', 'show-access-token', '-o', 'prod', '--json'],
      ['org', 'auth', 'show-sfdx-auth-url', '-o', 'prod', '--json'],
    ]);
    // No refresh token: no auth URL to ask for.
    const sandbox = await displayCliOrg(sf, 'uat', { env: s.env });
    expect(sandbox).toMatchObject({ accessToken: SANDBOX_TOKEN, sfdxAuthUrl: null });
    expect((await s.calls()).length).toBe(5);
    // The org signed in with an access token only names no client.
    expect(sandbox.clientId).toBeNull();
  });

  it('reads the secrets from org display alone when SF_TEMP_SHOW_SECRETS=true shows them there', async () => {
    const { sf, s } = await start();
    const detail = await displayCliOrg(sf, 'prod', { env: { ...s.env, SF_TEMP_SHOW_SECRETS: 'true' } });
    expect(detail).toMatchObject({ accessToken: PROD_TOKEN, sfdxAuthUrl: expect.stringContaining(PROD_REFRESH) });
    expect(await s.calls()).toEqual([['org', 'display', '--verbose', '-o', 'prod', '--json']]);
  });

  it('gives instance URLs as origins, without the trailing / an access-token login keeps', async () => {
    const typed = ORGS.map((o) => (o.alias === 'uat' ? { ...o, instanceUrl: `${o.instanceUrl}/` } : o));
    const { sf, s } = await start({ orgs: typed });
    const listed = await listCliOrgs(sf, { env: s.env });
    expect(listed.find((o) => o.alias === 'uat')?.instanceUrl).toBe('https://acme--uat.sandbox.my.salesforce.com');
    expect((await displayCliOrg(sf, 'uat', { env: s.env })).instanceUrl).toBe(
      'https://acme--uat.sandbox.my.salesforce.com',
    );
  });

  it('fails with the CLI message for an org it does not know', async () => {
    const { sf, s } = await start();
    const e = await errorOf(displayCliOrg(sf, 'ghost@example.com', { env: s.env }));
    expect(e.code).toBe('cli/failed');
    expect(e.message).toContain('No authorization information found for ghost@example.com.');
  });
});
