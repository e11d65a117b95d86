import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import { clientOf } from '../oauth/authorization-server';
import type { HttpOptions } from '../net/bounded-fetch';
import { oauthOptions, toOAuthError } from '../oauth/http';
import { to18 } from '../tokens/org-id';
import { getJson } from './http';

/** Who and where a token belongs to, parsed once from the identity URL, userinfo or an ID token. */
export interface Identity {
  /** The org ID, 18 characters when Salesforce sent 15. */
  orgId: string | null;
  userId: string | null;
  username: string | null;
  displayName: string | null;
  email: string | null;
  /** The org's My Domain, from `urls.custom_domain` when Salesforce sends it. */
  myDomainUrl: string | null;
  /** Salesforce's endpoint templates (`rest`, `sobjects`, `enterprise`, …), `{version}` placeholders kept. */
  urls: Record<string, string>;
}

/** OpenID Connect userinfo (OIDC Core §5.3) with Salesforce's extra claims. */
export interface UserInfo extends Identity {
  /** The `sub` claim (at Salesforce, the identity URL). */
  sub: string;
  /** Every claim as display text, for a claim table. */
  claims: { name: string; value: string }[];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function orgId18(v: unknown): string | null {
  const id = str(v);
  return id && /^[a-zA-Z0-9]{15}$/.test(id) ? to18(id) : id;
}

function urlsOf(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Parses an identity URL response ("Identity URLs", Salesforce Help) or a userinfo response: Salesforce
 * names (`organization_id`, `user_id`, `username`, `display_name`) first, OIDC claims as fallback.
 */
export function parseIdentity(body: unknown): Identity {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('sf/api_error', 'The identity answer was not a JSON object. Sign in to the org again.');
  }
  const b = body as Record<string, unknown>;
  const urls = urlsOf(b['urls']);
  return {
    orgId: orgId18(b['organization_id']),
    userId: str(b['user_id']) ?? str(b['sub']),
    username: str(b['username']) ?? str(b['preferred_username']) ?? str(b['email']),
    displayName: str(b['display_name']) ?? str(b['name']),
    email: str(b['email']),
    myDomainUrl: str(urls['custom_domain']),
    urls,
  };
}

/**
 * Reads the Salesforce identity URL (`GET <id>` with the access token; "Identity URLs", Salesforce Help),
 * falling back to OpenID Connect userinfo where there is no identity URL (other OIDC servers).
 * 401 / 403 Bad_OAuth_Token → `sf/session_expired`.
 */
export async function fetchIdentity(
  source: { identityUrl: string | null; userinfoUrl: string | null },
  accessToken: string,
  http: HttpOptions = {},
  signal?: AbortSignal,
): Promise<Identity> {
  const url = source.identityUrl ?? source.userinfoUrl;
  if (!url) {
    return { orgId: null, userId: null, username: null, displayName: null, email: null, myDomainUrl: null, urls: {} };
  }
  return parseIdentity(await getJson(url, accessToken, http, 'the identity request', signal ? { signal } : {}));
}

/**
 * OpenID Connect userinfo (OIDC Core §5.3; Salesforce `/services/oauth2/userinfo`) through oauth4webapi.
 * `expectedSubject` (the ID token's `sub`) is checked when given. 401 / 403 → `sf/session_expired`.
 */
export async function fetchUserInfo(
  as: oauth.AuthorizationServer,
  clientId: string,
  accessToken: string,
  options: { http?: HttpOptions; expectedSubject?: string; signal?: AbortSignal } = {},
): Promise<UserInfo> {
  if (!as.userinfo_endpoint) {
    throw new AppError('sf/api_error', 'This server publishes no userinfo endpoint.');
  }
  const { client } = clientOf(clientId, null);
  let claims: oauth.UserInfoResponse;
  try {
    const response = await oauth.userInfoRequest(
      as,
      client,
      accessToken,
      oauthOptions(as.userinfo_endpoint, options.http ?? {}, options.signal),
    );
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel().catch(() => undefined);
      throw new AppError(
        'sf/session_expired',
        `The userinfo endpoint refused the access token (HTTP ${response.status}): the session expired or was revoked. Refresh the token or sign in again.`,
      );
    }
    claims = await oauth.processUserInfoResponse(
      as,
      client,
      options.expectedSubject ?? oauth.skipSubjectCheck,
      response,
    );
  } catch (e) {
    throw toOAuthError(e, 'reading userinfo');
  }
  return {
    ...parseIdentity(claims),
    sub: claims.sub,
    claims: Object.entries(claims).map(([name, v]) => ({
      name,
      value: typeof v === 'string' ? v : JSON.stringify(v),
    })),
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
    urls: {},
  };
}
