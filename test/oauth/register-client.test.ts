/**
 * Dynamic client registration (RFC 7591): the metadata the app registers with, and answers with 200 OK
 * instead of 201 Created, as some servers do: the client is accepted; and a 2xx whose body cannot be used
 * says the client may exist and how to clean up. Against a loopback stub registration endpoint, and
 * oidc-provider (201) to show nothing else changed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { registerClient } from '../../main/oauth/register-client';
import { PEER_INITIAL_ACCESS_TOKEN, startOidcPeer, type OidcPeer } from '../servers/oidc-peer';
import { errorOf, errorText } from './support';

let stub: Server | null = null;
let peer: OidcPeer | null = null;
afterEach(async () => {
  if (stub) {
    stub.closeAllConnections();
    await new Promise((ok) => stub!.close(ok));
  }
  await peer?.close();
  stub = peer = null;
});

/**
 * A registration endpoint that answers every request with this status, content type and body; `metadata`
 * adds to the server's description (a Salesforce-shaped token endpoint, client authentication methods).
 */
async function stubRegistration(
  status: number,
  body: string,
  type = 'application/json',
  metadata: (issuer: string) => Partial<oauth.AuthorizationServer> = () => ({}),
) {
  const seen: unknown[] = [];
  stub = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
  });
  await new Promise<void>((ok) => stub!.listen(0, '127.0.0.1', ok));
  const issuer = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  const as: oauth.AuthorizationServer = { issuer, registration_endpoint: `${issuer}/register`, ...metadata(issuer) };
  return { as, seen };
}

const register = (as: oauth.AuthorizationServer, initialAccessToken = 'iat') =>
  registerClient({
    as,
    initialAccessToken,
    name: 'Inspector',
    redirectUri: 'http://127.0.0.1/callback',
    scopes: ['openid', 'api'],
  });

/** Salesforce's layout: its token endpoint at `{issuer}/services/oauth2/token`, no list of methods. */
const salesforceShaped = (issuer: string) => ({ token_endpoint: `${issuer}/services/oauth2/token` });

const CLIENT = JSON.stringify({ client_id: 'new-client', client_secret: 's3cret', client_secret_expires_at: 0 });

describe('registration answered with 200', () => {
  it('accepts a 200 with a valid client body', async () => {
    const { as, seen } = await stubRegistration(200, CLIENT);
    expect(await register(as)).toEqual({ clientId: 'new-client', clientSecret: 's3cret' });
    expect(seen).toHaveLength(1);
  });

  it('still accepts a 201, and a public client without a secret', async () => {
    const { as } = await stubRegistration(201, JSON.stringify({ client_id: 'public-client' }));
    expect(await register(as)).toEqual({ clientId: 'public-client', clientSecret: null });
  });

  it('says the client may have been created when a 2xx answer cannot be used', async () => {
    for (const [status, body, type] of [
      [200, '<html>created</html>', 'text/html'],
      [201, '{"client_id":', 'application/json'],
      [200, JSON.stringify({ client_secret: 'half-made-secret' }), 'application/json'],
    ] as const) {
      const { as } = await stubRegistration(status, body, type);
      const error = await errorOf(register(as));
      expect(error.code).toBe('oauth/bad_response');
      expect(error.message).toContain(`HTTP ${status}`);
      expect(error.message).toMatch(/may have created the client "Inspector"/);
      expect(error.message).toMatch(/admin console/);
      expect(errorText(error)).not.toContain('half-made-secret');
      stub!.closeAllConnections();
      await new Promise((ok) => stub!.close(ok));
      stub = null;
    }
  });

  it('keeps error answers as they were: a refused initial access token', async () => {
    const { as } = await stubRegistration(401, JSON.stringify({ error: 'invalid_token' }));
    expect((await errorOf(register(as))).code).toBe('oauth/invalid_client');
  });

  it('registers at oidc-provider (201) as before', async () => {
    peer = await startOidcPeer();
    const as = await discoverAuthorizationServer(peer.issuer);
    const client = await register(as, PEER_INITIAL_ACCESS_TOKEN);
    expect(client.clientId).toBeTruthy();
    expect(client.clientSecret).toBeTruthy();
  });
});

