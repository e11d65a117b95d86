import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import { isSalesforceServer } from './server-wording';

/** The endpoints where the client authenticates (RFC 6749 §2.3, RFC 7009 §2.1, RFC 7662 §2.1, RFC 8628 §3.1). */
export type AuthenticatedEndpoint = 'token' | 'revocation' | 'introspection' | 'device_authorization';

/** The client authentication methods the app can use (RFC 7591 §2 names). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

const LIST: Record<AuthenticatedEndpoint, keyof oauth.AuthorizationServer> = {
  token: 'token_endpoint_auth_methods_supported',
  revocation: 'revocation_endpoint_auth_methods_supported',
  introspection: 'introspection_endpoint_auth_methods_supported',
  // RFC 8628 §3.1: the device authorization endpoint authenticates the client as the token endpoint does.
  device_authorization: 'token_endpoint_auth_methods_supported',
};

const methods = (value: unknown): string[] | null =>
  Array.isArray(value) && value.every((m) => typeof m === 'string') ? value : null;

/**
 * How the client authenticates at one endpoint, chosen from the server's metadata (RFC 8414 §2):
 * - no secret: `none`, a public client that sends only its `client_id` (RFC 6749 §2.1);
 * - with a secret, from the endpoint's own `*_endpoint_auth_methods_supported`, else the token endpoint's
 *   list: `client_secret_post` when listed (what the app registers clients with, and what Salesforce takes),
 *   else `client_secret_basic`; a list with neither is refused with a message, since the app has no other way
 *   to present a secret;
 * - no list at all: `client_secret_basic`, RFC 8414's default, except at Salesforce, which keeps
 *   `client_secret_post`.
 * Some servers hold each client to the one method it was registered with even when they list both; the app
 * registers its clients with the method chosen here (register-client.ts), so those it registers match.
 */
export function clientAuthMethod(
  as: oauth.AuthorizationServer,
  endpoint: AuthenticatedEndpoint,
  hasSecret: boolean,
): ClientAuthMethod {
  if (!hasSecret) return 'none';
  const listed = methods(as[LIST[endpoint]]) ?? methods(as.token_endpoint_auth_methods_supported);
  if (listed === null) return isSalesforceServer(as) ? 'client_secret_post' : 'client_secret_basic';
  if (listed.includes('client_secret_post')) return 'client_secret_post';
  if (listed.includes('client_secret_basic')) return 'client_secret_basic';
  throw new AppError(
    'oauth/invalid_client',
    `The server accepts clients at its ${endpoint.replace('_', ' ')} endpoint only by ${listed.slice(0, 5).join(', ') || 'no method'}, and the app can present a client secret only by client_secret_basic or client_secret_post. Use a client of that server that authenticates with a client secret, or a public client (no secret).`,
  );
}

/** The client for oauth4webapi and its authentication at one endpoint ({@link clientAuthMethod}). */
export function clientAt(
  as: oauth.AuthorizationServer,
  endpoint: AuthenticatedEndpoint,
  clientId: string,
  clientSecret: string | null | undefined,
): { client: oauth.Client; auth: oauth.ClientAuth; method: ClientAuthMethod } {
  const method = clientAuthMethod(as, endpoint, Boolean(clientSecret));
  const auth =
    method === 'none' || !clientSecret
      ? oauth.None()
      : method === 'client_secret_basic'
        ? oauth.ClientSecretBasic(clientSecret)
        : oauth.ClientSecretPost(clientSecret);
  return { client: { client_id: clientId }, auth, method };
}
