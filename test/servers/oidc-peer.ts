/**
 * panva's oidc-provider, a standards-complete OAuth 2.0 / OpenID Connect server nobody here wrote, run
 * in-process on 127.0.0.1 as a peer the product's flows must also pass against (shared/OIDC-PROVIDER.md).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { CookieJar } from './browser-login';

export const NATIVE_CLIENT_ID = 'native-inspector';
export const ACCOUNT_ID = 'tester@example.com';

export interface OidcPeer {
  issuer: string;
  provider: Provider;
  close(): Promise<void>;
}

/** The resource whose access tokens are JWTs, when `jwtResource` is on (RFC 8707 + RFC 9068). */
export const PEER_INITIAL_ACCESS_TOKEN = 'peer-initial-access-token';

export const JWT_RESOURCE = 'urn:example:api';

export async function startOidcPeer(options: { jwtResource?: boolean } = {}): Promise<OidcPeer> {
  const server: Server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'peer-1', use: 'sig', alg: 'RS256' }] },
    clients: [
      {
        client_id: NATIVE_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: id, name: 'Tess Tester', preferred_username: id }),
    }),
    claims: { openid: ['sub'], email: ['email'], profile: ['name', 'preferred_username'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'api'],
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      registration: { enabled: true, initialAccessToken: PEER_INITIAL_ACCESS_TOKEN },
      ...(options.jwtResource
        ? {
            resourceIndicators: {
              enabled: true,
              defaultResource: () => JWT_RESOURCE,
              useGrantedResource: () => true,
              getResourceServerInfo: () => ({
                scope: 'api',
                audience: JWT_RESOURCE,
                accessTokenFormat: 'jwt' as const,
              }),
            },
          }
        : {}),
    },
    rotateRefreshToken: true,
    pkce: { required: () => true },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    provider,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/**
 * Logs in through oidc-provider's development login and consent pages with a cookie jar, like a browser,
 * and returns the callback URL it redirects to (not requested). `deny` aborts the interaction.
 */
export async function loginAtOidcPeer(
  authorizeUrl: string,
  options: { accountId?: string; deny?: boolean } = {},
): Promise<{ callbackUrl: string }> {
  const jar = new CookieJar();
  const origin = new URL(authorizeUrl).origin;
  let url = authorizeUrl;
  let init: RequestInit = {};
  for (let step = 0; step < 12; step++) {
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(url, response);
    init = {};
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin !== origin) return { callbackUrl: next.href };
      url = next.href;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`oidc-provider showed no form (${response.status}): ${html.slice(0, 300)}`);
    if (options.deny) {
      url = new URL(`${action}/abort`, url).href;
      continue;
    }
    const body = new URLSearchParams({ prompt });
    if (prompt === 'login') {
      body.set('login', options.accountId ?? ACCOUNT_ID);
      body.set('password', 'any');
    }
    url = new URL(action, url).href;
    init = { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error('oidc-provider login did not finish in 12 steps');
}
