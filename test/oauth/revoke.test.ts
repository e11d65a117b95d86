/**
 * Revocation (RFC 7009) against the Salesforce double: revoking an access token kills only it; revoking the
 * refresh token kills the access tokens issued from it (introspection and the REST API agree); Salesforce
 * error bodies are mapped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { requestIntrospection } from '../../main/oauth/introspect';
import { refreshTokenGrant } from '../../main/oauth/refresh';
import { requestRevocation } from '../../main/oauth/revoke';
import { testToken } from '../../main/salesforce/rest';
import { DEFAULT_CLIENT_ID } from '../servers/salesforce-double';
import {
  aboutTokenAtDouble as about,
  errorOf,
  errorText,
  signInAtDouble,
  startDoubleWorld,
  type DoubleWorld,
} from './support';

let world: DoubleWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('revocation', () => {
  it('revokes the access token for real; the refresh token still works', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    await requestRevocation(about(world, tokens.accessToken, 'access_token'));
    expect(world.double.requests).toContain('POST /services/oauth2/revoke');
    expect((await requestIntrospection(about(world, tokens.accessToken, 'access_token'))).active).toBe(false);
    expect((await errorOf(testToken(tokens.instanceUrl!, tokens.accessToken))).code).toBe('sf/session_expired');
    const renewed = await refreshTokenGrant({
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      refreshToken: tokens.refreshToken!,
    });
    expect((await testToken(renewed.instanceUrl!, renewed.accessToken)).ok).toBe(true);
  });

  it('revoking the refresh token kills every access token issued from it', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const second = await refreshTokenGrant({
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      refreshToken: tokens.refreshToken!,
    });
    await requestRevocation(about(world, tokens.refreshToken!, 'refresh_token'));
    for (const access of [tokens.accessToken, second.accessToken]) {
      expect((await requestIntrospection(about(world, access, 'access_token'))).active).toBe(false);
      expect((await errorOf(testToken(tokens.instanceUrl!, access))).code).toBe('sf/session_expired');
    }
    expect((await requestIntrospection(about(world, tokens.refreshToken!, 'refresh_token'))).active).toBe(false);
    const refresh = await errorOf(
      refreshTokenGrant({ as: world.as, clientId: DEFAULT_CLIENT_ID, refreshToken: tokens.refreshToken! }),
    );
    expect(refresh.code).toBe('oauth/invalid_grant');
  });

  it('maps Salesforce’s error bodies: an unknown token is invalid_token, a 500 is a server error', async () => {
    world = await startDoubleWorld();
    const unknown = await errorOf(
      requestRevocation(about(world, '00D5g000004XYZA!ARnot.a.real.token', 'access_token')),
    );
    expect(unknown.code).toBe('oauth/invalid_grant');
    expect(unknown.message).toMatch(/expired or was already revoked/);
    expect(errorText(unknown)).not.toContain('ARnot.a.real.token');
    world.double.setFault('revoke', 'http500');
    expect((await errorOf(requestRevocation(about(world, 'x', 'access_token')))).code).toBe('oauth/server_error');
    world.double.setFault('revoke', 'hang');
    const hang = await errorOf(requestRevocation({ ...about(world, 'x', 'access_token'), http: { timeoutMs: 200 } }));
    expect(hang.code).toBe('oauth/network');
  });

  it('refuses to revoke at a server without a revocation endpoint', async () => {
    world = await startDoubleWorld();
    const { revocation_endpoint: _gone, ...as } = world.as;
    const error = await errorOf(
      requestRevocation({ as, clientId: DEFAULT_CLIENT_ID, token: 't', hint: 'access_token' }),
    );
    expect(error.code).toBe('oauth/bad_response');
  });
});
