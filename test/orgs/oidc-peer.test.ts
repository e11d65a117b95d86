/**
 * The same product code against panva's oidc-provider: a native client with a 127.0.0.1 redirect on any
 * port, PKCE, `iss` in the authorization response (RFC 9207), refresh-token rotation, revocation and
 * introspection. Keeps us honest about the standards, not just about our own Salesforce double.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import type { AppProfile } from '../../preload/contract';
import { followCallback } from '../servers/browser-login';
import {
  ACCOUNT_ID,
  JWT_RESOURCE,
  loginAtOidcPeer,
  NATIVE_CLIENT_ID,
  SERVICE_CLIENT_ID,
  SERVICE_CLIENT_SECRET,
  startOidcPeer,
  type OidcPeer,
} from '../servers/oidc-peer';
import { signInVia } from '../support/sign-in';
import { testHandlers, type TestServices } from '../support/test-services';

let peer: OidcPeer;
let services: TestServices;
let profile: AppProfile;
let browser: { deny: boolean; tamper: ((callback: URL) => void) | null; pages: string[] };

beforeEach(async () => {
  peer = await startOidcPeer();
  services = await testHandlers();
  profile = await services.handlers.saveAppProfile({
    name: 'oidc-provider native client',
    kind: 'oidc',
    consumerKey: NATIVE_CLIENT_ID,
    callbackUrl: 'http://127.0.0.1/callback',
    scopes: ['openid', 'offline_access', 'email', 'profile'],
  });
  browser = { deny: false, tamper: null, pages: [] };
  services.onOpen = (url) => {
    void (async () => {
      const { callbackUrl } = await loginAtOidcPeer(url, { deny: browser.deny });
      const callback = new URL(callbackUrl);
      browser.tamper?.(callback);
      const r = await followCallback(callback.href);
      browser.pages.push(r.body);
    })().catch((e: unknown) => browser.pages.push(`browser failed: ${String(e)}`));
  };
});
afterEach(async () => {
  await services.close();
  await peer.close();
});

async function signIn() {
  const started = await services.handlers.beginSignIn({
    profileId: profile.id,
    loginHost: peer.issuer,
    method: 'authorization_code',
  });
  return services.handlers.awaitSignIn({ flowId: started.flowId });
}

async function introspectAtPeer(token: string): Promise<{ active: boolean }> {
  const response = await fetch(`${peer.issuer}/token/introspection`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, client_id: NATIVE_CLIENT_ID }),
  });
  return (await response.json()) as { active: boolean };
}

describe('against oidc-provider', () => {
  it('signs in with PKCE on an any-port 127.0.0.1 redirect, checks iss, and gets a refresh token', async () => {
    const org = await signIn();
    const authorize = new URL(services.opened[0]!);
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(authorize.searchParams.get('prompt')).toBe('login consent');
    expect(org.username).toBe(ACCOUNT_ID);
    expect(org.displayName).toBe('Tess Tester');
    expect(org.tokens.map((t) => t.kind).sort()).toEqual(['access', 'id', 'refresh']);
    const access = org.tokens.find((t) => t.kind === 'access')!;
    expect(access.expiresAt).not.toBeNull();
  });

  it('stops when the iss in the callback is not the server that was asked', async () => {
    browser.tamper = (callback) => callback.searchParams.set('iss', 'http://127.0.0.1:1/evil');
    const error = await signIn().catch((e: unknown) => e);
    expect((error as AppError).code).toBe('oauth/iss_mismatch');
  });

  it('reports a denial in the browser', async () => {
    browser.deny = true;
    const error = await signIn().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(['oauth/access_denied', 'oauth/authorization_error']).toContain((error as AppError).code);
  });

  it('refreshes with rotation: the new refresh token is saved, the old one is dead', async () => {
    const org = await signIn();
    const before = (await services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
    await services.handlers.refreshOrg({ id: org.id });
    const after = (await services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
    expect(after).not.toBe(before);
    expect((await introspectAtPeer(after)).active).toBe(true);
    expect((await introspectAtPeer(before)).active).toBe(false);
  });

  it('survives parallel refreshes: single-flight keeps the grant alive', async () => {
    const org = await signIn();
    await Promise.all([1, 2, 3, 4].map(() => services.handlers.refreshOrg({ id: org.id })));
    // Had two refreshes raced, oidc-provider would have revoked the whole grant and this would fail.
    await services.handlers.refreshOrg({ id: org.id });
    const refresh = (await services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
    expect((await introspectAtPeer(refresh)).active).toBe(true);
  });

  it('introspects and revokes: after revoking the refresh token the server says it is inactive', async () => {
    const org = await signIn();
    expect((await services.handlers.introspectToken({ id: org.id, kind: 'access' })).active).toBe(true);
    const refresh = (await services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
    await services.handlers.revokeToken({ id: org.id, kind: 'refresh' });
    expect((await introspectAtPeer(refresh)).active).toBe(false);
    expect((await services.handlers.introspectToken({ id: org.id, kind: 'refresh' })).active).toBe(false);
  });

  it('gets JWT access tokens for a resource (RFC 8707/9068): expiry from exp, signature valid against the JWKS', async () => {
    await services.close();
    await peer.close();
    peer = await startOidcPeer({ jwtResource: true });
    services = await testHandlers();
    services.onOpen = (url) => {
      void (async () => {
        const { callbackUrl } = await loginAtOidcPeer(url);
        browser.pages.push((await followCallback(callbackUrl)).body);
      })().catch((e: unknown) => browser.pages.push(`browser failed: ${String(e)}`));
    };
    profile = await services.handlers.saveAppProfile({
      name: 'oidc-provider with an API resource',
      kind: 'oidc',
      consumerKey: NATIVE_CLIENT_ID,
      callbackUrl: 'http://127.0.0.1/callback',
      scopes: ['openid', 'offline_access', 'email', 'profile', 'api'],
    });
    const org = await signIn();
    const access = org.tokens.find((t) => t.kind === 'access')!;
    expect(access.format).toBe('jwt');
    expect(Math.abs(access.expiresAt! - Date.now())).toBeLessThan(3 * 3600_000);
    const decoded = await services.handlers.inspectOrgToken({ id: org.id, kind: 'access' });
    expect(decoded).toMatchObject({ kind: 'jws' });
    expect(JSON.stringify(decoded)).toContain(JWT_RESOURCE);
    expect(await services.handlers.verifyOrgToken({ id: org.id, kind: 'access' })).toMatchObject({ result: 'valid' });
    expect(org.username).toBe(ACCOUNT_ID);
  });
});

describe('client credentials at oidc-provider', () => {
  it('files a token that acts for no user under the app, and Refresh runs the grant again', async () => {
    await services.close();
    await peer.close();
    peer = await startOidcPeer({ clientCredentials: true });
    services = await testHandlers();
    const service = await services.handlers.saveAppProfile({
      name: 'Service client',
      kind: 'oidc',
      consumerKey: SERVICE_CLIENT_ID,
      consumerSecret: SERVICE_CLIENT_SECRET,
      callbackUrl: 'http://127.0.0.1/callback',
      scopes: [],
    });
    const org = await signInVia(services.handlers, {
      profileId: service.id,
      loginHost: peer.issuer,
      method: 'client_credentials',
    });
    expect(org).toMatchObject({
      label: `Service client at ${new URL(peer.issuer).host}`,
      username: null,
      grant: 'client_credentials',
    });
    // oidc-provider's client credentials tokens live 10 minutes: "expiring" at once, and still active.
    expect(org.tokens.map((t) => [t.kind, t.status])).toEqual([['access', 'active']]);
    expect(await services.handlers.introspectToken({ id: org.id, kind: 'access' })).toMatchObject({
      active: true,
      clientId: SERVICE_CLIENT_ID,
    });
    const refreshed = await services.handlers.refreshOrg({ id: org.id });
    expect(refreshed.tokens[0]!.hint).not.toBe(org.tokens[0]!.hint);
  });
});
