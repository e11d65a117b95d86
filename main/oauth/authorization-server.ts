import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import { oauthOptions, toOAuthError, type HttpOptions } from './http';

/**
 * Discovers a login host's endpoints (OpenID Connect Discovery 1.0). Salesforce hosts answer at
 * `/.well-known/openid-configuration`; if that fails for a `*.salesforce.com` host, its documented fixed
 * paths are used instead (SALESFORCE.md "Discovery").
 */
export async function discoverAuthorizationServer(
  loginHost: string,
  http: HttpOptions = {},
): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(loginHost);
  try {
    const response = await oauth.discoveryRequest(issuer, { ...oauthOptions(issuer, http), algorithm: 'oidc' });
    return await oauth.processDiscoveryResponse(issuer, response);
  } catch (e) {
    if (issuer.hostname.endsWith('.salesforce.com')) return salesforceDefaults(issuer.origin);
    const error = toOAuthError(e, `reading the sign-in settings of ${issuer.host}`);
    throw new AppError(
      error.code === 'oauth/network' ? 'oauth/network' : 'oauth/invalid_login_host',
      `${issuer.host} is not an OpenID Connect server we can use: ${error.message}`,
      {
        cause: e,
      },
    );
  }
}

function salesforceDefaults(origin: string): oauth.AuthorizationServer {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/services/oauth2/authorize`,
    token_endpoint: `${origin}/services/oauth2/token`,
    revocation_endpoint: `${origin}/services/oauth2/revoke`,
    introspection_endpoint: `${origin}/services/oauth2/introspect`,
    userinfo_endpoint: `${origin}/services/oauth2/userinfo`,
    jwks_uri: `${origin}/id/keys`,
    code_challenge_methods_supported: ['S256'],
  };
}

/** The client for oauth4webapi, and how it authenticates: a secret when the profile has one, else none. */
export function clientOf(
  clientId: string,
  clientSecret: string | null,
): { client: oauth.Client; auth: oauth.ClientAuth } {
  return { client: { client_id: clientId }, auth: clientSecret ? oauth.ClientSecretPost(clientSecret) : oauth.None() };
}
