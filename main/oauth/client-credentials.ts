import * as oauth from 'oauth4webapi';
import { clientAt } from './client-auth';
import type { ClientOptions } from './client';
import { oauthOptions, toOAuthError } from './http';
import { parseTokenResponse, type TokenSet } from './token-set';

/**
 * The client credentials grant (RFC 6749 §4.4), Salesforce's "OAuth 2.0 Client Credentials Flow for
 * Server-to-Server Integration": the consumer key and secret at the org's My Domain give an access token
 * for the app's integration user. There is no refresh token: "refresh" runs the grant again.
 *
 * The app profile's scopes go in `scope` (RFC 6749 §4.4.2) when it has any: servers such as oidc-provider or
 * Entra refuse or narrow a request without one; Salesforce ignores it and grants the app's configured scopes.
 * App profiles have no `resource`/`audience` field, so neither is sent.
 */
export async function clientCredentialsGrant(
  options: ClientOptions & {
    clientSecret: string;
    /** The app profile's scopes; sent as `scope` when there are any. */
    scopes?: readonly string[];
  },
): Promise<TokenSet> {
  const scope = (options.scopes ?? []).filter(Boolean).join(' ');
  const { client, auth, method } = clientAt(options.as, 'token', options.clientId, options.clientSecret);
  try {
    const response = await oauth.clientCredentialsGrantRequest(
      options.as,
      client,
      auth,
      scope ? { scope } : {},
      oauthOptions(options.as.token_endpoint, options.http ?? {}, options.signal),
    );
    return parseTokenResponse(
      await oauth.processClientCredentialsResponse(options.as, client, response),
      (options.now ?? Date.now)(),
      options.scopes ?? [],
    );
  } catch (e) {
    throw toOAuthError(e, 'getting a token with the client credentials flow', [], {
      server: options.as,
      clientAuth: method,
    });
  }
}
