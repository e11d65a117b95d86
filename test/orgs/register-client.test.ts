/** Dynamic client registration (RFC 7591) with an initial access token, then a sign-in with the new client. */
import { afterEach, describe, expect, it } from 'vitest';
import { followCallback, freePort, loginAtSalesforceDouble } from '../servers/browser-login';
import { loginAtOidcPeer, PEER_INITIAL_ACCESS_TOKEN, startOidcPeer, type OidcPeer } from '../servers/oidc-peer';
import { DEFAULT_USER, startSalesforceDouble, type SalesforceDouble } from '../servers/salesforce-double';
import { testHandlers, type TestServices } from '../support/test-services';

let services: TestServices | null = null;
let double: SalesforceDouble | null = null;
let peer: OidcPeer | null = null;
afterEach(async () => {
  await services?.close();
  await double?.close();
  await peer?.close();
  services = double = peer = null;
});

describe('register an app profile with dynamic client registration', () => {
  it('registers at the Salesforce double, keeps the secret encrypted, and signs in with the new client', async () => {
    double = await startSalesforceDouble({ initialAccessToken: 'iat-from-setup' });
    services = await testHandlers();
    const callbackUrl = `http://localhost:${await freePort()}/OauthRedirect`;
    const profile = await services.handlers.registerAppProfile({
      loginHost: double.loginUrl,
      initialAccessToken: 'iat-from-setup',
      name: 'Registered inspector',
      callbackUrl,
      scopes: ['api', 'refresh_token', 'openid'],
    });
    expect(profile).toMatchObject({
      name: 'Registered inspector',
      kind: 'connected-app',
      hasSecret: true,
      consumerKey: expect.stringMatching(/^3MVG9reg\./),
    });

    services.onOpen = (url) => {
      void (async () => {
        const { callbackUrl: back } = await loginAtSalesforceDouble(url, {
          username: DEFAULT_USER.username,
          password: DEFAULT_USER.password,
        });
        await followCallback(back);
      })();
    };
    const started = await services.handlers.beginSignIn({
      profileId: profile.id,
      loginHost: double.loginUrl,
      method: 'authorization_code',
    });
    const org = await services.handlers.awaitSignIn({ flowId: started.flowId });
    expect(org.username).toBe(DEFAULT_USER.username);
  });

  it('says how to get a new initial access token when the server refuses it', async () => {
    double = await startSalesforceDouble({ initialAccessToken: 'iat-from-setup' });
    services = await testHandlers();
    const error = await Promise.resolve(
      services.handlers.registerAppProfile({
        loginHost: double.loginUrl,
        initialAccessToken: 'stale-token',
        name: 'x',
        callbackUrl: 'http://localhost:1717/OauthRedirect',
        scopes: ['api'],
      }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'oauth/invalid_client',
      message: expect.stringMatching(/Generate Initial Access Token/),
    });
    expect(await services.handlers.listAppProfiles(undefined)).toEqual([]);
  });

  it('registers at oidc-provider too, and the new client signs in', async () => {
    peer = await startOidcPeer();
    services = await testHandlers();
    const profile = await services.handlers.registerAppProfile({
      loginHost: peer.issuer,
      initialAccessToken: PEER_INITIAL_ACCESS_TOKEN,
      name: 'Registered at the peer',
      callbackUrl: 'http://127.0.0.1/callback',
      scopes: ['openid', 'email'],
    });
    expect(profile.hasSecret).toBe(true);
    // Registered at an OpenID Connect server, it is an OIDC profile (so offline_access gets prompt=consent).
    expect(profile.kind).toBe('oidc');
    services.onOpen = (url) => {
      void (async () => {
        const { callbackUrl } = await loginAtOidcPeer(url);
        await followCallback(callbackUrl);
      })();
    };
    const started = await services.handlers.beginSignIn({
      profileId: profile.id,
      loginHost: peer.issuer,
      method: 'authorization_code',
    });
    const org = await services.handlers.awaitSignIn({ flowId: started.flowId });
    expect(org.tokens.some((t) => t.kind === 'access')).toBe(true);
  });
});
