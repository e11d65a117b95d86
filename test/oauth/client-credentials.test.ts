/**
 * The client credentials grant called directly against the Salesforce double: tokens for the app's
 * integration user at the org's My Domain, no refresh token, and the refusals Salesforce gives elsewhere.
 */
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { clientCredentialsGrant } from '../../main/oauth/client-credentials';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type SalesforceDouble,
} from '../servers/salesforce-double';
import { JWT_RESOURCE, SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET, startOidcPeer } from '../servers/oidc-peer';
import { errorOf, errorText } from './support';

const SECRET = 'consumer-secret-for-tests-0123456789';

let double: SalesforceDouble | null = null;
afterEach(async () => {
  await double?.close();
  double = null;
});

async function start(clientCredentialsUser: string | null = DEFAULT_USER.username) {
  double = await startSalesforceDouble({
    apps: [
      {
        clientId: DEFAULT_CLIENT_ID,
        clientSecret: SECRET,
        callbackUrls: [],
        ...(clientCredentialsUser ? { clientCredentialsUser } : {}),
      },
    ],
  });
  return double;
}

describe('clientCredentialsGrant', () => {
  it('at the My Domain: an access token for the integration user and no refresh token', async () => {
    const d = await start();
    const as = await discoverAuthorizationServer(d.orgs[0]!.myDomainUrl);
    const tokens = await clientCredentialsGrant({
      as,
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: SECRET,
      now: () => 5,
    });
    expect(tokens).toMatchObject({ refreshToken: null, issuedAt: expect.any(Number) });
    expect(tokens.identityUrl).toContain(DEFAULT_USER.userId);
    expect(d.isTokenActive(tokens.accessToken)).toBe(true);
    expect(d.lastTokenRequest()).toMatchObject({ grantType: 'client_credentials', queryKeys: [] });
  });

  it('sends scope only when the profile has scopes', async () => {
    const d = await start();
    const as = await discoverAuthorizationServer(d.orgs[0]!.myDomainUrl);
    await clientCredentialsGrant({ as, clientId: DEFAULT_CLIENT_ID, clientSecret: SECRET, scopes: [] });
    expect(d.lastTokenRequest()!.bodyKeys).not.toContain('scope');
    await clientCredentialsGrant({ as, clientId: DEFAULT_CLIENT_ID, clientSecret: SECRET, scopes: ['api', ''] });
    expect(d.lastTokenRequest()!.bodyKeys).toContain('scope');
  });

  it('sends resource and audience only when the profile sets them', async () => {
    const d = await start();
    const as = await discoverAuthorizationServer(d.orgs[0]!.myDomainUrl);
    await clientCredentialsGrant({ as, clientId: DEFAULT_CLIENT_ID, clientSecret: SECRET, resource: null });
    expect(d.lastTokenRequest()!.bodyKeys).not.toContain('resource');
    expect(d.lastTokenRequest()!.bodyKeys).not.toContain('audience');
    await clientCredentialsGrant({
      as,
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: SECRET,
      resource: 'https://api.example.com/',
      audience: 'https://api.example.com',
    });
    expect(d.lastTokenRequest()).toMatchObject({ queryKeys: [] });
    expect(d.lastTokenRequest()!.bodyKeys).toEqual(expect.arrayContaining(['resource', 'audience']));
  });

  it('oidc-provider takes the resource and issues a token for it (RFC 8707)', async () => {
    const peer = await startOidcPeer({ clientCredentials: true, jwtResource: true });
    try {
      const tokens = await clientCredentialsGrant({
        as: await discoverAuthorizationServer(peer.issuer),
        clientId: SERVICE_CLIENT_ID,
        clientSecret: SERVICE_CLIENT_SECRET,
        scopes: ['api'],
        resource: JWT_RESOURCE,
      });
      expect(tokens.tokenFormat).toBe('jwt');
      expect(decodeJwt(tokens.accessToken).aud).toBe(JWT_RESOURCE);
    } finally {
      await peer.close();
    }
  });

  it('says the flow runs only on a My Domain, and names a wrong secret without repeating it', async () => {
    const d = await start();
    const atLogin = await discoverAuthorizationServer(d.loginUrl);
    const notMyDomain = await errorOf(
      clientCredentialsGrant({ as: atLogin, clientId: DEFAULT_CLIENT_ID, clientSecret: SECRET }),
    );
    expect(notMyDomain.code).toBe('oauth/invalid_login_host');
    const as = await discoverAuthorizationServer(d.orgs[0]!.myDomainUrl);
    const wrong = await errorOf(
      clientCredentialsGrant({ as, clientId: DEFAULT_CLIENT_ID, clientSecret: 'wrong-secret-value' }),
    );
    expect(wrong.code).toBe('oauth/invalid_client');
    expect(wrong.message).toMatch(/client credentials flow/);
    expect(errorText(wrong)).not.toContain('wrong-secret-value');
  });

  it('an app without a run-as user is refused as an invalid grant', async () => {
    const d = await start(null);
    const as = await discoverAuthorizationServer(d.orgs[0]!.myDomainUrl);
    const error = await errorOf(clientCredentialsGrant({ as, clientId: DEFAULT_CLIENT_ID, clientSecret: SECRET }));
    expect(error.code).toBe('oauth/invalid_grant');
    expect(error.message).toMatch(/no client credentials user enabled/);
  });
});
