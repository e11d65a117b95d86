import * as oauth from 'oauth4webapi';
import { clientOf } from './authorization-server';
import { oauthOptions, toOAuthError, type HttpOptions } from './http';
import { parseTokenResponse, type TokenSet } from './token-set';

/**
 * One call in flight per key; concurrent callers share its result (SECURITY.md item 11). Two parallel
 * refreshes against a rotating server would otherwise make the second one reuse a dead refresh token,
 * which some servers answer by revoking the whole grant.
 */
export class SingleFlight<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const running = this.#inFlight.get(key);
    if (running) return running;
    const started = task().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, started);
    return started;
  }

  /** Resolves when the call running for `key`, if any, has ended (whatever its outcome). */
  async settled(key: string): Promise<void> {
    await this.#inFlight.get(key)?.catch(() => undefined);
  }
}

export interface RefreshOptions {
  as: oauth.AuthorizationServer;
  clientId: string;
  clientSecret: string | null;
  refreshToken: string;
  http?: HttpOptions;
  now?: () => number;
}

/**
 * The refresh token grant (RFC 6749 §6). When the server does not rotate (Salesforce's default), the
 * response has no refresh token: the one we sent stays valid and is returned in the TokenSet.
 */
export async function refreshTokens(options: RefreshOptions): Promise<TokenSet> {
  const { client, auth } = clientOf(options.clientId, options.clientSecret);
  try {
    const response = await oauth.refreshTokenGrantRequest(
      options.as,
      client,
      auth,
      options.refreshToken,
      oauthOptions(options.as.issuer, options.http ?? {}),
    );
    const set = parseTokenResponse(
      await oauth.processRefreshTokenResponse(options.as, client, response),
      (options.now ?? Date.now)(),
    );
    return { ...set, refreshToken: set.refreshToken ?? options.refreshToken };
  } catch (e) {
    throw toOAuthError(e, 'refreshing the token');
  }
}
