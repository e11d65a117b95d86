import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import { oauthOptions, toOAuthError, type HttpOptions } from './http';

export interface RegisteredClient {
  clientId: string;
  clientSecret: string | null;
}

/**
 * OpenID Connect Dynamic Client Registration (RFC 7591) at `/services/oauth2/register`, authorized by the
 * initial access token generated for the registering app in Salesforce Setup. Returns the new client's
 * credentials; a refused token becomes a message that says where to get a new one.
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
        // The app authenticates with the secret in the POST body (client_secret_post), which Salesforce accepts.
        token_endpoint_auth_method: 'client_secret_post',
        scope: options.scopes.join(' '),
      },
      { ...oauthOptions(options.as.issuer, options.http ?? {}), initialAccessToken: options.initialAccessToken },
    );
    if (response.status === 401 || response.status === 403) {
      throw new AppError(
        'oauth/invalid_client',
        'The server refused the initial access token. Generate a new one for the registering app in Salesforce Setup (App Manager → the app → Generate Initial Access Token) and paste it again.',
      );
    }
    const client = await oauth.processDynamicClientRegistrationResponse(response);
    return {
      clientId: client.client_id,
      clientSecret: typeof client.client_secret === 'string' ? client.client_secret : null,
    };
  } catch (e) {
    throw toOAuthError(e, 'registering the app');
  }
}
