/**
 * The same OAuth modules against panva's oidc-provider, a standards-complete server nobody here wrote:
 * a native public client with a `http://127.0.0.1/callback` redirect on any port, PKCE, `iss` in the
 * authorization response (RFC 9207) checked, refresh-token rotation with reuse detection, revocation,
 * introspection and userinfo.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../main/errors';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { requestIntrospection } from '../../main/oauth/introspect';
import { refreshTokenGrant, SingleFlight } from '../../main/oauth/refresh';
import { requestRevocation } from '../../main/oauth/revoke';
import type { TokenSet } from '../../main/oauth/token-set';
import { beginWebServerFlow } from '../../main/oauth/web-server-flow';
import { fetchUserInfo } from '../../main/salesforce/identity';
import { ACCOUNT_ID, NATIVE_CLIENT_ID, startOidcPeer, type OidcPeer } from '../servers/oidc-peer';
import { errorOf, systemBrowser, type BrowserOptions } from './support';

let peer: OidcPeer;
beforeEach(async () => {
  peer = await startOidcPeer();
});
afterEach(async () => {
  await peer.close();
});

const SCOPES = ['openid', 'offline_access', 'email', 'profile'];

async function signIn(browser: BrowserOptions = {}) {
  const { openExternal, seen } = systemBrowser({ kind: 'oidc', ...browser });
  const flow = await beginWebServerFlow({
    loginHost: peer.issuer,
    clientId: NATIVE_CLIENT_ID,
    redirectUri: 'http://127.0.0.1/callback',
    scopes: SCOPES,
    // OIDC Core §11: offline_access (a refresh token) needs prompt=consent.
    prompt: 'login consent',
    openExternal,
  });
  try {
    const tokens = await flow.result;
    flow.finish({ ok: true, org: 'oidc-provider', username: ACCOUNT_ID });
    return { tokens, flow, seen };
  } finally {
    await seen.idle();
  }
}

const about = async (token: string, hint: 'access_token' | 'refresh_token') => ({
  as: await discoverAuthorizationServer(peer.issuer),
  clientId: NATIVE_CLIENT_ID,
  token,
  hint,
});

describe('against oidc-provider', () => {
  it('signs in with PKCE on an any-port 127.0.0.1 redirect, checking iss', async () => {
    const { tokens, flow, seen } = await signIn();
    const q = new URL(flow.authorizeUrl).searchParams;
    expect(flow.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(q.get('redirect_uri')).toBe(flow.redirectUri);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(flow.as.authorization_response_iss_parameter_supported).toBe(true);
    expect(new URL(seen.callbacks[0]!).searchParams.get('iss')).toBe(peer.issuer);
    expect(seen.callbackStatus).toEqual([303]);
    expect(seen.pages[0]).toContain('Signed in to oidc-provider');
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.idToken).toMatch(/^eyJ/);
    // A standard server sends expires_in, unlike Salesforce.
    expect(tokens.expiresAt).not.toBeNull();
    expect(tokens.expiresAt! - Date.now()).toBeGreaterThan(0);
    expect(tokens.instanceUrl).toBeNull();
    expect(tokens.scopes).toEqual(expect.arrayContaining(['openid', 'offline_access']));
  });

  it('stops when iss in the callback is wrong or missing', async () => {
    const wrong = await errorOf(signIn({ tamper: (cb) => cb.searchParams.set('iss', 'http://127.0.0.1:1/evil') }));
    expect(wrong.code).toBe('oauth/iss_mismatch');
    const missing = await errorOf(signIn({ tamper: (cb) => cb.searchParams.delete('iss') }));
    expect(missing.code).toBe('oauth/iss_mismatch');
  });

  it('reports a denial in the browser', async () => {
    const error = await errorOf(signIn({ decision: 'deny' }));
    expect(error.code).toBe('oauth/access_denied');
  });

  it('introspects and reads userinfo with the subject checked', async () => {
    const { tokens } = await signIn();
    const view = await requestIntrospection(await about(tokens.accessToken, 'access_token'));
    expect(view).toMatchObject({ active: true, clientId: NATIVE_CLIENT_ID, sub: ACCOUNT_ID });
    expect(view.exp).not.toBeNull();
    const as = await discoverAuthorizationServer(peer.issuer);
    const info = await fetchUserInfo(as, NATIVE_CLIENT_ID, tokens.accessToken, { expectedSubject: ACCOUNT_ID });
    expect(info).toMatchObject({ sub: ACCOUNT_ID, email: ACCOUNT_ID, displayName: 'Tess Tester' });
    const mismatch = await errorOf(
      fetchUserInfo(as, NATIVE_CLIENT_ID, tokens.accessToken, { expectedSubject: 'someone-else' }),
    );
    expect(mismatch.code).toBe('oauth/bad_response');
  });

  it('refreshes with rotation: the new refresh token works, the old one is dead', async () => {
    const { tokens } = await signIn();
    const as = await discoverAuthorizationServer(peer.issuer);
    const next = await refreshTokenGrant({ as, clientId: NATIVE_CLIENT_ID, refreshToken: tokens.refreshToken! });
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect((await requestIntrospection(await about(next.refreshToken!, 'refresh_token'))).active).toBe(true);
    expect((await requestIntrospection(await about(tokens.refreshToken!, 'refresh_token'))).active).toBe(false);
  });

  it('parallel refreshes: without single-flight the grant dies; with it, it survives', async () => {
    const as = await discoverAuthorizationServer(peer.issuer);

    // Without single-flight: reuse detection revokes the whole grant, the winner's token included.
    const racing = await signIn();
    const raced = await Promise.allSettled(
      [1, 2].map(() =>
        refreshTokenGrant({ as, clientId: NATIVE_CLIENT_ID, refreshToken: racing.tokens.refreshToken! }),
      ),
    );
    const losers = raced.filter((r) => r.status === 'rejected');
    expect(losers).toHaveLength(1);
    expect(isAppError(losers[0]!.reason, 'oauth/invalid_grant')).toBe(true);
    const winner = raced.find((r): r is PromiseFulfilledResult<TokenSet> => r.status === 'fulfilled')!.value;
    expect((await requestIntrospection(await about(winner.refreshToken!, 'refresh_token'))).active).toBe(false);

    // With single-flight: one request, every caller gets its result, and the grant lives on.
    const { tokens } = await signIn();
    let stored = tokens;
    // The way the token lifecycle (main/orgs/token-lifecycle.ts) runs it: one flight per org, persisted first.
    const flights = new SingleFlight<TokenSet>();
    const refresher = {
      refresh: (org: string) =>
        flights.run(org, () =>
          refreshTokenGrant({
            as,
            clientId: NATIVE_CLIENT_ID,
            refreshToken: stored.refreshToken!,
            persist: (set) => {
              stored = set;
            },
          }),
        ),
    };
    const all = await Promise.all([1, 2, 3, 4].map(() => refresher.refresh('peer-org')));
    expect(new Set(all.map((s) => s.refreshToken)).size).toBe(1);
    expect((await requestIntrospection(await about(stored.refreshToken!, 'refresh_token'))).active).toBe(true);
    const again = await refresher.refresh('peer-org');
    expect(again.refreshToken).not.toBe(all[0]!.refreshToken);
  });

  it('revokes access and refresh tokens; introspection says inactive', async () => {
    const { tokens } = await signIn();
    await requestRevocation(await about(tokens.accessToken, 'access_token'));
    expect((await requestIntrospection(await about(tokens.accessToken, 'access_token'))).active).toBe(false);
    await requestRevocation(await about(tokens.refreshToken!, 'refresh_token'));
    expect((await requestIntrospection(await about(tokens.refreshToken!, 'refresh_token'))).active).toBe(false);
    const as = await discoverAuthorizationServer(peer.issuer);
    const dead = await errorOf(
      refreshTokenGrant({ as, clientId: NATIVE_CLIENT_ID, refreshToken: tokens.refreshToken! }),
    );
    expect(dead.code).toBe('oauth/invalid_grant');
  });

  it('userinfo with a revoked access token is sf/session_expired, so callers can refresh', async () => {
    const { tokens } = await signIn();
    await requestRevocation(await about(tokens.accessToken, 'access_token'));
    const as = await discoverAuthorizationServer(peer.issuer);
    expect((await errorOf(fetchUserInfo(as, NATIVE_CLIENT_ID, tokens.accessToken))).code).toBe('sf/session_expired');
  });
});
