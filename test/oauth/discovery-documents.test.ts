/**
 * Discovery documents shaped like Keycloak's (`/realms/acme`), Okta's (`/oauth2/default`) and Entra ID's
 * (`/{tenant}/v2.0`, and its multi-tenant `/common/v2.0` whose issuer is the template `{tenantid}`), served by a
 * loopback server that also answers the token, revocation and introspection endpoints they list: the app
 * discovers them, and authenticates the client at each endpoint as that endpoint's list (or the token
 * endpoint's, or RFC 8414's default) says: client_secret_post, client_secret_basic, or none for a public client.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { requestIntrospection } from '../../main/oauth/introspect';
import { refreshTokenGrant } from '../../main/oauth/refresh';
import { requestRevocation } from '../../main/oauth/revoke';
import { errorOf } from './support';

/** How one request authenticated the client. */
interface Seen {
  path: string;
  /** `client_secret_basic` (an Authorization: Basic header), `client_secret_post` (secret in the body) or `none`. */
  method: string;
  clientId: string | null;
}

let server: Server;
let base: string;
let documents: Map<string, (base: string) => Record<string, unknown>>;
let seen: Seen[];

const SECRET = 'the-client-secret';
const CLIENT_ID = 'inspector';

beforeEach(async () => {
  documents = new Map();
  seen = [];
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const document = documents.get(url.pathname);
    if (req.method === 'GET') {
      if (!document) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document(base)));
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const [user, password] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
      const method = basic ? 'client_secret_basic' : form.has('client_secret') ? 'client_secret_post' : 'none';
      const secret = basic ? decodeURIComponent(password ?? '') : form.get('client_secret');
      seen.push({
        path: url.pathname,
        method,
        clientId: basic ? decodeURIComponent(user ?? '') : form.get('client_id'),
      });
      if (method !== 'none' && secret !== SECRET) {
        return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
      }
      const json = (body: unknown) =>
        res
          .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
          .end(JSON.stringify(body));
      if (url.pathname.endsWith('/revoke')) return void res.writeHead(200).end();
      if (url.pathname.includes('introspect')) return void json({ active: true, client_id: CLIENT_ID });
      json({ access_token: 'opaque-access-token-0123456789', token_type: 'Bearer', expires_in: 300 });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
});

/** Keycloak 26's realm document: the same five methods listed for every endpoint. */
const KEYCLOAK_METHODS = [
  'private_key_jwt',
  'client_secret_basic',
  'client_secret_post',
  'tls_client_auth',
  'client_secret_jwt',
];
const keycloak = (b: string) => {
  const issuer = `${b}/realms/acme`;
  const oidc = `${issuer}/protocol/openid-connect`;
  return {
    issuer,
    authorization_endpoint: `${oidc}/auth`,
    token_endpoint: `${oidc}/token`,
    introspection_endpoint: `${oidc}/token/introspect`,
    userinfo_endpoint: `${oidc}/userinfo`,
    jwks_uri: `${oidc}/certs`,
    revocation_endpoint: `${oidc}/revoke`,
    code_challenge_methods_supported: ['plain', 'S256'],
    token_endpoint_auth_methods_supported: KEYCLOAK_METHODS,
    introspection_endpoint_auth_methods_supported: KEYCLOAK_METHODS,
    revocation_endpoint_auth_methods_supported: KEYCLOAK_METHODS,
  };
};

/** An Okta custom authorization server: `none` listed too (public clients with PKCE). */
const OKTA_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'];
const okta = (b: string) => {
  const issuer = `${b}/oauth2/default`;
  return {
    issuer,
    authorization_endpoint: `${issuer}/v1/authorize`,
    token_endpoint: `${issuer}/v1/token`,
    jwks_uri: `${issuer}/v1/keys`,
    introspection_endpoint: `${issuer}/v1/introspect`,
    revocation_endpoint: `${issuer}/v1/revoke`,
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: OKTA_METHODS,
    introspection_endpoint_auth_methods_supported: OKTA_METHODS,
    revocation_endpoint_auth_methods_supported: OKTA_METHODS,
  };
};

/** Entra ID v2.0: one list, for the token endpoint; no revocation or introspection endpoint. */
const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const entra = (b: string, tenant = TENANT) => ({
  issuer: `${b}/${tenant === 'common' ? '{tenantid}' : tenant}/v2.0`,
  authorization_endpoint: `${b}/${tenant}/oauth2/v2.0/authorize`,
  token_endpoint: `${b}/${tenant}/oauth2/v2.0/token`,
  jwks_uri: `${b}/${tenant}/discovery/v2.0/keys`,
  userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
  token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
  response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
});

async function discovered(path: string, document: (b: string) => Record<string, unknown>) {
  documents.set(`${path}/.well-known/openid-configuration`, document);
  return discoverAuthorizationServer(`${base}${path}`);
}

