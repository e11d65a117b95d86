/** Server-to-server sign-in with the client credentials flow, against the Salesforce double. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_USER, startSalesforceDouble, type SalesforceDouble } from '../servers/salesforce-double';
import { signInVia } from '../support/sign-in';
import { testHandlers, type TestServices } from '../support/test-services';

let double: SalesforceDouble;
let services: TestServices;
afterEach(async () => {
  await services?.close();
  await double?.close();
});

async function setup(secret: string | null = 'cc-secret') {
  double = await startSalesforceDouble({
    apps: [
      {
        clientId: '3MVG9cc.integration',
        clientSecret: 'cc-secret',
        callbackUrls: [],
        clientCredentialsUser: DEFAULT_USER.username,
      },
    ],
  });
  services = await testHandlers();
  return services.handlers.saveAppProfile({
    name: 'Integration app',
    kind: 'external-client-app',
    consumerKey: '3MVG9cc.integration',
    ...(secret ? { consumerSecret: secret } : {}),
    callbackUrl: 'http://localhost:1717/OauthRedirect',
    scopes: ['api'],
  });
}

describe('client credentials', () => {
  it("gets a token for the app's integration user at the My Domain, and refresh runs the grant again", async () => {
    const profile = await setup();
    const org = await signInVia(services.handlers, {
      profileId: profile.id,
      loginHost: double.orgs[0]!.myDomainUrl,
      method: 'client_credentials',
      label: 'Integration',
    });
    expect(org).toMatchObject({ label: 'Integration', username: DEFAULT_USER.username, status: 'connected' });
    expect(org.tokens.map((t) => t.kind)).toEqual(['access']);
    const before = org.tokens[0]!.hint;
    const refreshed = await services.handlers.refreshOrg({ id: org.id });
    expect(refreshed.tokens[0]!.hint).not.toBe(before);
    expect(double.refreshGrants()).toBe(0);

    double.advance(3 * 3600_000);
    expect(await services.handlers.testToken({ id: org.id })).toMatchObject({ ok: true, refreshed: true });
  });

  it('explains the My Domain rule and a missing secret', async () => {
    const profile = await setup();
    const onLogin = await signInVia(services.handlers, {
      profileId: profile.id,
      loginHost: double.loginUrl,
      method: 'client_credentials',
    }).catch((e: unknown) => e);
    expect(onLogin).toMatchObject({
      code: 'oauth/invalid_login_host',
      message: expect.stringMatching(/only on the org's My Domain/),
    });
    await services.close();
    await double.close();

    const noSecret = await setup(null);
    const missing = await signInVia(services.handlers, {
      profileId: noSecret.id,
      loginHost: double.orgs[0]!.myDomainUrl,
      method: 'client_credentials',
    }).catch((e: unknown) => e);
    expect(missing).toMatchObject({
      code: 'oauth/invalid_client',
      message: expect.stringMatching(/needs the consumer secret/),
    });
  });
});
