/**
 * The app profiles as clients of their servers: over a real vault, at the Salesforce double. Each login host
 * is discovered once; a failed discovery is tried again; a profile's missing secret or key is explained.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClients } from '../../main/orgs/clients';
import type { Vault } from '../../main/vault/vault';
import { DEFAULT_CLIENT_ID, startSalesforceDouble, type SalesforceDouble } from '../servers/salesforce-double';
import { failureOf } from '../support/failure';
import { openTestVault, sampleOrg, sampleProfile, tempDir } from '../support/vault';

let double: SalesforceDouble;
let vault: Vault;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  double = await startSalesforceDouble({ apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [] }] });
  const temp = await tempDir();
  cleanup = temp.cleanup;
  vault = await openTestVault(temp.dir);
});
afterEach(async () => {
  await vault.close();
  await cleanup();
  await double.close();
});

const discoveries = () => double.requests.filter((r) => r.includes('/.well-known/')).length;

describe('clients', () => {
  it('discovers each login host once and shares the answer', async () => {
    const clients = createClients(vault, {}, Date.now);
    const [a, b] = await Promise.all([clients.serverFor(double.loginUrl), clients.serverFor(double.loginUrl)]);
    expect(a).toBe(b);
    expect(await clients.serverFor(double.loginUrl)).toBe(a);
    expect(discoveries()).toBe(1);
    expect(a.token_endpoint).toMatch(/\/services\/oauth2\/token$/);
  });

  it('forgets a failed discovery, so the next call tries again', async () => {
    const clients = createClients(vault, { timeoutMs: 500 }, Date.now);
    const down = 'http://127.0.0.1:9';
    const first = clients.serverFor(down);
    // While it runs, callers share it.
    expect(clients.serverFor(down)).toBe(first);
    expect(await failureOf(first)).toMatchObject({ code: expect.stringMatching(/^oauth\//) });
    const again = clients.serverFor(down);
    expect(again).not.toBe(first);
    await failureOf(again);
  });

  it('an org whose profile is gone, or was never known, says so', async () => {
    const clients = createClients(vault, {}, Date.now);
    expect(() => clients.profileOf(null)).toThrow(
      expect.objectContaining({ code: 'profile/not_found', message: expect.stringMatching(/is not known/) }),
    );
    const gone = sampleOrg('o1', { profileId: 'gone', loginHost: double.loginUrl });
    const failure = await failureOf(clients.clientFor(gone));
    expect(failure).toMatchObject({ code: 'profile/not_found', message: expect.stringMatching(/Re-authenticate/) });
  });

  it('gives the profile’s secret and key, or says which flow needs which', async () => {
    const clients = createClients(vault, {}, Date.now);
    const bare = await vault.saveProfile(sampleProfile('bare', { consumerKey: DEFAULT_CLIENT_ID, name: 'Bare' }));
    const client = await clients.clientOf(bare, double.loginUrl);
    expect(client.secret).toBeNull();
    expect(() => client.requireSecret('client credentials flow')).toThrow(
      expect.objectContaining({
        code: 'oauth/invalid_client',
        message: 'The client credentials flow needs the consumer secret: add it to the app profile "Bare".',
      }),
    );
    expect(await failureOf(client.requirePrivateKey())).toMatchObject({
      code: 'key/invalid',
      message: expect.stringContaining('"Bare" has none'),
    });

    const full = await vault.saveProfile(sampleProfile('full', { consumerKey: DEFAULT_CLIENT_ID }), {
      clientSecret: 'the-secret',
      privateKey: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
    });
    const withBoth = await clients.clientFor(sampleOrg('o2', { profileId: full.id, loginHost: double.loginUrl }));
    expect(withBoth.requireSecret('x')).toBe('the-secret');
    expect(await withBoth.requirePrivateKey()).toMatch(/BEGIN PRIVATE KEY/);
    expect(withBoth.profile.id).toBe('full');
  });

  it('describes a token to ask its server about, with the hint for its kind', async () => {
    const clients = createClients(vault, { timeoutMs: 1234 }, () => 7);
    const profile = await vault.saveProfile(sampleProfile('p', { consumerKey: DEFAULT_CLIENT_ID }), {
      clientSecret: 's',
    });
    const about = await clients.aboutToken(
      sampleOrg('o3', { profileId: profile.id, loginHost: double.loginUrl }),
      'refresh',
      'tok',
    );
    expect(about).toMatchObject({
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: 's',
      token: 'tok',
      hint: 'refresh_token',
      http: { timeoutMs: 1234 },
    });
    expect(about.now()).toBe(7);
    expect(about.as.issuer).toBeTruthy();
  });
});