describe('the registration request', () => {
  it('registers a native app with the callback, grants, scopes and client_secret_post', async () => {
    const { as, seen } = await stubRegistration(201, CLIENT, 'application/json', salesforceShaped);
    await register(as);
    expect(seen[0]).toEqual({
      client_name: 'Inspector',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      application_type: 'native',
      token_endpoint_auth_method: 'client_secret_post',
      scope: 'openid api',
    });
  });

  it('asks for response type "code" only together with the authorization_code grant', async () => {
    const { as, seen } = await stubRegistration(201, CLIENT);
    await registerClient({
      as,
      initialAccessToken: 'iat',
      name: 'Service',
      redirectUri: 'http://127.0.0.1/callback',
      scopes: ['api'],
      grantTypes: ['client_credentials'],
    });
    expect(seen[0]).toMatchObject({ grant_types: ['client_credentials'], response_types: [] });
  });

  it('refuses a server without a registration endpoint, and a 403 is the initial access token refused', async () => {
    const none = await errorOf(register({ issuer: 'http://127.0.0.1:9' }));
    expect(none).toMatchObject({
      code: 'oauth/bad_response',
      message: expect.stringMatching(/dynamic client registration/),
    });
    const { as } = await stubRegistration(403, '', 'application/json', salesforceShaped);
    expect(await errorOf(register(as, 'expired-iat'))).toMatchObject({
      code: 'oauth/invalid_client',
      message: expect.stringMatching(/Generate Initial Access Token/),
    });
  });
});

describe('registration follows the server', () => {
  it('registers the client authentication method the app will use at the token endpoint', async () => {
    const basicOnly = await stubRegistration(201, CLIENT, 'application/json', () => ({
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
    }));
    await register(basicOnly.as);
    expect(basicOnly.seen[0]).toMatchObject({ token_endpoint_auth_method: 'client_secret_basic' });
    stub!.closeAllConnections();
    await new Promise((ok) => stub!.close(ok));
    // No list at a server that is not Salesforce: RFC 8414's (and RFC 7591's) default, client_secret_basic.
    const unlisted = await stubRegistration(201, CLIENT);
    await register(unlisted.as);
    expect(unlisted.seen[0]).toMatchObject({ token_endpoint_auth_method: 'client_secret_basic' });
  });

  it('refuses to register at a server that takes no client secret at all, before sending anything', async () => {
    const { as, seen } = await stubRegistration(201, CLIENT, 'application/json', () => ({
      token_endpoint_auth_methods_supported: ['private_key_jwt', 'tls_client_auth'],
    }));
    expect(await errorOf(register(as))).toMatchObject({
      code: 'oauth/invalid_client',
      message: expect.stringMatching(/only by private_key_jwt, tls_client_auth/),
    });
    expect(seen).toEqual([]);
  });

  it('words a refused initial access token for the server: Salesforce Setup, or the server’s administrator', async () => {
    const other = await stubRegistration(403, '');
    const error = await errorOf(register(other.as, 'expired-iat'));
    expect(error.code).toBe('oauth/invalid_client');
    expect(error.message).toBe(
      "The server refused the initial access token. Ask the server's administrator for a new one (or create it in the server's admin console) and paste it again.",
    );
    expect(error.message).not.toMatch(/Salesforce|Setup/);
  });

  it('words a half-made client for the server: Salesforce Setup, or the server’s admin console', async () => {
    const salesforce = await stubRegistration(201, '{"nope":true}', 'application/json', salesforceShaped);
    expect((await errorOf(register(salesforce.as))).message).toMatch(
      /may have created the client "Inspector" anyway\. Delete that half-made client in Salesforce Setup \(App Manager\)/,
    );
    stub!.closeAllConnections();
    await new Promise((ok) => stub!.close(ok));
    const other = await stubRegistration(201, '{"nope":true}');
    const error = await errorOf(register(other.as));
    expect(error.message).toMatch(/Delete that half-made client in the server's admin console, then register again/);
    expect(error.message).not.toMatch(/Salesforce|Setup/);
  });
});
