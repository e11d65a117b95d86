import * as oauth from 'oauth4webapi';
import { isAppError } from '../errors';
import { clientOf, issuerForTokenResponse } from './authorization-server';
import { oauthOptions, toOAuthError, type HttpOptions } from './http';
import { parseTokenResponse, type TokenSet } from './token-set';

/**
 * One call in flight per key; concurrent callers share its result (SECURITY.md item 11). Two parallel
 * refreshes against a rotating server would otherwise make the second one reuse a dead refresh token,
 * which servers with refresh token reuse detection (RFC 9700 §4.14.2) answer by revoking the whole grant.
 */
export class SingleFlight<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const running = this.#inFlight.get(key);
    if (running) return running;
    const started = Promise.resolve()
      .then(task)
      .finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, started);
    return started;
  }

  /** True while a call for `key` runs. */
  running(key: string): boolean {
    return this.#inFlight.has(key);
  }

  /** Resolves when the call running for `key`, if any, has ended (whatever its outcome). */
  async settled(key: string): Promise<void> {
    await this.#inFlight.get(key)?.catch(() => undefined);
  }
}

export interface RefreshOptions {
  as: oauth.AuthorizationServer;
  clientId: string;
  clientSecret?: string | null;
  refreshToken: string;
  /** The scopes of the grant, used when the response omits `scope`. */
  scopes?: readonly string[];
  /**
   * Stores the new token set (rotated refresh token included). Awaited BEFORE the new access token is
   * returned to anyone, so a crash can never leave us holding only a dead refresh token.
   */
  persist?: (set: TokenSet) => Promise<void> | void;
  http?: HttpOptions;
  signal?: AbortSignal;
  now?: () => number;
}

/**
 * The refresh token grant (RFC 6749 §6; Salesforce "OAuth 2.0 Refresh Token Flow"). When the server does
 * not rotate (Salesforce's default), the response has no refresh token: the one we sent stays valid and
 * is kept in the returned TokenSet. With rotation the new one replaces it, and `persist` has stored it
 * before this resolves.
 */
export async function refreshTokens(options: RefreshOptions): Promise<TokenSet> {
  const { client, auth } = clientOf(options.clientId, options.clientSecret);
  let set: TokenSet;
  try {
    const response = await oauth.refreshTokenGrantRequest(
      options.as,
      client,
      auth,
      options.refreshToken,
      oauthOptions(options.as.token_endpoint, options.http ?? {}, options.signal),
    );
    const body = await oauth.processRefreshTokenResponse(
      await issuerForTokenResponse(options.as, response),
      client,
      response,
    );
    set = parseTokenResponse(body, (options.now ?? Date.now)(), options.scopes);
  } catch (e) {
    throw toOAuthError(e, 'refreshing the token', [], {
      grant: 'the refresh token',
      clientAuthenticated: Boolean(options.clientSecret),
    });
  }
  const result: TokenSet = { ...set, refreshToken: set.refreshToken ?? options.refreshToken };
  await options.persist?.(result);
  return result;
}

export interface TokenRefresherDeps {
  /** What refreshing this org needs: its server, client and current refresh token. */
  load(orgId: string): Promise<Omit<RefreshOptions, 'persist' | 'http' | 'now' | 'signal'>>;
  /** Stores the org's new tokens; awaited before anyone gets the new access token. */
  persist(orgId: string, set: TokenSet): Promise<void>;
  /** The org's current access token. */
  accessToken(orgId: string): Promise<string>;
  /** Which errors mean the access token is no longer accepted (default: `sf/session_expired`, i.e. HTTP 401). */
  isUnauthorized?: (e: unknown) => boolean;
  http?: HttpOptions;
  now?: () => number;
}

export interface TokenRefresher {
  /** Refreshes the org's tokens; concurrent calls for one org share a single request. */
  refresh(orgId: string): Promise<TokenSet>;
  /**
   * Runs an API call with the org's access token. On 401 it refreshes once (single-flight) and retries
   * once; if another caller replaced the token meanwhile, it retries with that one instead of refreshing.
   */
  withAuthRetry<T>(orgId: string, call: (accessToken: string) => Promise<T>): Promise<{ value: T; refreshed: boolean }>;
  /** Resolves once no refresh for the org is running (e.g. before revoking its refresh token). */
  settled(orgId: string): Promise<void>;
}

/** Single-flight refresh and 401 → refresh once → retry once, per org (SECURITY.md item 11; RFC 6750 §3.1). */
export function createTokenRefresher(deps: TokenRefresherDeps): TokenRefresher {
  const flights = new SingleFlight<TokenSet>();
  const isUnauthorized = deps.isUnauthorized ?? ((e: unknown) => isAppError(e, 'sf/session_expired'));

  const refresh = (orgId: string) =>
    flights.run(orgId, async () =>
      refreshTokens({
        ...(await deps.load(orgId)),
        persist: (set) => deps.persist(orgId, set),
        ...(deps.http ? { http: deps.http } : {}),
        ...(deps.now ? { now: deps.now } : {}),
      }),
    );

  return {
    refresh,
    async withAuthRetry(orgId, call) {
      const used = await deps.accessToken(orgId);
      try {
        return { value: await call(used), refreshed: false };
      } catch (e) {
        if (!isUnauthorized(e)) throw e;
      }
      await flights.settled(orgId);
      const current = await deps.accessToken(orgId);
      if (current !== used) return { value: await call(current), refreshed: true };
      const set = await refresh(orgId);
      return { value: await call(set.accessToken), refreshed: true };
    },
    settled: (orgId) => flights.settled(orgId),
  };
}
