import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import type { HttpOptions } from '../net/bounded-fetch';
import { isSafeTransport } from '../net/transport';
import { oauthOptions, toOAuthError } from './http';
import { isSalesforceHost } from './server-wording';

const ENDPOINTS = [
  'authorization_endpoint',
  'token_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
  'userinfo_endpoint',
  'jwks_uri',
  'registration_endpoint',
  'device_authorization_endpoint',
] as const;

export { isSalesforceHost } from './server-wording';

/**
 * Discovers a login host's endpoints (OpenID Connect Discovery 1.0 §4) at
 * `{issuer}/.well-known/openid-configuration`, the issuer's path kept (`/realms/acme/.well-known/…`). If that
 * fails for a real Salesforce host, its documented fixed paths under `/services/oauth2/` are used instead
 * ("OpenID Connect Discovery Endpoint", Salesforce Help); for any other server RFC 8414 §3's
 * `/.well-known/oauth-authorization-server{path}` is tried. The issuer in the document must be the login
 * host exactly.
 * Every endpoint must be https (plain http only on loopback), so no token can leave over cleartext.
 */
export async function discoverAuthorizationServer(
  loginHost: string,
  http: HttpOptions = {},
): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(loginHost);
  const discover = async (algorithm: 'oidc' | 'oauth2') => {
    const response = await oauth.discoveryRequest(issuer, { ...oauthOptions(issuer, http), algorithm });
    return oauth.processDiscoveryResponse(issuer, response);
  };
  let as: oauth.AuthorizationServer;
  try {
    as = await discover('oidc');
  } catch (e) {
    if (isSalesforceHost(issuer)) return salesforceDefaults(issuer.origin);
    const placeholder = issuerPlaceholder(e);
    if (placeholder !== null) throw multiTenant(issuer, placeholder);
    const error = toOAuthError(e, `reading the sign-in settings of ${issuer.host}`);
    // A plain OAuth server may publish only RFC 8414 metadata, at `/.well-known/oauth-authorization-server{path}`.
    const fallback = error.code === 'oauth/network' ? null : await discover('oauth2').catch(() => null);
    if (!fallback) {
      throw new AppError(
        error.code === 'oauth/network' ? 'oauth/network' : 'oauth/invalid_login_host',
        `${issuer.host} is not an OpenID Connect server we can use. ${error.message}`,
        { cause: error },
      );
    }
    as = fallback;
  }
  for (const name of ENDPOINTS) {
    const value = as[name];
    if (value === undefined) continue;
    // Plain http only on loopback, and only on the login host's own origin: a server must not be able to point
    // the app (and the codes and secrets it sends) at another program listening on this computer.
    if (
      typeof value !== 'string' ||
      !URL.canParse(value) ||
      !isSafeTransport(value) ||
      (new URL(value).protocol === 'http:' && new URL(value).origin !== issuer.origin)
    ) {
      throw new AppError(
        'oauth/bad_response',
        `${issuer.host} lists an endpoint (${name}) that is not an https address of its own, so the app will not use it. Check the login host.`,
      );
    }
  }
  return as;
}

/**
 * The issuer a discovery document named instead of the login host, when it is a template rather than an
 * issuer: Entra ID's multi-tenant endpoints (`/common/v2.0`, `/organizations/v2.0`, `/consumers/v2.0`) publish
 * `https://login.microsoftonline.com/{tenantid}/v2.0`, since each tenant's tokens carry their own issuer.
 * Read from oauth4webapi's issuer comparison (its code and the `body` it names), never its wording.
 */
function issuerPlaceholder(e: unknown): string | null {
  if (!(e instanceof oauth.OperationProcessingError) || e.code !== oauth.JSON_ATTRIBUTE_COMPARISON) return null;
  const cause = e.cause as { attribute?: unknown; body?: { issuer?: unknown } } | undefined;
  const named = cause?.attribute === 'issuer' ? cause.body?.issuer : undefined;
  return typeof named === 'string' && /\{[a-z_]+\}/i.test(named) ? named.slice(0, 200) : null;
}

/**
 * A multi-tenant endpoint is refused: the app checks every ID token and callback `iss` against one issuer
 * (OIDC Core §3.1.3.7, RFC 9207), and a template matches no token exactly, so accepting it would mean
 * accepting any tenant's tokens. The user is told to use the tenant's own issuer instead.
 */
function multiTenant(issuer: URL, named: string): AppError {
  return new AppError(
    'oauth/invalid_login_host',
    `${issuer.host}${issuer.pathname} is a multi-tenant endpoint: its discovery document names the issuer as the template ${named}, not one server, so the app could not check whose tokens it gets. Use your tenant's own issuer instead (for Entra ID: https://login.microsoftonline.com/<directory (tenant) ID>/v2.0).`,
  );
}

/** Salesforce's fixed OAuth endpoints on a login host or My Domain (Salesforce publishes them at the same paths on every login host and My Domain). */
export function salesforceDefaults(origin: string): oauth.AuthorizationServer {
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

/**
 * The client for oauth4webapi without an endpoint to choose for: `client_secret_post` when there is a secret,
 * else none (a public client). Requests at the token, revocation, introspection and device authorization
 * endpoints choose per endpoint from the server's metadata instead (client-auth.ts `clientAt`).
 */
export function clientOf(
  clientId: string,
  clientSecret: string | null | undefined,
): { client: oauth.Client; auth: oauth.ClientAuth } {
  return { client: { client_id: clientId }, auth: clientSecret ? oauth.ClientSecretPost(clientSecret) : oauth.None() };
}

/**
 * The server description to validate a token response's ID token against. Salesforce signs ID tokens
 * with `iss` naming where the user authenticated (login.salesforce.com, test.salesforce.com or the My
 * Domain), which may differ from the host we discovered. For Salesforce hosts only, an `iss` equal to
 * one of those hosts (or the origin of the response's `id` / `instance_url`) is accepted; for any other
 * server the discovered issuer must match exactly (OIDC Core §3.1.3.7).
 */
export async function issuerForTokenResponse(
  as: oauth.AuthorizationServer,
  response: Response,
): Promise<oauth.AuthorizationServer> {
  if (!isSalesforceHost(as.issuer) || response.status !== 200) return as;
  let body: unknown;
  try {
    body = await response.clone().json();
  } catch {
    return as;
  }
  if (typeof body !== 'object' || body === null) return as;
  const fields = body as Record<string, unknown>;
  const idToken = fields['id_token'];
  if (typeof idToken !== 'string') return as;
  let iss: unknown;
  try {
    iss = decodeJwt(idToken).iss;
  } catch {
    return as;
  }
  if (typeof iss !== 'string' || iss === as.issuer || !URL.canParse(iss)) return as;
  const allowed = new Set(['https://login.salesforce.com', 'https://test.salesforce.com']);
  for (const key of ['id', 'instance_url']) {
    const value = fields[key];
    if (typeof value === 'string' && URL.canParse(value) && isSalesforceHost(value)) allowed.add(new URL(value).origin);
  }
  return allowed.has(iss) && isSalesforceHost(iss) ? { ...as, issuer: iss } : as;
}
