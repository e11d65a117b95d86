/**
 * The refresh token grant against the Salesforce double: rotation on and off, the old refresh token kept
 * when none comes back, persist before use, and why refreshes must run one at a time per org (what a
 * rotating server does to two in parallel). The app's single-flight and 401 retry are proven through the
 * token lifecycle in test/orgs/token-lifecycle.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../main/errors';
import { refreshTokenGrant, SingleFlight } from '../../main/oauth/refresh';
import type { TokenSet } from '../../main/oauth/token-set';
import { DEFAULT_CLIENT_ID } from '../servers/salesforce-double';
import { errorOf, errorText, signInAtDouble, startDoubleWorld, type DoubleWorld } from './support';

let world: DoubleWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** A tiny token store standing in for the vault: what `persist` wrote, and when. */
function memoryStore(initial: TokenSet) {
  let current = initial;
  const log: string[] = [];
  return {
    get current() {
      return current;
    },
    log,
    async persist(set: TokenSet) {
      log.push('persist:start');
      await new Promise((r) => setTimeout(r, 30));
      current = set;
      log.push('persist:done');
    },
  };
}

describe('refresh', () => {
  it('without rotation: a new access token, and the old refresh token is kept', async () => {
    world = await startDoubleWorld({ app: { rotateRefreshTokens: false } });
    const { tokens } = await signInAtDouble(world);
    const set = await refreshTokenGrant({
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      refreshToken: tokens.refreshToken!,
    });
    expect(set.accessToken).not.toBe(tokens.accessToken);
    expect(set.refreshToken).toBe(tokens.refreshToken);
    expect(set.instanceUrl).toBe(tokens.instanceUrl);
    expect(set.expiresAt).toBeNull();
    expect(world.double.isTokenActive(tokens.refreshToken!)).toBe(true);
    // The old access token is not revoked by a refresh.
    expect(world.double.isTokenActive(tokens.accessToken)).toBe(true);
  });

  it('with rotation: the new refresh token is persisted before the access token is returned; the old one dies', async () => {
    world = await startDoubleWorld({ app: { rotateRefreshTokens: true } });
    const { tokens } = await signInAtDouble(world);
    const store = memoryStore(tokens);
    const set = await refreshTokenGrant({
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      refreshToken: tokens.refreshToken!,
      persist: async (s) => {
        await store.persist(s);
      },
    }).then((s) => {
      store.log.push('returned');
      return s;
    });
    expect(store.log).toEqual(['persist:start', 'persist:done', 'returned']);
    expect(store.current).toEqual(set);
    expect(set.refreshToken).not.toBe(tokens.refreshToken);
    expect(world.double.isTokenActive(set.refreshToken!)).toBe(true);
    expect(world.double.isTokenActive(tokens.refreshToken!)).toBe(false);
    const reuse = await errorOf(
      refreshTokenGrant({ as: world.as, clientId: DEFAULT_CLIENT_ID, refreshToken: tokens.refreshToken! }),
    );
    expect(reuse.code).toBe('oauth/invalid_grant');
    expect(errorText(reuse)).not.toContain(tokens.refreshToken!);
  });

  it('does not hand out the new access token when persisting fails', async () => {
    world = await startDoubleWorld({ app: { rotateRefreshTokens: true } });
    const { tokens } = await signInAtDouble(world);
    const error = await refreshTokenGrant({
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      refreshToken: tokens.refreshToken!,
      persist: () => Promise.reject(new Error('disk full')),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'disk full' });
  });

  it('without single-flight, one of two parallel refreshes against a rotating server fails', async () => {
    world = await startDoubleWorld({ app: { rotateRefreshTokens: true } });
    const { tokens } = await signInAtDouble(world);
    const results = await Promise.allSettled(
      [1, 2].map(() =>
        refreshTokenGrant({ as: world!.as, clientId: DEFAULT_CLIENT_ID, refreshToken: tokens.refreshToken! }),
      ),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(isAppError(failed[0]!.reason, 'oauth/invalid_grant')).toBe(true);
  });

  it('keys single-flight by org: different orgs refresh independently', async () => {
    const flights = new SingleFlight<string>();
    let calls = 0;
    const task = async () => {
      const n = ++calls;
      await new Promise((r) => setTimeout(r, 20));
      return `result-${n}`;
    };
    const [a1, a2, b] = await Promise.all([flights.run('a', task), flights.run('a', task), flights.run('b', task)]);
    expect(a1).toBe(a2);
    expect(b).not.toBe(a1);
    expect(calls).toBe(2);
    // A failure is shared too, and the next call starts afresh.
    const failing = () => Promise.reject(new Error('nope'));
    await expect(Promise.all([flights.run('a', failing), flights.run('a', failing)])).rejects.toThrow('nope');
    expect(await flights.run('a', async () => 'fresh')).toBe('fresh');
  });

  it('maps refresh faults: HTML, 500, hang', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const run = (timeoutMs = 5000) =>
      refreshTokenGrant({
        as: world!.as,
        clientId: DEFAULT_CLIENT_ID,
        refreshToken: tokens.refreshToken!,
        http: { timeoutMs },
      });
    world.double.setFault('token', 'html');
    expect((await errorOf(run())).code).toBe('oauth/bad_response');
    world.double.setFault('token', 'http500');
    expect((await errorOf(run())).code).toBe('oauth/server_error');
    world.double.setFault('token', 'hang');
    expect((await errorOf(run(200))).code).toBe('oauth/network');
  });
});
