/**
 * Every grant an org can have has a strategy, named as its sign-in method, and Refresh renews each org the
 * way its grant's strategy says: with the refresh token, whose absence gets that grant's own explanation,
 * or by running the grant again. Through the real handlers over a vault, at the Salesforce double.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInFor, STRATEGIES } from '../../../main/orgs/grants';
import { ORG_GRANTS, type OrgGrant, type SignInRequest } from '../../../preload/contract';
import { DEFAULT_CLIENT_ID, startSalesforceDouble, type SalesforceDouble } from '../../servers/salesforce-double';
import { failureOf } from '../../support/failure';
import { testHandlers, type TestServices } from '../../support/test-services';
import { sampleMeta, sampleOrg, sampleProfile } from '../../support/vault';

let double: SalesforceDouble;
let services: TestServices;
beforeAll(async () => {
  double = await startSalesforceDouble({ apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [] }] });
  services = await testHandlers();
  // A public app profile (no secret, no private key), so a renewal that runs its grant says what it lacks.
  await services.vault.saveProfile(sampleProfile('p1', { consumerKey: DEFAULT_CLIENT_ID }), {});
});
afterAll(async () => {
  await services?.close();
  await double?.close();
});

/** An org of this grant with only an access token stored, and what Refresh then says. */
async function refreshWithoutRefreshToken(grant: OrgGrant) {
  const id = `org-${grant}`;
  await services.vault.saveOrg(sampleOrg(id, { grant, profileId: 'p1', loginHost: double.loginUrl }));
  await services.vault.saveTokens(id, [{ meta: sampleMeta('access'), value: '00D5g000004XYZA!AQold' }]);
  return failureOf(services.handlers.refreshOrg({ id }));
}

describe('grant strategies', () => {
  it('exist for every grant, and each sign-in is the one of its own grant', () => {
    expect(Object.keys(STRATEGIES).sort()).toEqual([...ORG_GRANTS].sort());
    for (const grant of ORG_GRANTS) {
      const signIn = STRATEGIES[grant].signIn;
      if (signIn === null) continue;
      expect(signIn.method).toBe(grant);
      expect(signInFor({ method: signIn.method } as SignInRequest)).toBe(signIn);
    }
    // Only a pasted token has no sign-in that starts it.
    expect(ORG_GRANTS.filter((g) => STRATEGIES[g].signIn === null)).toEqual(['pasted']);
  });

  it('renew with the refresh token, and without one say why for that grant and what to do', async () => {
    const byRefreshToken = ORG_GRANTS.filter((g) => STRATEGIES[g].renewal.by === 'refresh_token');
    expect(byRefreshToken.sort()).toEqual([
      'authorization_code',
      'device',
      'password',
      'pasted',
      'token_exchange',
      'user_agent',
    ]);
    const messages = new Set<string>();
    for (const grant of byRefreshToken) {
      const renewal = STRATEGIES[grant].renewal;
      const failure = await refreshWithoutRefreshToken(grant);
      expect(failure, grant).toMatchObject({
        code: 'oauth/no_refresh_token',
        message: renewal.by === 'refresh_token' && renewal.withoutOne,
      });
      expect(failure!.message, grant).toMatch(/Re-authenticate|Paste a new token/);
      messages.add(failure!.message);
    }
    // The device flow renews like the browser flow it stands in for; every other grant has its own words.
    expect(messages.size).toBe(byRefreshToken.length - 1);
  });

  it('renew client credentials and JWT bearer orgs by running their grant, not with a refresh token', async () => {
    expect(await refreshWithoutRefreshToken('client_credentials')).toMatchObject({
      code: 'oauth/invalid_client',
      message: expect.stringMatching(/client credentials flow needs the consumer secret/),
    });
    expect(await refreshWithoutRefreshToken('jwt_bearer')).toMatchObject({
      code: 'key/invalid',
      message: expect.stringMatching(/signs with a private key/),
    });
  });
});
