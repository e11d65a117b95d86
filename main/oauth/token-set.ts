import { decodeJwt } from 'jose';
import type * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import { isJwt as looksLikeJwt } from '../tokens/token-format';

/** A token endpoint response, parsed once (DESIGN.md rule 4). Salesforce's extra fields are typed here. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  /** Salesforce: where API calls go (never the login host). */
  instanceUrl: string | null;
  /** Salesforce: the identity URL `…/id/<org>/<user>`. */
  identityUrl: string | null;
  /** Epoch ms: Salesforce's `issued_at`, or when the response arrived. */
  issuedAt: number;
  scopes: string[];
  tokenFormat: 'opaque' | 'jwt';
  /** Epoch ms, when known: `expires_in`, or `exp` of a JWT access token. Salesforce sends no `expires_in`. */
  expiresAt: number | null;
}

/** Parses a successful token response from oauth4webapi into a {@link TokenSet}. */
export function parseTokenResponse(response: oauth.TokenEndpointResponse, receivedAt: number): TokenSet {
  const accessToken = response.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new AppError(
      'oauth/bad_response',
      'The token response had no access token. Check the login host and the app settings.',
    );
  }
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const issuedAtRaw = Number(text(response['issued_at']) ?? NaN);
  const issuedAt = Number.isFinite(issuedAtRaw) && issuedAtRaw > 0 ? issuedAtRaw : receivedAt;
  const isJwt = response['token_format'] === 'jwt' || looksLikeJwt(accessToken);
  let expiresAt: number | null =
    typeof response.expires_in === 'number' ? receivedAt + response.expires_in * 1000 : null;
  if (expiresAt === null && isJwt) {
    try {
      const exp = decodeJwt(accessToken).exp;
      if (typeof exp === 'number') expiresAt = exp * 1000;
    } catch {
      // An opaque token that happens to contain two dots: its expiry stays unknown until introspection.
    }
  }
  return {
    accessToken,
    refreshToken: text(response.refresh_token),
    idToken: text(response.id_token),
    instanceUrl: text(response['instance_url']) ?? text(response['api_instance_url']),
    identityUrl: text(response['id']),
    issuedAt,
    scopes: (text(response.scope) ?? '').split(' ').filter(Boolean),
    tokenFormat: isJwt ? 'jwt' : 'opaque',
    expiresAt,
  };
}
