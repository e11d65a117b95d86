/**
 * Introspection (RFC 7662) against the Salesforce double: it gives an opaque token's expiry, says only
 * active:false for a dead token, and maps Salesforce's faults and refused clients to typed errors.
 */
import type * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { requestIntrospection, parseIntrospection } from '../../main/oauth/introspect';
import { DEFAULT_CLIENT_ID, DEFAULT_USER } from '../servers/salesforce-double';
import { aboutTokenAtDouble as about, errorOf, signInAtDouble, startDoubleWorld, type DoubleWorld } from './support';

let world: DoubleWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('introspection', () => {
  it('gives the expiry of an opaque access token, which the token response does not', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    expect(tokens.expiresAt).toBeNull();
    const now = Date.now();
    const view = await requestIntrospection({ ...about(world, tokens.accessToken, 'access_token'), now: () => now });
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
    const view = await requestIntrospection(about(world, tokens.accessToken, 'access_token'));
    expect(view).toMatchObject({ active: false, exp: null, username: null, scope: [] });
  });

  it('introspects the refresh token', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const view = await requestIntrospection(about(world, tokens.refreshToken!, 'refresh_token'));
    expect(view).toMatchObject({ active: true, tokenType: 'refresh_token', exp: null });
  });

  it('maps faults and refused clients to typed errors', async () => {
    world = await startDoubleWorld({ app: { clientSecret: 'right-secret', requireSecret: true } });
    const { tokens } = await signInAtDouble(world, { clientSecret: 'right-secret' });
    const wrong = await errorOf(
      requestIntrospection({ ...about(world, tokens.accessToken, 'access_token'), clientSecret: 'wrong-secret' }),
    );
    expect(wrong.code).toBe('oauth/invalid_client');
    world.double.setFault('introspect', 'html');
    expect((await errorOf(requestIntrospection(about(world, tokens.accessToken, 'access_token')))).code).toBe(
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
