/**
 * Refreshing against the Salesforce double (SECURITY.md item 11): rotation on and off, the old refresh
 * token kept when none comes back, persist before use, single-flight under parallel refreshes against a
 * rotating server (and what happens without it), and 401 → refresh once → retry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../main/errors';
import { createTokenRefresher, refreshTokens, SingleFlight } from '../../main/oauth/refresh';
import type { TokenSet } from '../../main/oauth/token-set';
import { testToken } from '../../main/salesforce/rest';
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
    const set = await refreshTokens({
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
    const set = await refreshTokens({
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
      refreshTokens({ as: world.as, clientId: DEFAULT_CLIENT_ID, refreshToken: tokens.refreshToken! }),
    );
    expect(reuse.code).toBe('oauth/invalid_grant');
    expect(errorText(reuse)).not.toContain(tokens.refreshToken!);
  });

  it('does not hand out the new access token when persisting fails', async () => {
    world = await startDoubleWorld({ app: { rotateRefreshTokens: true } });
    const { tokens } = await signInAtDouble(world);
    const error = await refreshTokens({
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      refreshToken: tokens.refreshToken!,
      persist: () => Promise.reject(new Error('disk full')),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'disk full' });
  });

  it('two parallel refreshes against a rotating server both succeed through SingleFlight', async () => {
    world = await startDoubleWorld({ app: { rotateRefreshTokens: true } });
    const { tokens } = await signInAtDouble(world);
    const store = memoryStore(tokens);
    const refresher = createTokenRefresher({
      load: async () => ({ as: world!.as, clientId: DEFAULT_CLIENT_ID, refreshToken: store.current.refreshToken! }),
      persist: (_org, set) => store.persist(set),
      accessToken: async () => store.current.accessToken,
    });
    const [a, b] = await Promise.all([refresher.refresh('org-1'), refresher.refresh('org-1')]);
    expect(a).toBe(b);
    expect(world.double.refreshGrants()).toBe(1);
    // The grant is alive: the stored refresh token works for the next refresh.
    expect(world.double.isTokenActive(store.current.refreshToken!)).toBe(true);
    const next = await refresher.refresh('org-1');
    expect(next.accessToken).not.toBe(a.accessToken);
    expect(world.double.refreshGrants()).toBe(2);
  });

  it('without single-flight, one of two parallel refreshes against a rotating server fails', async () => {
    world = await startDoubleWorld({ app: { rotateRefreshTokens: true } });
    const { tokens } = await signInAtDouble(world);
    const results = await Promise.allSettled(
      [1, 2].map(() =>
        refreshTokens({ as: world!.as, clientId: DEFAULT_CLIENT_ID, refreshToken: tokens.refreshToken! }),
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
    expect(flights.running('a')).toBe(false);
    // A failure is shared too, and the next call starts afresh.
    const failing = () => Promise.reject(new Error('nope'));
    await expect(Promise.all([flights.run('a', failing), flights.run('a', failing)])).rejects.toThrow('nope');
    expect(await flights.run('a', async () => 'fresh')).toBe('fresh');
  });

  it('an API call that gets 401 refreshes once and retries once; parallel callers share the refresh', async () => {
    world = await startDoubleWorld({ app: { rotateRefreshTokens: true } });
    const { tokens } = await signInAtDouble(world);
    const store = memoryStore(tokens);
    const refresher = createTokenRefresher({
      load: async () => ({ as: world!.as, clientId: DEFAULT_CLIENT_ID, refreshToken: store.current.refreshToken! }),
      persist: (_org, set) => store.persist(set),
      accessToken: async () => store.current.accessToken,
    });
    const instance = tokens.instanceUrl!;
    const fresh = await refresher.withAuthRetry('org-1', (t) => testToken(instance, t));
    expect(fresh.refreshed).toBe(false);
    expect(world.double.refreshGrants()).toBe(0);

    // The session times out (2 hours by default): every call now gets 401 INVALID_SESSION_ID.
    world.double.advance(2 * 3600_000 + 1000);
    const expired = await errorOf(testToken(instance, store.current.accessToken));
    expect(expired.code).toBe('sf/session_expired');

    const results = await Promise.all(
      [1, 2, 3].map(() => refresher.withAuthRetry('org-1', (t) => testToken(instance, t))),
    );
    for (const r of results) {
      expect(r.refreshed).toBe(true);
      expect(r.value.ok).toBe(true);
    }
    expect(world.double.refreshGrants()).toBe(1);
    expect(world.double.isTokenActive(store.current.refreshToken!)).toBe(true);
  });

  it('retries only once: a call that still gets 401 after the refresh fails with the API error', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    let calls = 0;
    const refresher = createTokenRefresher({
      load: async () => ({ as: world!.as, clientId: DEFAULT_CLIENT_ID, refreshToken: tokens.refreshToken! }),
      persist: async () => undefined,
      accessToken: async () => tokens.accessToken,
    });
    const error = await errorOf(
      refresher.withAuthRetry('org-1', async () => {
        calls++;
        return testToken(tokens.instanceUrl!, 'not-a-valid-token');
      }),
    );
    expect(error.code).toBe('sf/session_expired');
    expect(calls).toBe(2);
    expect(world.double.refreshGrants()).toBe(1);
  });

  it('does not refresh for errors other than 401', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const refresher = createTokenRefresher({
      load: async () => ({ as: world!.as, clientId: DEFAULT_CLIENT_ID, refreshToken: tokens.refreshToken! }),
      persist: async () => undefined,
      accessToken: async () => tokens.accessToken,
    });
    await expect(refresher.withAuthRetry('org-1', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(world.double.refreshGrants()).toBe(0);
  });

  it('maps refresh faults: HTML, 500, hang', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const run = (timeoutMs = 5000) =>
      refreshTokens({
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
