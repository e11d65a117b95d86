/**
 * Client authentication chosen per endpoint from the server's metadata, against oidc-provider: a confidential
 * client that may use only `client_secret_basic` (the peer's `basicOnly` configuration, whose discovery lists
 * only that method and `none`) signs in, refreshes with rotation, introspects and revokes; `client_secret_post`
 * is refused there. And a discovery document changed by middleware to list another method for one endpoint
 * makes the app use it at that endpoint only (and this server, which does not read it, refuses it there).
 */
import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { requestIntrospection } from '../../main/oauth/introspect';
import { refreshTokenGrant } from '../../main/oauth/refresh';
import { requestRevocation } from '../../main/oauth/revoke';
import { beginWebServerFlow } from '../../main/oauth/web-server-flow';
import {
  ACCOUNT_ID,
  BASIC_CLIENT_ID,
  BASIC_CLIENT_SECRET,
  startOidcPeer,
  type OidcPeer,
  type OidcPeerOptions,
} from '../servers/oidc-peer';
import { errorOf, systemBrowser } from './support';

let peer: OidcPeer | null = null;
afterEach(async () => {
  await peer?.close();
  peer = null;
});

async function start(options: OidcPeerOptions) {
  peer = await startOidcPeer(options);
  return { peer, as: await discoverAuthorizationServer(peer.issuer) };
}

async function signInWithBasicClient(as: oauth.AuthorizationServer) {
  const { openExternal, seen } = systemBrowser({ kind: 'oidc' });
  const flow = await beginWebServerFlow({
    as,
    clientId: BASIC_CLIENT_ID,
    clientSecret: BASIC_CLIENT_SECRET,
    redirectUri: 'http://127.0.0.1/callback',
    scopes: ['openid', 'offline_access'],
    prompt: 'login consent',
    openExternal,
  });
  try {
    const tokens = await flow.result;
    flow.finish({ ok: true, org: 'oidc-provider', username: ACCOUNT_ID });
    return tokens;
  } finally {
    await seen.idle();
  }
}

describe('a confidential client that may use only client_secret_basic', () => {
  it('is what discovery lists, and signs in, refreshes with rotation, introspects and revokes with it', async () => {
    const { as } = await start({ basicOnly: true });
    expect(as.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'none']);
    const tokens = await signInWithBasicClient(as);
    expect(tokens.refreshToken).toBeTruthy();

    const client = { as, clientId: BASIC_CLIENT_ID, clientSecret: BASIC_CLIENT_SECRET };
    const refreshed = await refreshTokenGrant({ ...client, refreshToken: tokens.refreshToken! });
    expect(refreshed.refreshToken).toBeTruthy();
    expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);

    const active = await requestIntrospection({ ...client, token: refreshed.accessToken, hint: 'access_token' });
    expect(active).toMatchObject({ active: true, clientId: BASIC_CLIENT_ID, sub: ACCOUNT_ID });

    await requestRevocation({ ...client, token: refreshed.refreshToken!, hint: 'refresh_token' });
    const revoked = await requestIntrospection({ ...client, token: refreshed.refreshToken!, hint: 'refresh_token' });
    expect(revoked.active).toBe(false);
  });

  it('refuses client_secret_post, at the token endpoint and when the app is made to send it', async () => {
    const { as } = await start({ basicOnly: true });
    const tokens = await signInWithBasicClient(as);
    // The same refresh with the secret in the body, sent by oauth4webapi itself: invalid_client.
    const response = await oauth.refreshTokenGrantRequest(
      as,
      { client_id: BASIC_CLIENT_ID },
      oauth.ClientSecretPost(BASIC_CLIENT_SECRET),
      tokens.refreshToken!,
      { [oauth.allowInsecureRequests]: true },
    );
    const refused = await oauth.processRefreshTokenResponse(as, { client_id: BASIC_CLIENT_ID }, response).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(oauth.ResponseBodyError);
    expect((refused as oauth.ResponseBodyError).error).toBe('invalid_client');

    // A description that lists only client_secret_post makes the app send it, and the refusal names it, in the
    // words of a server that is not Salesforce.
    const postOnly = { ...as, token_endpoint_auth_methods_supported: ['client_secret_post'] };
    const error = await errorOf(
      refreshTokenGrant({
        as: postOnly,
        clientId: BASIC_CLIENT_ID,
        clientSecret: BASIC_CLIENT_SECRET,
        refreshToken: tokens.refreshToken!,
      }),
    );
    expect(error.code).toBe('oauth/invalid_client');
    expect(error.message).toMatch(
      /sent with client_secret_post\)\. Check the client ID and secret in the app profile\./,
    );
    expect(error.message).not.toMatch(/Salesforce|consumer/);
    // The refresh token was not used up by the refused request.
    expect(
      (
        await refreshTokenGrant({
          as,
          clientId: BASIC_CLIENT_ID,
          clientSecret: BASIC_CLIENT_SECRET,
          refreshToken: tokens.refreshToken!,
        })
      ).accessToken,
    ).toBeTruthy();
  });
});

describe('a list for one endpoint, from the server’s own discovery document', () => {
  it('is used at that endpoint only: client_secret_post at revocation, client_secret_basic elsewhere', async () => {
    const { as } = await start({
      basicOnly: true,
      middleware: [
        async (ctx, next) => {
          await next();
          if (ctx.oidc?.route === 'discovery') {
            ctx.body = { ...(ctx.body as object), revocation_endpoint_auth_methods_supported: ['client_secret_post'] };
          }
        },
      ],
    });
    expect(as.revocation_endpoint_auth_methods_supported).toEqual(['client_secret_post']);
    const tokens = await signInWithBasicClient(as);
    const client = { as, clientId: BASIC_CLIENT_ID, clientSecret: BASIC_CLIENT_SECRET };
    // Introspection publishes no list of its own: the token endpoint's applies (client_secret_basic), and it works.
    expect((await requestIntrospection({ ...client, token: tokens.accessToken, hint: 'access_token' })).active).toBe(
      true,
    );
    // Revocation lists only client_secret_post, which this server does not read: the client is refused there.
    const error = await errorOf(requestRevocation({ ...client, token: tokens.refreshToken!, hint: 'refresh_token' }));
    expect(error.code).toBe('oauth/invalid_client');
    expect(error.message).toMatch(/while revoking the token \(invalid_client.*sent with client_secret_post\)/);
    // The token endpoint still takes client_secret_basic.
    expect((await refreshTokenGrant({ ...client, refreshToken: tokens.refreshToken! })).accessToken).toBeTruthy();
  });
});
