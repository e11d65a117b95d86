/**
 * Error answers without an OAuth JSON body (an empty 400/401/403, an HTML page) from the token, revocation
 * and introspection endpoints of the Salesforce double: read by their HTTP status for the request that got
 * them, never as "not a valid OAuth response". A refused refresh moves the org to "re-authenticate".
 * And answers oauth4webapi refuses (no access_token, another issuer), read by its error code and the data
 * it names, never by its wording: each check gives its own error, and no other check is mistaken for it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';
import type * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { clientOf } from '../../main/oauth/authorization-server';
import { startDeviceAuthorization } from '../../main/oauth/device-flow';
import { requestIntrospection } from '../../main/oauth/introspect';
import { refreshTokenGrant } from '../../main/oauth/refresh';
import { requestRevocation } from '../../main/oauth/revoke';
import { exchangeAuthorizationCode } from '../../main/oauth/web-server-flow';
import { DEFAULT_CLIENT_ID } from '../servers/salesforce-double';
import { signIn, startWorld, type World } from '../support/sign-in';
import { errorOf, errorText, signInAtDouble, startDoubleWorld, type DoubleWorld } from './support';

let world: DoubleWorld | null = null;
let orgWorld: World | null = null;
afterEach(async () => {
  await world?.close();
  await orgWorld?.close();
  world = null;
  orgWorld = null;
});

const NOT_OAUTH = /not a valid OAuth response|Check that the login host/;

async function refreshAt(w: DoubleWorld, options: { clientSecret?: string } = {}) {
  const { tokens } = await signInAtDouble(w, options);
  return () =>
    errorOf(
      refreshTokenGrant({
        as: w.as,
        clientId: DEFAULT_CLIENT_ID,
        ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
        refreshToken: tokens.refreshToken!,
        http: { timeoutMs: 5000 },
      }),
    );
}

describe('bodiless and HTML error answers', () => {
  it('an empty 400 to a refresh is the refresh token refused: invalid_grant, naming HTTP 400', async () => {
    world = await startDoubleWorld();
    const run = await refreshAt(world);
    world.double.setFault('token', { status: 400, body: 'empty' });
    const error = await run();
    expect(error.code).toBe('oauth/invalid_grant');
    expect(error.message).toBe(
      'The server refused the refresh token (HTTP 400, no details). Sign in to this org again.',
    );
  });

  it('an empty 400 at refresh moves the org to re-authenticate, and the message names HTTP 400', async () => {
    orgWorld = await startWorld();
    const org = await signIn(orgWorld);
    orgWorld.double.setFault('token', { status: 400, body: 'empty' });
    let error: unknown = null;
    try {
      await orgWorld.services.handlers.refreshOrg({ id: org.id });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('oauth/invalid_grant');
    expect((error as AppError).message).toMatch(/HTTP 400/);
    expect((error as AppError).message).not.toMatch(NOT_OAUTH);
    const listed = (await orgWorld.services.handlers.listOrgs(undefined))[0]!;
    expect(listed.status).toBe('needs-sign-in');
    expect(listed.tokens.find((t) => t.kind === 'refresh')!.status).toBe('revoked');
  });

  it('an empty 401 at the token endpoint for an app with a secret is client authentication refused', async () => {
    world = await startDoubleWorld({ app: { clientSecret: 'right-secret', requireSecret: true } });
    const run = await refreshAt(world, { clientSecret: 'right-secret' });
    world.double.setFault('token', { status: 401, body: 'empty' });
    const error = await run();
    expect(error.code).toBe('oauth/invalid_client');
    expect(error.message).toMatch(/HTTP 401/);
    expect(error.message).toMatch(/consumer secret/);
    expect(errorText(error)).not.toMatch(NOT_OAUTH);
  });

  it('a WWW-Authenticate challenge without an OAuth error is client authentication refused', async () => {
    world = await startDoubleWorld();
    const run = await refreshAt(world);
    world.double.setFault('token', { status: 401, body: 'empty', wwwAuthenticate: 'Basic realm="token"' });
    const error = await run();
    expect(error.code).toBe('oauth/invalid_client');
    expect(error.message).toMatch(/consumer secret/);
  });

  it('an empty 401 to a refresh by a public client is the refresh token refused', async () => {
    world = await startDoubleWorld();
    const run = await refreshAt(world);
    world.double.setFault('token', { status: 401, body: 'empty' });
    const error = await run();
    expect(error.code).toBe('oauth/invalid_grant');
    expect(error.message).toMatch(/refused the refresh token \(HTTP 401/);
  });

  it('a 403 (empty or HTML) is forbidden by scope or policy', async () => {
    world = await startDoubleWorld();
    const run = await refreshAt(world);
    for (const body of ['empty', 'html'] as const) {
      world.double.setFault('token', { status: 403, body });
      const error = await run();
      expect(error.code).toBe('oauth/forbidden');
      expect(error.message).toMatch(/HTTP 403/);
      expect(error.message).toMatch(/scope or permission/);
    }
  });

  it('an HTML 502 is a server error, not a wrong login host', async () => {
    world = await startDoubleWorld();
    const run = await refreshAt(world);
    world.double.setFault('token', { status: 502, body: 'html' });
    const error = await run();
    expect(error.code).toBe('oauth/server_error');
    expect(error.message).toMatch(/HTTP 502/);
    expect(error.message).not.toMatch(NOT_OAUTH);
  });

  it('an empty 400 at revocation and introspection names that operation and the status', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const about = {
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      token: tokens.accessToken,
      hint: 'access_token',
    } as const;
    world.double.setFault('revoke', { status: 400, body: 'empty' });
    const revoked = await errorOf(requestRevocation(about));
    expect(revoked.code).toBe('oauth/authorization_error');
    expect(revoked.message).toMatch(/refused revoking the token \(HTTP 400, no details\)/);
    world.double.setFault('introspect', { status: 400, body: 'empty' });
    const introspected = await errorOf(requestIntrospection(about));
    expect(introspected.code).toBe('oauth/authorization_error');
    expect(introspected.message).toMatch(/refused introspecting the token \(HTTP 400, no details\)/);
    world.double.setFault('introspect', { status: 401, body: 'empty' });
    expect((await errorOf(requestIntrospection(about))).code).toBe('oauth/invalid_client');
  });

  it('keeps "not a valid OAuth response" for a 200 that is not JSON and for other statuses', async () => {
    world = await startDoubleWorld();
    const run = await refreshAt(world);
    world.double.setFault('token', { status: 200, body: 'empty' });
    const empty = await run();
    expect(empty.code).toBe('oauth/bad_response');
    expect(empty.message).toMatch(NOT_OAUTH);
    world.double.setFault('token', { status: 404, body: 'empty' });
    const missing = await run();
    expect(missing.code).toBe('oauth/bad_response');
    expect(missing.message).toMatch(/HTTP 404/);
  });
});

describe('answers oauth4webapi refuses, read by code', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
    server = null;
  });

  /** A loopback authorization server whose token and device endpoints answer `answer` with 200. */
  async function startServer(answer: () => Promise<unknown> | unknown): Promise<oauth.AuthorizationServer> {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', async () => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await answer()));
      });
    });
    await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      issuer: origin,
      token_endpoint: `${origin}/token`,
      device_authorization_endpoint: `${origin}/device`,
      authorization_response_iss_parameter_supported: true,
      id_token_signing_alg_values_supported: ['RS256'],
    };
  }

  const exchange = (as: oauth.AuthorizationServer, params: Record<string, string>) =>
    errorOf(
      exchangeAuthorizationCode({
        as,
        ...clientOf('client-1', null),
        params: new URLSearchParams({ code: 'the-code', state: 's', ...params }),
        state: 's',
        redirectUri: 'http://127.0.0.1:1717/callback',
        verifier: 'v'.repeat(43),
        scopes: ['openid'],
        http: { timeoutMs: 5000 },
      }),
    );

  async function idToken(claims: { iss?: string; aud?: string }) {
    const { privateKey } = await generateKeyPair('RS256');
    const jwt = new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('user-1')
      .setAudience(claims.aud ?? 'client-1')
      .setIssuedAt()
      .setExpirationTime('5m');
    return (claims.iss === undefined ? jwt : jwt.setIssuer(claims.iss)).sign(privateKey);
  }

  it('a callback with another iss, or none although the server promises one, is an issuer mismatch', async () => {
    const as = await startServer(() => ({}));
    expect((await exchange(as, { iss: 'http://127.0.0.1:1/evil' })).code).toBe('oauth/iss_mismatch');
    expect((await exchange(as, {})).code).toBe('oauth/iss_mismatch');
  });

  it('a callback with the right iss but another state is not read as an issuer mismatch', async () => {
    const as = await startServer(() => ({}));
    const error = await exchange(as, { iss: as.issuer, state: 'other' });
    expect(error.code).toBe('oauth/bad_response');
    expect(error.message).toMatch(/not a valid OAuth response/);
  });

  it('a token response without an access_token says so', async () => {
    const as = await startServer(() => ({ token_type: 'Bearer', refresh_token: 'r', scope: 'openid' }));
    const error = await exchange(as, { iss: as.issuer });
    expect(error.code).toBe('oauth/bad_response');
    expect(error.message).toMatch(/had no access_token/);
  });

  it('an ID token from another issuer, or naming none, is an issuer mismatch; another audience is not', async () => {
    let token = '';
    const as = await startServer(() => ({ access_token: 'at', token_type: 'Bearer', id_token: token }));
    token = await idToken({ iss: 'http://127.0.0.1:1/evil' });
    expect((await exchange(as, { iss: as.issuer })).code).toBe('oauth/iss_mismatch');
    token = await idToken({});
    expect((await exchange(as, { iss: as.issuer })).code).toBe('oauth/iss_mismatch');
    token = await idToken({ iss: as.issuer, aud: 'someone-else' });
    const audience = await exchange(as, { iss: as.issuer });
    expect(audience.code).toBe('oauth/bad_response');
    expect(audience.message).toMatch(/not a valid OAuth response/);
  });

  it('a device authorization answer without a device_code is not called a missing access_token', async () => {
    const as = await startServer(() => ({
      user_code: 'ABCD',
      verification_uri: 'https://x.example/v',
      expires_in: 600,
    }));
    const error = await errorOf(
      startDeviceAuthorization({ as, clientId: 'client-1', scopes: ['api'], http: { timeoutMs: 5000 } }),
    );
    expect(error.code).toBe('oauth/bad_response');
    expect(error.message).toMatch(/not a valid OAuth response/);
    expect(error.message).not.toMatch(/access_token/);
  });
});