/** A refresh, a revocation and an introspection with the given secret (none: a public client). */
async function useEveryEndpoint(as: Awaited<ReturnType<typeof discovered>>, clientSecret: string | null) {
  const client = { as, clientId: CLIENT_ID, clientSecret };
  await refreshTokenGrant({ ...client, refreshToken: 'a-refresh-token-0123456789' });
  if (as.revocation_endpoint) await requestRevocation({ ...client, token: 'tok', hint: 'refresh_token' });
  if (as.introspection_endpoint) await requestIntrospection({ ...client, token: 'tok', hint: 'access_token' });
  return seen.map((s) => [s.path.replace(base, ''), s.method, s.clientId]);
}

describe('discovery documents of other servers', () => {
  it('Keycloak: discovered at the realm, client_secret_post at every endpoint (all of them list it)', async () => {
    const as = await discovered('/realms/acme', keycloak);
    expect(as.issuer).toBe(`${base}/realms/acme`);
    expect(await useEveryEndpoint(as, SECRET)).toEqual([
      ['/realms/acme/protocol/openid-connect/token', 'client_secret_post', CLIENT_ID],
      ['/realms/acme/protocol/openid-connect/revoke', 'client_secret_post', CLIENT_ID],
      ['/realms/acme/protocol/openid-connect/token/introspect', 'client_secret_post', CLIENT_ID],
    ]);
  });

  it('Okta: a public client sends only its client_id at every endpoint', async () => {
    const as = await discovered('/oauth2/default', okta);
    expect(await useEveryEndpoint(as, null)).toEqual([
      ['/oauth2/default/v1/token', 'none', CLIENT_ID],
      ['/oauth2/default/v1/revoke', 'none', CLIENT_ID],
      ['/oauth2/default/v1/introspect', 'none', CLIENT_ID],
    ]);
  });

  it('Entra ID (a tenant): the token endpoint’s list, and neither revocation nor introspection offered', async () => {
    const as = await discovered(`/${TENANT}/v2.0`, (b) => entra(b));
    expect(as.issuer).toBe(`${base}/${TENANT}/v2.0`);
    expect(await useEveryEndpoint(as, SECRET)).toEqual([
      [`/${TENANT}/oauth2/v2.0/token`, 'client_secret_post', CLIENT_ID],
    ]);
    const client = { as, clientId: CLIENT_ID, clientSecret: SECRET, token: 't', hint: 'access_token' as const };
    expect((await errorOf(requestRevocation(client))).message).toMatch(/does not publish a revocation endpoint/);
    expect((await errorOf(requestIntrospection(client))).message).toMatch(/does not publish an introspection endpoint/);
  });

  it('Entra ID’s multi-tenant endpoint: an issuer template is refused, saying to use the tenant’s issuer', async () => {
    const error = await errorOf(discovered('/common/v2.0', (b) => entra(b, 'common')));
    expect(error.code).toBe('oauth/invalid_login_host');
    expect(error.message).toMatch(/multi-tenant endpoint/);
    expect(error.message).toContain(`${base}/{tenantid}/v2.0`);
    expect(error.message).toMatch(/Use your tenant's own issuer/);
    // Nothing was sent to its endpoints.
    expect(seen).toEqual([]);
  });

  it('each endpoint follows its own list: basic where only basic is listed, the token endpoint’s list where none is', async () => {
    const as = await discovered('/oauth2/default', (b) => ({
      ...okta(b),
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic'],
      introspection_endpoint_auth_methods_supported: undefined,
    }));
    expect(await useEveryEndpoint(as, SECRET)).toEqual([
      ['/oauth2/default/v1/token', 'client_secret_post', CLIENT_ID],
      ['/oauth2/default/v1/revoke', 'client_secret_basic', CLIENT_ID],
      ['/oauth2/default/v1/introspect', 'client_secret_post', CLIENT_ID],
    ]);
  });

  it('a server with no lists gets RFC 8414’s default, client_secret_basic, at every endpoint', async () => {
    const as = await discovered('/realms/acme', (b) => ({
      ...keycloak(b),
      token_endpoint_auth_methods_supported: undefined,
      introspection_endpoint_auth_methods_supported: undefined,
      revocation_endpoint_auth_methods_supported: undefined,
    }));
    expect((await useEveryEndpoint(as, SECRET)).map(([, method]) => method)).toEqual([
      'client_secret_basic',
      'client_secret_basic',
      'client_secret_basic',
    ]);
  });

  it('a secret the server can take by no listed method is refused before anything is sent', async () => {
    const as = await discovered('/realms/acme', (b) => ({
      ...keycloak(b),
      token_endpoint_auth_methods_supported: ['private_key_jwt', 'tls_client_auth'],
    }));
    const error = await errorOf(
      refreshTokenGrant({ as, clientId: CLIENT_ID, clientSecret: SECRET, refreshToken: 'r' }),
    );
    expect(error.code).toBe('oauth/invalid_client');
    expect(error.message).toMatch(/token endpoint only by private_key_jwt, tls_client_auth/);
    expect(seen).toEqual([]);
  });
});
