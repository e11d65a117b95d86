import * as oauth from 'oauth4webapi';
import { clientOf } from './authorization-server';
import { oauthOptions, toOAuthError, type HttpOptions } from './http';
import { parseTokenResponse, type TokenSet } from './token-set';

/**
 * The client credentials grant (RFC 6749 §4.4), Salesforce's "OAuth 2.0 Client Credentials Flow for
 * Server-to-Server Integration": the consumer key and secret at the org's My Domain give an access token
 * for the app's integration user. There is no refresh token: "refresh" runs the grant again.
 */
export async function clientCredentialsGrant(options: {
  as: oauth.AuthorizationServer;
  clientId: string;
  clientSecret: string;
  http?: HttpOptions;
  now?: () => number;
  signal?: AbortSignal;
}): Promise<TokenSet> {
  const { client, auth } = clientOf(options.clientId, options.clientSecret);
  try {
    const response = await oauth.clientCredentialsGrantRequest(
      options.as,
      client,
      auth,
      {},
      oauthOptions(options.as.token_endpoint, options.http ?? {}, options.signal),
    );
    return parseTokenResponse(
      await oauth.processClientCredentialsResponse(options.as, client, response),
      (options.now ?? Date.now)(),
    );
  } catch (e) {
    throw toOAuthError(e, 'getting a token with the client credentials flow');
  }
}
