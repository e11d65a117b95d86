import * as oauth from 'oauth4webapi';
import { issuerForTokenResponse } from './authorization-server';
import { clientAt } from './client-auth';
import type { ClientOptions } from './client';
import { oauthOptions, toOAuthError } from './http';
import { validateIdToken } from './id-token-validation';
import { parseTokenResponse, type TokenSet } from './token-set';

/**
 * One call in flight per key; concurrent callers share its result (docs/SECURITY.md). Two parallel
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

  /** Resolves when the call running for `key`, if any, has ended (whatever its outcome). */
  async settled(key: string): Promise<void> {
    await this.#inFlight.get(key)?.catch(() => undefined);
  }
}

export interface RefreshOptions extends ClientOptions {
  refreshToken: string;
  /** The scopes of the grant, used when the response omits `scope`. */
  scopes?: readonly string[];
  /**
   * Stores the new token set (rotated refresh token included). Awaited BEFORE the new access token is
   * returned to anyone, so a crash can never leave us holding only a dead refresh token.
   */
  persist?: (set: TokenSet) => Promise<void> | void;
}

/**
 * The refresh token grant (RFC 6749 §6; Salesforce "OAuth 2.0 Refresh Token Flow"). When the server does
 * not rotate (Salesforce's default), the response has no refresh token: the one we sent stays valid and
 * is kept in the returned TokenSet. With rotation the new one replaces it, and `persist` has stored it
 * before this resolves.
 */
export async function refreshTokenGrant(options: RefreshOptions): Promise<TokenSet> {
  const { client, auth, method } = clientAt(options.as, 'token', options.clientId, options.clientSecret);
  let set: TokenSet;
  try {
    const response = await oauth.refreshTokenGrantRequest(
      options.as,
      client,
      auth,
      options.refreshToken,
      oauthOptions(options.as.token_endpoint, options.http ?? {}, options.signal),
    );
    const accepted = await issuerForTokenResponse(options.as, response);
    const body = await oauth.processRefreshTokenResponse(accepted, client, response);
    const receivedAt = (options.now ?? Date.now)();
    set = parseTokenResponse(body, receivedAt, options.scopes);
    // oauth4webapi checked the claims of a returned ID token (no nonce at a refresh); the rest is checked here.
    const validation = await validateIdToken({
      as: accepted,
      discoveredIssuer: options.as.issuer,
      clientId: options.clientId,
      response,
      body,
      during: 'refresh',
      nonce: null,
      code: null,
      http: options.http ?? {},
      signal: options.signal,
      now: receivedAt,
    });
    if (validation) set = { ...set, idTokenValidation: validation };
  } catch (e) {
    throw toOAuthError(e, 'refreshing the token', [], {
      grant: 'the refresh token',
      clientAuthenticated: Boolean(options.clientSecret),
      server: options.as,
      clientAuth: method,
    });
  }
  const result: TokenSet = { ...set, refreshToken: set.refreshToken ?? options.refreshToken };
  await options.persist?.(result);
  return result;
}
