import type { KeySource } from '../../preload/contract';
import { isSalesforceHost } from '../oauth/authorization-server';
import { isSafeTransport } from '../net/transport';

/**
 * Where a token's issuer publishes the keys its signature can be checked with, derived from the `iss` claim
 * alone (nothing is fetched here): a Salesforce host serves its key set at `{iss}/id/keys`; any other issuer
 * is asked through OpenID Connect discovery at `{iss}/.well-known/openid-configuration`, whose `jwks_uri`
 * names the key set (main/oauth/authorization-server.ts also tries RFC 8414's metadata there). Only an https
 * issuer (or plain http on loopback, as test servers run) counts, and only one that is an issuer identifier
 * (OpenID Connect Discovery §2: no query, no fragment, no user name or password).
 */
export function keySourceOf(iss: unknown): KeySource | null {
  if (typeof iss !== 'string' || !URL.canParse(iss)) return null;
  const url = new URL(iss);
  if (!isSafeTransport(url) || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    return null;
  // A terminating `/` is removed before the well-known path is appended (OpenID Connect Discovery §4).
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return isSalesforceHost(url)
    ? { issuer: iss, url: `${base}/id/keys`, via: 'salesforce-keys' }
    : { issuer: iss, url: `${base}/.well-known/openid-configuration`, via: 'oidc-discovery' };
}
