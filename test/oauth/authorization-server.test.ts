/**
 * Discovery, the Salesforce fallback, endpoint checks, Salesforce's ID token issuer quirk, and the one
 * parser of token responses. Network answers here come from a stub fetch where a real Salesforce host is
 * named (tests never leave loopback), and from the double otherwise.
 */
import { generateKeyPair, SignJWT } from 'jose';
import type * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clientOf,
  discoverAuthorizationServer,
  isSalesforceHost,
  issuerForTokenResponse,
  salesforceDefaults,
} from '../../main/oauth/authorization-server';
import { parseTokenResponse } from '../../main/oauth/token-set';
import { exchangeAuthorizationCode } from '../../main/oauth/web-server-flow';
import { freePort } from '../servers/browser-login';
import { startSalesforceDouble, type SalesforceDouble } from '../servers/salesforce-double';
import { errorOf } from './support';

let double: SalesforceDouble | null = null;
afterEach(async () => {
  await double?.close();
  double = null;
});

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('discovery', () => {
  it('reads the double’s /.well-known/openid-configuration', async () => {
    double = await startSalesforceDouble();
    const as = await discoverAuthorizationServer(double.loginUrl);
    expect(as.issuer).toBe(double.loginUrl);
    expect(as.token_endpoint).toBe(`${double.loginUrl}/services/oauth2/token`);
    expect(as.revocation_endpoint).toBe(`${double.loginUrl}/services/oauth2/revoke`);
    expect(as.introspection_endpoint).toBe(`${double.loginUrl}/services/oauth2/introspect`);
    expect(as.jwks_uri).toBe(`${double.loginUrl}/id/keys`);
  });

  it('falls back to Salesforce’s fixed paths when discovery fails on a real Salesforce host', async () => {
    const down: typeof fetch = async () => new Response('<html>Maintenance</html>', { status: 503 });
    const as = await discoverAuthorizationServer('https://acme.my.salesforce.com', { fetch: down });
    expect(as).toEqual(salesforceDefaults('https://acme.my.salesforce.com'));
    expect(as.authorization_endpoint).toBe('https://acme.my.salesforce.com/services/oauth2/authorize');
  });

  it('refuses a host that is not an OpenID provider, and says when it cannot be reached', async () => {
    const notFound: typeof fetch = async () => new Response('nope', { status: 404 });
    const error = await errorOf(discoverAuthorizationServer('http://127.0.0.1:9', { fetch: notFound }));
    expect(error.code).toBe('oauth/invalid_login_host');
    const closed = await errorOf(discoverAuthorizationServer(`http://127.0.0.1:${await freePort()}`));
    expect(closed.code).toBe('oauth/network');
  });

  it('refuses a server that lists a plain-http endpoint on another host', async () => {
    const issuer = 'http://127.0.0.1:9';
    const evil: typeof fetch = async () =>
      json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: 'http://evil.example/token',
      });
    const error = await errorOf(discoverAuthorizationServer(issuer, { fetch: evil }));
    expect(error.code).toBe('oauth/bad_response');
    expect(error.message).toMatch(/token_endpoint/);
  });

  it('refuses plain-http loopback endpoints on any origin but the login host’s own', async () => {
    const discover = (issuer: string, endpoint: string) =>
      errorOf(
        discoverAuthorizationServer(issuer, {
          fetch: async () => json({ issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: endpoint }),
        }),
      );
    // An https server must not send the app's codes and secrets to another program on this computer.
    const fromHttps = await discover('https://idp.example', 'http://127.0.0.1:631/token');
    expect([fromHttps.code, fromHttps.message]).toEqual([
      'oauth/bad_response',
      expect.stringMatching(/token_endpoint/),
    ]);
    const otherPort = await discover('http://127.0.0.1:9', 'http://127.0.0.1:631/token');
    expect(otherPort.code).toBe('oauth/bad_response');
  });

  it('knows Salesforce hosts', () => {
    expect(isSalesforceHost('https://login.salesforce.com')).toBe(true);
    expect(isSalesforceHost('https://acme--dev.sandbox.my.salesforce.com')).toBe(true);
    expect(isSalesforceHost('https://acme.lightning.force.com')).toBe(true);
    expect(isSalesforceHost('http://login.salesforce.com')).toBe(false);
    expect(isSalesforceHost('https://salesforce.com.evil.example')).toBe(false);
    expect(isSalesforceHost('http://127.0.0.1:3000')).toBe(false);
  });

  it('uses client_secret_post with a secret and no client authentication without one', () => {
    expect(clientOf('id', null).client).toEqual({ client_id: 'id' });
    expect(clientOf('id', 'secret').auth).not.toBe(clientOf('id', null).auth);
  });
});

