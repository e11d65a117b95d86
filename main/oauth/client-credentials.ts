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
 * The profile's `resource` (RFC 8707 §2: the API the token is for) and `audience` (the same idea as Auth0 and
 * Okta name it) are sent when set, for servers that issue a token only for a named API.
 */
export async function clientCredentialsGrant(
  options: ClientOptions & {
    clientSecret: string;
    /** The app profile's scopes; sent as `scope` when there are any. */
    scopes?: readonly string[];
    /** Sent as `resource` when set (an absolute URI). */
    resource?: string | null | undefined;
    /** Sent as `audience` when set. */
    audience?: string | null | undefined;
  },
): Promise<TokenSet> {
  const parameters = new URLSearchParams();
  const scope = (options.scopes ?? []).filter(Boolean).join(' ');
  if (scope) parameters.set('scope', scope);
  if (options.resource) parameters.set('resource', options.resource);
  if (options.audience) parameters.set('audience', options.audience);
  const { client, auth, method } = clientAt(options.as, 'token', options.clientId, options.clientSecret);
  try {
    const response = await oauth.clientCredentialsGrantRequest(
      options.as,
      client,
      auth,
      parameters,
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
