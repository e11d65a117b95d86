/**
 * The ID token validated as OIDC Core §3.1.3.7 says (main/oauth/id-token-validation.ts), at sign-in and at
 * refresh: every check recorded with the values compared, against the Salesforce double and panva's
 * oidc-provider; a bad signature, a key the issuer does not publish, or a wrong `at_hash` / `c_hash` stops
 * the sign-in; keys that cannot be fetched leave the signature `not-checked`, and the sign-in goes on.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ID_TOKEN_CHECKS, type IdTokenValidation } from '../../preload/contract';
import { refreshTokenGrant } from '../../main/oauth/refresh';
import { beginWebServerFlow } from '../../main/oauth/web-server-flow';
import { ACCOUNT_ID, NATIVE_CLIENT_ID, startOidcPeer, type OidcPeer } from '../servers/oidc-peer';
import { DEFAULT_CLIENT_ID } from '../servers/salesforce-double';
import { errorOf, signInAtDouble, startDoubleWorld, systemBrowser, type DoubleWorld } from './support';

let world: DoubleWorld | null = null;
let peer: OidcPeer | null = null;
let keyServer: Server | null = null;
afterEach(async () => {
  await world?.close();
  await peer?.close();
  if (keyServer) await new Promise((ok) => keyServer!.close(ok));
  world = null;
  peer = null;
  keyServer = null;
});

const byName = (v: IdTokenValidation | undefined) => Object.fromEntries((v?.checks ?? []).map((c) => [c.check, c]));

describe('ID token validation at the Salesforce double', () => {
  it('records every check in order, with the values compared', async () => {
    world = await startDoubleWorld();
    const before = Date.now();
    const { tokens } = await signInAtDouble(world);
    const v = tokens.idTokenValidation;
    expect(v?.during).toBe('sign-in');
    expect(v?.at).toBeGreaterThanOrEqual(before);
    expect(v?.checks.map((c) => c.check)).toEqual([...ID_TOKEN_CHECKS]);
    const c = byName(v);
    expect(c['signature']).toEqual({
      check: 'signature',
      outcome: 'passed',
      detail: `RS256 signature verified with key "double-1" from ${world.double.loginUrl}/id/keys`,
    });
    expect(c['iss']).toMatchObject({ outcome: 'passed', detail: `"iss" equals the issuer "${world.double.loginUrl}"` });
    expect(c['aud']).toMatchObject({
      outcome: 'passed',
      detail: `"aud" is the client ID "${DEFAULT_CLIENT_ID.slice(0, 10)}…"`,
    });
    expect(c['azp']).toMatchObject({ outcome: 'absent', detail: expect.stringMatching(/several audiences/) });
    expect(c['exp']).toMatchObject({
      outcome: 'passed',
      detail: expect.stringMatching(/^"exp" \d{4}-.* UTC is in the future/),
    });
    expect(c['iat']).toMatchObject({ outcome: 'passed', detail: expect.stringMatching(/^"iat" \d{4}-.* UTC: issued/) });
    expect(c['nonce']).toMatchObject({ outcome: 'passed', detail: '"nonce" matches the one sent with this sign-in' });
    expect(c['at_hash']).toMatchObject({
      outcome: 'passed',
      detail: '"at_hash" matches the access token (left half of its SHA-256, base64url)',
    });
    expect(c['c_hash']).toMatchObject({ outcome: 'absent' });
  });

  it.each([
    ['wrong-at-hash', /at_hash check .*does not match the access token/],
    ['wrong-c-hash', /c_hash check .*does not match the authorization code/],
    ['foreign-key', /signature check .*key "foreign-1", which the server does not publish/],
    ['bad-signature', /signature check .*does not match key "double-1"/],
  ] as const)('stops the sign-in on %s', async (fault, message) => {
    world = await startDoubleWorld({ app: { idTokenFault: fault } });
    const error = await errorOf(signInAtDouble(world));
    expect(error.code).toBe('oauth/bad_response');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/sign-in was stopped and nothing was stored/);
  });

  it('signs in with the signature not checked when the keys cannot be fetched, saying why', async () => {
    world = await startDoubleWorld();
    keyServer = createServer((_req, res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('down'));
    await new Promise<void>((ok) => keyServer!.listen(0, '127.0.0.1', ok));
    const jwksUri = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/id/keys`;
    const { openExternal, seen } = systemBrowser();
    const flow = await beginWebServerFlow({
      as: { ...world.as, jwks_uri: jwksUri },
      clientId: DEFAULT_CLIENT_ID,
      redirectUri: world.callbackUrl,
      scopes: ['api', 'openid'],
      openExternal,
    });
    const tokens = await flow.result;
    flow.finish({ ok: true });
    await seen.idle();
    const c = byName(tokens.idTokenValidation);
    expect(c['signature']).toMatchObject({
      outcome: 'not-checked',
      detail: expect.stringMatching(new RegExp(`the keys at ${jwksUri} could not be used \\(HTTP 503\\); .*TLS`)),
    });
    expect(c['at_hash']?.outcome).toBe('passed');
  });

  it('records the checks at refresh, and stops a refresh whose ID token fails one', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const refresh = () =>
      refreshTokenGrant({ as: world!.as, clientId: DEFAULT_CLIENT_ID, refreshToken: tokens.refreshToken! });
    const refreshed = await refresh();
    const v = refreshed.idTokenValidation;
    expect(v?.during).toBe('refresh');
    expect(v?.checks.map((c) => c.check)).toEqual([...ID_TOKEN_CHECKS]);
    const c = byName(v);
    expect(c['signature']?.outcome).toBe('passed');
    expect(c['nonce']).toMatchObject({ outcome: 'absent', detail: 'a refreshed ID token need not carry one' });
    expect(c['at_hash']?.outcome).toBe('passed');
    expect(c['c_hash']).toMatchObject({ outcome: 'absent', detail: expect.stringMatching(/no authorization code/) });

    world.double.apps[0]!.idTokenFault = 'wrong-c-hash';
    expect(byName((await refresh()).idTokenValidation)['c_hash']).toMatchObject({ outcome: 'not-checked' });
    world.double.apps[0]!.idTokenFault = 'wrong-at-hash';
    const error = await errorOf(refresh());
    expect(error.code).toBe('oauth/bad_response');
    expect(error.message).toMatch(/at_hash check .*The refresh was stopped/);
  });
});

describe('ID token validation at oidc-provider', () => {
  it('records every check at sign-in and refresh', async () => {
    peer = await startOidcPeer();
    const { openExternal, seen } = systemBrowser({ kind: 'oidc' });
    const flow = await beginWebServerFlow({
      loginHost: peer.issuer,
      clientId: NATIVE_CLIENT_ID,
      redirectUri: 'http://127.0.0.1/callback',
      scopes: ['openid', 'offline_access', 'email'],
      prompt: 'login consent',
      openExternal,
    });
    const tokens = await flow.result;
    flow.finish({ ok: true, org: 'oidc-provider', username: ACCOUNT_ID });
    await seen.idle();
    const v = tokens.idTokenValidation;
    expect(v?.checks.map((c) => c.check)).toEqual([...ID_TOKEN_CHECKS]);
    const c = byName(v);
    expect(c['signature']).toMatchObject({ outcome: 'passed', detail: expect.stringMatching(/key "peer-1" from/) });
    expect(c['iss']).toMatchObject({ outcome: 'passed', detail: `"iss" equals the issuer "${peer.issuer}"` });
    expect(c['aud']).toMatchObject({ outcome: 'passed', detail: `"aud" is the client ID "${NATIVE_CLIENT_ID}"` });
    for (const name of ['exp', 'iat', 'nonce'] as const) expect(c[name]?.outcome, name).toBe('passed');
    for (const check of v!.checks) expect(['passed', 'absent'], check.check).toContain(check.outcome);

    const refreshed = await refreshTokenGrant({
      as: flow.as,
      clientId: NATIVE_CLIENT_ID,
      refreshToken: tokens.refreshToken!,
    });
    expect(refreshed.idTokenValidation?.during).toBe('refresh');
    expect(byName(refreshed.idTokenValidation)['signature']?.outcome).toBe('passed');
  });
});
