/**
 * Revocation (RFC 7009) and introspection (RFC 7662) against the Salesforce double: introspection gives
 * an opaque token's expiry; revoking an access token kills only it; revoking the refresh token kills the
 * access tokens issued from it (introspection and the REST API agree); Salesforce error bodies are mapped.
 */
import type * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { introspectToken, parseIntrospection } from '../../main/oauth/introspect';
import { refreshTokens } from '../../main/oauth/refresh';
import { revokeToken } from '../../main/oauth/revoke';
import { testToken } from '../../main/salesforce/rest';
import { DEFAULT_CLIENT_ID, DEFAULT_USER } from '../servers/salesforce-double';
import { errorOf, errorText, signInAtDouble, startDoubleWorld, type DoubleWorld } from './support';

let world: DoubleWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const about = (w: DoubleWorld, token: string, hint: 'access_token' | 'refresh_token') => ({
  as: w.as,
  clientId: DEFAULT_CLIENT_ID,
  token,
  hint,
});

describe('introspection', () => {
  it('gives the expiry of an opaque access token, which the token response does not', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    expect(tokens.expiresAt).toBeNull();
    const now = Date.now();
    const view = await introspectToken({ ...about(world, tokens.accessToken, 'access_token'), now: () => now });
    expect(view).toMatchObject({
      active: true,
      clientId: DEFAULT_CLIENT_ID,
      username: DEFAULT_USER.username,
      tokenType: 'access_token',
      scope: ['api', 'refresh_token', 'openid', 'id'],
      checkedAt: now,
    });
    expect(view.sub).toMatch(/\/id\/00D/);
    // The org's session timeout: two hours by default.
    expect(view.exp! * 1000 - Date.now()).toBeGreaterThan(7000 * 1000);
    expect(view.exp! * 1000 - Date.now()).toBeLessThanOrEqual(7200 * 1000);
    expect(view.iat).not.toBeNull();
  });

  it('says active:false with nothing else for an unknown or expired token', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    world.double.advance(3 * 3600_000);
    const view = await introspectToken(about(world, tokens.accessToken, 'access_token'));
    expect(view).toMatchObject({ active: false, exp: null, username: null, scope: [] });
  });

  it('introspects the refresh token', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const view = await introspectToken(about(world, tokens.refreshToken!, 'refresh_token'));
    expect(view).toMatchObject({ active: true, tokenType: 'refresh_token', exp: null });
  });

  it('maps faults and refused clients to typed errors', async () => {
    world = await startDoubleWorld({ app: { clientSecret: 'right-secret', requireSecret: true } });
    const { tokens } = await signInAtDouble(world, { clientSecret: 'right-secret' });
    const wrong = await errorOf(
      introspectToken({ ...about(world, tokens.accessToken, 'access_token'), clientSecret: 'wrong-secret' }),
    );
    expect(wrong.code).toBe('oauth/invalid_client');
    world.double.setFault('introspect', 'html');
    expect((await errorOf(introspectToken(about(world, tokens.accessToken, 'access_token')))).code).toBe(
      'oauth/bad_response',
    );
  });

  it('parses numeric claims sent as strings, and ignores junk', () => {
    expect(
      parseIntrospection(
        // A server that sends numeric claims as strings (the type says numbers; the wire may not).
        JSON.parse(
          '{"active":true,"exp":"1700000000","iat":"soon","scope":"api  web","client_id":""}',
        ) as oauth.IntrospectionResponse,
        5,
      ),
    ).toMatchObject({ exp: 1700000000, iat: null, scope: ['api', 'web'], clientId: null, checkedAt: 5 });
  });
});

describe('revocation', () => {
  it('revokes the access token for real; the refresh token still works', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const result = await revokeToken(about(world, tokens.accessToken, 'access_token'));
    expect(result.revoked).toBe('access');
    expect(result.summary).toMatch(/access token was revoked/);
    expect(world.double.requests).toContain('POST /services/oauth2/revoke');
    expect((await introspectToken(about(world, tokens.accessToken, 'access_token'))).active).toBe(false);
    expect((await errorOf(testToken(tokens.instanceUrl!, tokens.accessToken))).code).toBe('sf/session_expired');
    const renewed = await refreshTokens({
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      refreshToken: tokens.refreshToken!,
    });
    expect((await testToken(renewed.instanceUrl!, renewed.accessToken)).ok).toBe(true);
  });

  it('revoking the refresh token kills every access token issued from it', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const second = await refreshTokens({
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      refreshToken: tokens.refreshToken!,
    });
    const result = await revokeToken(about(world, tokens.refreshToken!, 'refresh_token'));
    expect(result).toMatchObject({ revoked: 'refresh' });
    expect(result.summary).toMatch(/every access token issued from it/);
    for (const access of [tokens.accessToken, second.accessToken]) {
      expect((await introspectToken(about(world, access, 'access_token'))).active).toBe(false);
      expect((await errorOf(testToken(tokens.instanceUrl!, access))).code).toBe('sf/session_expired');
    }
    expect((await introspectToken(about(world, tokens.refreshToken!, 'refresh_token'))).active).toBe(false);
    const refresh = await errorOf(
      refreshTokens({ as: world.as, clientId: DEFAULT_CLIENT_ID, refreshToken: tokens.refreshToken! }),
    );
    expect(refresh.code).toBe('oauth/invalid_grant');
  });

  it('maps Salesforce’s error bodies: an unknown token is invalid_token, a 500 is a server error', async () => {
    world = await startDoubleWorld();
    const unknown = await errorOf(revokeToken(about(world, '00D5g000004XYZA!ARnot.a.real.token', 'access_token')));
    expect(unknown.code).toBe('oauth/invalid_grant');
    expect(unknown.message).toMatch(/expired or was already revoked/);
    expect(errorText(unknown)).not.toContain('ARnot.a.real.token');
    world.double.setFault('revoke', 'http500');
    expect((await errorOf(revokeToken(about(world, 'x', 'access_token')))).code).toBe('oauth/server_error');
    world.double.setFault('revoke', 'hang');
    const hang = await errorOf(revokeToken({ ...about(world, 'x', 'access_token'), http: { timeoutMs: 200 } }));
    expect(hang.code).toBe('oauth/network');
  });

  it('refuses to revoke at a server without a revocation endpoint', async () => {
    world = await startDoubleWorld();
    const { revocation_endpoint: _gone, ...as } = world.as;
    const error = await errorOf(revokeToken({ as, clientId: DEFAULT_CLIENT_ID, token: 't', hint: 'access_token' }));
    expect(error.code).toBe('oauth/bad_response');
  });
});
