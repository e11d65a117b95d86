import type * as oauth from 'oauth4webapi';
import type { HttpOptions } from '../net/bounded-fetch';

/** Who asks the authorization server, and how: what every request in main/oauth/ takes besides its own. */
export interface ClientOptions {
  as: oauth.AuthorizationServer;
  clientId: string;
  /** The consumer secret; absent or null for a public client. */
  clientSecret?: string | null | undefined;
  http?: HttpOptions | undefined;
  now?: (() => number) | undefined;
  signal?: AbortSignal | undefined;
}

/** A request about one token the client holds (introspection, revocation). */
export interface TokenAbout extends ClientOptions {
  token: string;
  hint: 'access_token' | 'refresh_token';
}
