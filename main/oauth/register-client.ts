import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import type { HttpOptions } from '../net/bounded-fetch';
import { safeCause } from '../net/server-text';
import { clientAuthMethod } from './client-auth';
import { oauthOptions, toOAuthError } from './http';
import { serverTerms } from './server-wording';

export interface RegisteredClient {
  clientId: string;
  clientSecret: string | null;
}

/**
 * Dynamic Client Registration (RFC 7591; OpenID Connect Dynamic Client Registration), at Salesforce's
 * `/services/oauth2/register` or any server's `registration_endpoint`, authorized by an initial access token
 * (at Salesforce, generated for the registering app in Setup). The client is registered with the
 * `token_endpoint_auth_method` the app will then use there (client-auth.ts: `client_secret_post` where the
 * server lists it, as Salesforce does). Returns the new client's credentials; a refused token becomes a
 * message, in the server's words (server-wording.ts), that says where to get a new one.
 */
export async function registerClient(options: {
  as: oauth.AuthorizationServer;
  initialAccessToken: string;
  name: string;
  redirectUri: string;
  scopes: string[];
  /** RFC 7591 §2 `grant_types`; default the web server flow with refresh tokens. */
  grantTypes?: readonly string[];
  http?: HttpOptions;
}): Promise<RegisteredClient> {
  if (!options.as.registration_endpoint) {
    throw new AppError('oauth/bad_response', 'This server does not offer dynamic client registration.');
  }
  const grantTypes = options.grantTypes ?? ['authorization_code', 'refresh_token'];
  const terms = serverTerms(options.as);
  // The method the app will authenticate with at the token endpoint once it holds the secret.
  const method = clientAuthMethod(options.as, 'token', true);
  try {
    const response = await oauth.dynamicClientRegistrationRequest(
      options.as,
      {
        client_name: options.name,
        redirect_uris: [options.redirectUri],
        grant_types: [...grantTypes],
        // RFC 7591 §2.1: response type "code" goes with the authorization_code grant, and only with it.
        response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
        application_type: 'native',
        token_endpoint_auth_method: method,
        scope: options.scopes.join(' '),
      },
      { ...oauthOptions(options.as.issuer, options.http ?? {}), initialAccessToken: options.initialAccessToken },
    );
    if (response.status === 401 || response.status === 403) {
      throw new AppError(
        'oauth/invalid_client',
        `The server refused the initial access token. ${terms.newInitialAccessToken} and paste it again.`,
      );
    }
    if (response.status >= 200 && response.status < 300) {
      return await createdClient(response, options.name, terms.clientConsole);
    }
    // An error answer: oauth4webapi turns an RFC 7591 §3.2.2 error body into the error to report.
    const client = await oauth.processDynamicClientRegistrationResponse(response);
    return toRegisteredClient(client);
  } catch (e) {
    throw toOAuthError(e, 'registering the app', [], { server: options.as });
  }
}

function toRegisteredClient(client: oauth.OmitSymbolProperties<oauth.Client>): RegisteredClient {
  return {
    clientId: client.client_id,
    clientSecret: typeof client.client_secret === 'string' ? client.client_secret : null,
  };
}

/**
 * A 2xx answer to the registration. RFC 7591 §3.2.1 says 201 Created, and oauth4webapi's
 * `processDynamicClientRegistrationResponse` insists on it; some servers answer 200 OK with the same valid
 * client body, and that client exists. Deviation, on purpose: a 200 is handed on as a 201 with the same
 * headers and body, so the body is still checked by oauth4webapi's rules (`client_id`, `client_secret`,
 * `client_secret_expires_at`). When a 2xx answer cannot be read or is not a valid client, the server may
 * have created the client anyway, and the error says so and how to clean up.
 */
async function createdClient(response: Response, name: string, where: string): Promise<RegisteredClient> {
  const status = response.status;
  try {
    const created =
      status === 200
        ? new Response(await response.arrayBuffer(), { status: 201, headers: response.headers })
        : response;
    return toRegisteredClient(await oauth.processDynamicClientRegistrationResponse(created));
  } catch (cause) {
    throw new AppError(
      'oauth/bad_response',
      `The server answered the registration with HTTP ${status} but its answer could not be used, so it may have created the client "${name}" anyway. Delete that half-made client in ${where}, then register again.`,
      // Not the raw cause: oauth4webapi's holds the response body, the client secret included.
      { cause: safeCause(cause) },
    );
  }
}
