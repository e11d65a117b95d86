/**
 * OIDC Core §3.1.2.1 `nonce` in the web server flow: sent, fresh, whenever the scopes include `openid`, and
 * checked in the ID token at the code exchange; against panva's oidc-provider (also one that refuses an
 * openid authorization request without a nonce) and the Salesforce double (which echoes it, like Salesforce).
 */
import { decodeJwt } from 'jose';
import type Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { beginWebServerFlow } from '../../main/oauth/web-server-flow';
import { ACCOUNT_ID, NATIVE_CLIENT_ID, startOidcPeer, type OidcPeer } from '../servers/oidc-peer';
import { errorOf, signInAtDouble, startDoubleWorld, systemBrowser, type DoubleWorld } from './support';

let peer: OidcPeer | null = null;
let world: DoubleWorld | null = null;
afterEach(async () => {
  await peer?.close();
  await world?.close();
  peer = null;
  world = null;
});

async function signInAtPeer(p: OidcPeer, options: { scopes?: string[]; rewrite?: (authorize: URL) => void } = {}) {
  const browser = systemBrowser({ kind: 'oidc' });
  const flow = await beginWebServerFlow({
    loginHost: p.issuer,
    clientId: NATIVE_CLIENT_ID,
    redirectUri: 'http://127.0.0.1/callback',
    scopes: options.scopes ?? ['openid', 'email'],
    openExternal: (url) => {
      const authorize = new URL(url);
      options.rewrite?.(authorize);
      return browser.openExternal(authorize.href);
    },
  });
  try {
    const tokens = await flow.result;
    flow.finish({ ok: true, org: 'oidc-provider', username: ACCOUNT_ID });
    return { tokens, flow };
  } finally {
    await browser.seen.idle();
  }
}

/**
 * A peer that answers an openid authorization request without `nonce` with 400, like some servers do.
 * `startOidcPeer` has already composed the middleware into `provider.callback()` for its HTTP server, so a
 * `provider.use` now would never run; Koa's `handleRequest`, looked up on the instance for each request, is
 * wrapped instead to put the check in front of oidc-provider.
 */
type Middleware = (ctx: Koa.Context, next: () => Promise<void>) => Promise<void>;
async function peerRequiringNonce(): Promise<{ peer: OidcPeer; refused: string[] }> {
  const started = await startOidcPeer();
  const refused: string[] = [];
  const requireNonce: Middleware = async (ctx, next) => {
    if (ctx.path.endsWith('/auth') && !ctx.query.nonce && String(ctx.query.scope ?? '').includes('openid')) {
      refused.push(ctx.href);
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: 'nonce is required' };
      return;
    }
    await next();
  };
  const app = started.provider as unknown as {
    handleRequest(ctx: Koa.Context, fn: (ctx: Koa.Context) => Promise<void>): Promise<void>;
  };
  const handle = app.handleRequest.bind(app);
  app.handleRequest = (ctx, fn) => handle(ctx, (c) => requireNonce(c, () => fn(c)));
  return { peer: started, refused };
}

describe('nonce with openid', () => {
  it('sends a fresh nonce and gets it back in the ID token from oidc-provider', async () => {
    peer = await startOidcPeer();
    const first = await signInAtPeer(peer);
    const second = await signInAtPeer(peer);
    const nonce = new URL(first.flow.authorizeUrl).searchParams.get('nonce');
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(new URL(second.flow.authorizeUrl).searchParams.get('nonce')).not.toBe(nonce);
    expect(decodeJwt(first.tokens.idToken!).nonce).toBe(nonce);
  });

  it('stops with a typed error when the ID token carries another nonce', async () => {
    peer = await startOidcPeer();
    const error = await errorOf(
      signInAtPeer(peer, { rewrite: (authorize) => authorize.searchParams.set('nonce', 'replayed-nonce') }),
    );
    expect(error.code).toBe('oauth/bad_response');
    expect(error.message).toMatch(/nonce/);
  });

  it('signs in at a server that requires a nonce with openid', async () => {
    const required = await peerRequiringNonce();
    peer = required.peer;
    const { tokens } = await signInAtPeer(peer);
    expect(tokens.idToken).toMatch(/^eyJ/);
    expect(required.refused).toEqual([]);
    // The check is live: an openid request without nonce is refused.
    const bare = new URL(`${peer.issuer}/auth`);
    bare.search = new URLSearchParams({
      client_id: NATIVE_CLIENT_ID,
      scope: 'openid',
      response_type: 'code',
    }).toString();
    expect((await fetch(bare, { redirect: 'manual' })).status).toBe(400);
    expect(required.refused).toHaveLength(1);
  });

  it('sends no nonce without openid', async () => {
    peer = await startOidcPeer();
    const { tokens, flow } = await signInAtPeer(peer, { scopes: ['api'] });
    expect(new URL(flow.authorizeUrl).searchParams.has('nonce')).toBe(false);
    expect(tokens.idToken).toBeNull();
  });

  it('keeps Salesforce working: the double echoes the nonce into its ID token', async () => {
    world = await startDoubleWorld();
    const { tokens, flow } = await signInAtDouble(world);
    const nonce = new URL(flow.authorizeUrl).searchParams.get('nonce');
    expect(nonce).toBeTruthy();
    expect(decodeJwt(tokens.idToken!).nonce).toBe(nonce);

    const plain = await signInAtDouble(world, { scopes: ['api', 'refresh_token'] });
    expect(new URL(plain.flow.authorizeUrl).searchParams.has('nonce')).toBe(false);
  });
});
