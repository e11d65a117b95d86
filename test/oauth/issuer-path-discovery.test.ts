/**
 * Discovery for issuers with a path, from a loopback stub serving documents shaped like Keycloak's
 * (`/realms/acme`), Okta's (`/oauth2/default`) and Entra ID's (`/{tenant}/v2.0`): OpenID Connect Discovery at
 * `{issuer}/.well-known/openid-configuration`, else RFC 8414 at `/.well-known/oauth-authorization-server{path}`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { normalizeLoginHost } from '../../main/oauth/login-host';
import { errorOf } from './support';

let server: Server;
let base: string;
let documents: Map<string, (base: string) => Record<string, unknown>>;
let requested: string[];

beforeEach(async () => {
  documents = new Map();
  requested = [];
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', base).pathname;
    requested.push(path);
    const document = documents.get(path);
    if (!document) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document(base)));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
});

const keycloak = (b: string) => {
  const issuer = `${b}/realms/acme`;
  const oidc = `${issuer}/protocol/openid-connect`;
  return {
    issuer,
    authorization_endpoint: `${oidc}/auth`,
    token_endpoint: `${oidc}/token`,
    introspection_endpoint: `${oidc}/token/introspect`,
    userinfo_endpoint: `${oidc}/userinfo`,
    end_session_endpoint: `${oidc}/logout`,
    jwks_uri: `${oidc}/certs`,
    registration_endpoint: `${issuer}/clients-registrations/openid-connect`,
    revocation_endpoint: `${oidc}/revoke`,
    device_authorization_endpoint: `${oidc}/auth/device`,
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'password'],
    code_challenge_methods_supported: ['plain', 'S256'],
  };
};

const okta = (b: string) => {
  const issuer = `${b}/oauth2/default`;
  return {
    issuer,
    authorization_endpoint: `${issuer}/v1/authorize`,
    token_endpoint: `${issuer}/v1/token`,
    userinfo_endpoint: `${issuer}/v1/userinfo`,
    registration_endpoint: `${b}/oauth2/v1/clients`,
    jwks_uri: `${issuer}/v1/keys`,
    introspection_endpoint: `${issuer}/v1/introspect`,
    revocation_endpoint: `${issuer}/v1/revoke`,
    device_authorization_endpoint: `${issuer}/v1/device/authorize`,
    code_challenge_methods_supported: ['S256'],
  };
};

const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const entra = (b: string) => ({
  issuer: `${b}/${TENANT}/v2.0`,
  authorization_endpoint: `${b}/${TENANT}/oauth2/v2.0/authorize`,
  token_endpoint: `${b}/${TENANT}/oauth2/v2.0/token`,
  device_authorization_endpoint: `${b}/${TENANT}/oauth2/v2.0/devicecode`,
  end_session_endpoint: `${b}/${TENANT}/oauth2/v2.0/logout`,
  jwks_uri: `${b}/${TENANT}/discovery/v2.0/keys`,
  // Entra ID's user info lives on Microsoft Graph: https on another host is fine.
  userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
  response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
});

describe('discovery of an issuer with a path', () => {
  it.each([
    ['Keycloak', '/realms/acme', keycloak, '/realms/acme/protocol/openid-connect/token'],
    ['Okta', '/oauth2/default', okta, '/oauth2/default/v1/token'],
    ['Entra ID', `/${TENANT}/v2.0`, entra, `/${TENANT}/oauth2/v2.0/token`],
  ])('reads %s’s {issuer}/.well-known/openid-configuration', async (_name, path, document, tokenPath) => {
    documents.set(`${path}/.well-known/openid-configuration`, document);
    // Typed the way people paste it: with a trailing slash and whatever followed.
    const loginHost = normalizeLoginHost(`${base}${path}/?foo=bar#x`);
    expect(loginHost).toBe(`${base}${path}`);
    const as = await discoverAuthorizationServer(loginHost);
    expect(as.issuer).toBe(`${base}${path}`);
    expect(as.token_endpoint).toBe(`${base}${tokenPath}`);
    expect(requested).toEqual([`${path}/.well-known/openid-configuration`]);
  });

  it('falls back to RFC 8414’s /.well-known/oauth-authorization-server{path} without OIDC discovery', async () => {
    documents.set('/.well-known/oauth-authorization-server/oauth2/default', okta);
    const as = await discoverAuthorizationServer(`${base}/oauth2/default`);
    expect(as.issuer).toBe(`${base}/oauth2/default`);
    expect(as.revocation_endpoint).toBe(`${base}/oauth2/default/v1/revoke`);
    expect(requested).toEqual([
      '/oauth2/default/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server/oauth2/default',
    ]);
  });

  it('also falls back to RFC 8414 for an issuer without a path', async () => {
    documents.set('/.well-known/oauth-authorization-server', (b) => ({ ...okta(b), issuer: b }));
    const as = await discoverAuthorizationServer(base);
    expect(as.issuer).toBe(base);
  });

  it('refuses a document whose issuer is not the whole login host', async () => {
    documents.set('/realms/acme/.well-known/openid-configuration', (b) => ({ ...keycloak(b), issuer: b }));
    const error = await errorOf(discoverAuthorizationServer(`${base}/realms/acme`));
    expect(error.code).toBe('oauth/invalid_login_host');
  });

  it('says a path with neither document is not a server we can use', async () => {
    documents.set('/realms/acme/.well-known/openid-configuration', keycloak);
    const error = await errorOf(discoverAuthorizationServer(`${base}/realms/other`));
    expect([error.code, error.message]).toEqual([
      'oauth/invalid_login_host',
      expect.stringMatching(/not an OpenID Connect server we can use/),
    ]);
  });

  it('keeps the endpoint check: plain http only on the issuer’s own origin', async () => {
    documents.set('/realms/acme/.well-known/openid-configuration', (b) => ({
      ...keycloak(b),
      token_endpoint: 'http://127.0.0.1:631/realms/acme/token',
    }));
    const error = await errorOf(discoverAuthorizationServer(`${base}/realms/acme`));
    expect([error.code, error.message]).toEqual(['oauth/bad_response', expect.stringMatching(/token_endpoint/)]);
  });
});
