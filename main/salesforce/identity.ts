import { decodeJwt } from 'jose';
import type { HttpOptions } from '../oauth/http';
import { to18 } from '../tokens/org-id';
import { getJson } from './http';

/** Who and where a token belongs to, from the identity URL and userinfo. */
export interface Identity {
  orgId: string | null;
  userId: string | null;
  username: string | null;
  displayName: string | null;
  email: string | null;
  /** The org's My Domain, from `urls.custom_domain` when Salesforce sends it. */
  myDomainUrl: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Reads the Salesforce identity URL (`GET <id>` with the access token; "Identity URLs" in Salesforce
 * Help), falling back to OpenID Connect userinfo where there is no identity URL (other OIDC servers).
 */
export async function fetchIdentity(
  source: { identityUrl: string | null; userinfoUrl: string | null },
  accessToken: string,
  http: HttpOptions = {},
): Promise<Identity> {
  const url = source.identityUrl ?? source.userinfoUrl;
  if (!url) return { orgId: null, userId: null, username: null, displayName: null, email: null, myDomainUrl: null };
  const body = (await getJson(url, accessToken, http, 'the identity request')) as Record<string, unknown>;
  const urls =
    typeof body['urls'] === 'object' && body['urls'] !== null ? (body['urls'] as Record<string, unknown>) : {};
  const orgId = str(body['organization_id']);
  return {
    orgId: orgId && /^[a-zA-Z0-9]{15}$/.test(orgId) ? to18(orgId) : orgId,
    userId: str(body['user_id']) ?? str(body['sub']),
    username: str(body['username']) ?? str(body['preferred_username']) ?? str(body['email']),
    displayName: str(body['display_name']) ?? str(body['name']),
    email: str(body['email']),
    myDomainUrl: str(urls['custom_domain']),
  };
}

/**
 * Identity from an ID token's claims (OIDC Core §2), for servers whose userinfo endpoint does not accept
 * the access token (e.g. a JWT access token bound to another resource by RFC 8707). The ID token was
 * validated (issuer, audience, expiry) when it arrived with the code exchange.
 */
export function identityFromIdToken(idToken: string | null): Identity | null {
  if (!idToken) return null;
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(idToken);
  } catch {
    return null;
  }
  return {
    orgId: str(claims['organization_id']),
    userId: str(claims['user_id']) ?? str(claims['sub']),
    username: str(claims['preferred_username']) ?? str(claims['email']),
    displayName: str(claims['name']),
    email: str(claims['email']),
    myDomainUrl: null,
  };
}