describe('Salesforce’s ID token issuer', () => {
  const myDomain = 'https://acme.my.salesforce.com';
  const as: oauth.AuthorizationServer = salesforceDefaults(myDomain);

  async function tokenResponse(iss: string, aud = 'client-1') {
    const { privateKey } = await generateKeyPair('RS256');
    const idToken = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k' })
      .setIssuer(iss)
      .setSubject('https://login.salesforce.com/id/00D000000000001EAA/005000000000001AAA')
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    return {
      access_token: '00D000000000001!AR.fake.access',
      token_type: 'Bearer',
      id_token: idToken,
      instance_url: myDomain,
      id: 'https://login.salesforce.com/id/00D000000000001EAA/005000000000001AAA',
      issued_at: String(Date.now()),
      scope: 'openid api',
      signature: 'c2lnbmF0dXJl',
    };
  }

  const exchange = (body: unknown, server = as) =>
    exchangeAuthorizationCode({
      as: server,
      ...clientOf('client-1', null),
      params: new URLSearchParams({ code: 'aPrx==', state: 's' }),
      state: 's',
      redirectUri: 'http://localhost:1717/OauthRedirect',
      verifier: 'v'.repeat(43),
      scopes: ['openid', 'api'],
      http: { fetch: async () => json(body) },
    });

  it('accepts login.salesforce.com as the ID token issuer for a My Domain sign-in', async () => {
    const body = await tokenResponse('https://login.salesforce.com');
    const tokens = await exchange(body);
    expect(tokens.idToken).toBe(body.id_token);
    expect(tokens.instanceUrl).toBe(myDomain);
    expect(tokens.identityUrl).toBe(body.id);
    // Raw extra fields (signature) are not kept.
    expect(JSON.stringify(tokens)).not.toContain('c2lnbmF0dXJl');
    expect((await issuerForTokenResponse(as, json(body))).issuer).toBe('https://login.salesforce.com');
  });

  it('still refuses an ID token from anywhere else', async () => {
    const error = await errorOf(exchange(await tokenResponse('https://evil.example')));
    expect(error.code).toBe('oauth/iss_mismatch');
    const other = await errorOf(exchange(await tokenResponse('https://other.my.salesforce.com')));
    expect(other.code).toBe('oauth/iss_mismatch');
  });

  it('keeps the exact issuer check for servers that are not Salesforce', async () => {
    const generic = { ...salesforceDefaults('http://127.0.0.1:9'), issuer: 'http://127.0.0.1:9' };
    const body = await tokenResponse('https://login.salesforce.com');
    expect(await issuerForTokenResponse(generic, json(body))).toBe(generic);
  });
});

describe('parseTokenResponse', () => {
  const base = { access_token: 'opaque-token', token_type: 'bearer' } as oauth.TokenEndpointResponse;

  it('reads Salesforce’s issued_at (epoch ms) and leaves expiry unknown without expires_in', () => {
    const set = parseTokenResponse({ ...base, issued_at: '1700000000123', scope: 'api web' }, 5);
    expect(set).toMatchObject({
      issuedAt: 1700000000123,
      expiresAt: null,
      scopes: ['api', 'web'],
      tokenFormat: 'opaque',
    });
  });

  it('uses expires_in when a server sends it, and the requested scopes when it omits scope', () => {
    const set = parseTokenResponse({ ...base, expires_in: 60 }, 1000, ['openid']);
    expect(set).toMatchObject({ issuedAt: 1000, expiresAt: 61_000, scopes: ['openid'] });
  });

  it('marks token_format=jwt and keeps api_instance_url', () => {
    const set = parseTokenResponse(
      { ...base, token_format: 'jwt', api_instance_url: 'https://api.salesforce.com' } as oauth.TokenEndpointResponse,
      0,
    );
    expect(set).toMatchObject({ tokenFormat: 'jwt', apiInstanceUrl: 'https://api.salesforce.com' });
  });

  it('drops URLs a token must never be sent to', () => {
    const set = parseTokenResponse(
      { ...base, instance_url: 'http://evil.example', id: 'javascript:alert(1)' } as oauth.TokenEndpointResponse,
      0,
    );
    expect(set).toMatchObject({ instanceUrl: null, identityUrl: null });
  });

  it('refuses a response without an access token', () => {
    expect(() => parseTokenResponse({ ...base, access_token: '' }, 0)).toThrow(
      expect.objectContaining({ code: 'oauth/bad_response' }),
    );
  });
});
