/**
 * An issuer with a path (Keycloak's `/realms/acme`, Okta's `/oauth2/default`): oidc-provider mounted under
 * `/realms/acme`, and the product's real handlers sign in, register, refresh, introspect and revoke there.
 * Nothing is served at the origin, so any step that cut the issuer down to its origin would fail.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppProfile } from '../../preload/contract';
import { followCallback } from '../servers/browser-login';
import {
  ACCOUNT_ID,
  loginAtOidcPeer,
  NATIVE_CLIENT_ID,
  PEER_INITIAL_ACCESS_TOKEN,
  startOidcPeer,
  type OidcPeer,
} from '../servers/oidc-peer';
import { signInVia } from '../support/sign-in';
import { testHandlers, type TestServices } from '../support/test-services';

const PATH = '/realms/acme';

let peer: OidcPeer;
let services: TestServices;
let profile: AppProfile;
let pages: string[];

beforeEach(async () => {
  peer = await startOidcPeer({ issuerPath: PATH });
  services = await testHandlers();
  profile = await services.handlers.saveAppProfile({
    name: 'Realm client',
    kind: 'oidc',
    consumerKey: NATIVE_CLIENT_ID,
    callbackUrl: 'http://127.0.0.1/callback',
    scopes: ['openid', 'offline_access', 'email', 'profile'],
  });
  pages = [];
  services.onOpen = (url) => {
    void (async () => {
      const { callbackUrl } = await loginAtOidcPeer(url);
      pages.push((await followCallback(callbackUrl)).body);
    })().catch((e: unknown) => pages.push(`browser failed: ${String(e)}`));
  };
});
afterEach(async () => {
  await services.close();
  await peer.close();
});

async function introspectAtPeer(token: string): Promise<{ active: boolean }> {
  const response = await fetch(`${peer.issuer}/token/introspection`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, client_id: NATIVE_CLIENT_ID }),
  });
  return (await response.json()) as { active: boolean };
}

describe('an issuer with a path (oidc-provider under /realms/acme)', () => {
  it('is a peer whose issuer and endpoints carry the path, with nothing at the origin', async () => {
    expect(new URL(peer.issuer).pathname).toBe(PATH);
    const config = (await (await fetch(`${peer.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    expect(config['issuer']).toBe(peer.issuer);
    expect(config['token_endpoint']).toBe(`${peer.issuer}/token`);
    expect((await fetch(`${new URL(peer.issuer).origin}/.well-known/openid-configuration`)).status).toBe(404);
  });

  it('signs in through the web-server flow, keeping the whole issuer as the login host', async () => {
    const org = await signInVia(services.handlers, {
      profileId: profile.id,
      loginHost: `${peer.issuer}/`,
      method: 'authorization_code',
    });
    expect(new URL(services.opened[0]!).pathname).toBe(`${PATH}/auth`);
    expect(org.loginHost).toBe(peer.issuer);
    expect(org.username).toBe(ACCOUNT_ID);
    expect(org.tokens.map((t) => t.kind).sort()).toEqual(['access', 'id', 'refresh']);
    expect(pages.join('\n')).not.toContain('browser failed');
  });

  it('refreshes, introspects and revokes at the issuer’s own endpoints', async () => {
    const org = await signInVia(services.handlers, {
      profileId: profile.id,
      loginHost: peer.issuer,
      method: 'authorization_code',
    });
    const before = (await services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
    const refreshed = await services.handlers.refreshOrg({ id: org.id });
    expect(refreshed.loginHost).toBe(peer.issuer);
    const after = (await services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
    expect(after).not.toBe(before);
    expect((await introspectAtPeer(before)).active).toBe(false);

    expect((await services.handlers.introspectToken({ id: org.id, kind: 'access' })).active).toBe(true);
    expect((await services.handlers.introspectToken({ id: org.id, kind: 'refresh' })).active).toBe(true);
    await services.handlers.revokeToken({ id: org.id, kind: 'refresh' });
    expect((await introspectAtPeer(after)).active).toBe(false);
    expect((await services.handlers.introspectToken({ id: org.id, kind: 'refresh' })).active).toBe(false);
  });

  it('registers a client at the issuer (RFC 7591), and the new client signs in there', async () => {
    const registered = await services.handlers.registerAppProfile({
      loginHost: peer.issuer,
      initialAccessToken: PEER_INITIAL_ACCESS_TOKEN,
      name: 'Registered in the realm',
      callbackUrl: 'http://127.0.0.1/callback',
      scopes: ['openid', 'email'],
    });
    expect(registered.hasSecret).toBe(true);
    const org = await signInVia(services.handlers, {
      profileId: registered.id,
      loginHost: peer.issuer,
      method: 'authorization_code',
    });
    expect(org.loginHost).toBe(peer.issuer);
    expect(org.tokens.some((t) => t.kind === 'access')).toBe(true);
  });
});
