import { decodeJwt } from 'jose';
import type * as oauth from 'oauth4webapi';
import type { IdTokenValidation } from '../../preload/contract';
import { AppError } from '../errors';
import { isSafeTransport } from '../net/transport';
import { isJwt as looksLikeJwt } from '../tokens/token-format';

/**
 * A token endpoint response (RFC 6749 §5.1, plus the fields of Salesforce's "OAuth 2.0 Web Server Flow"
 * response), parsed once, where it arrives: nothing else of the raw response is kept, so no other code
 * reads (or leaks) fields of it.
 */
export interface TokenSet {
  accessToken: string;
  /** null when none was issued (no `refresh_token` scope) or, on refresh, when the server did not rotate. */
  refreshToken: string | null;
  idToken: string | null;
  /** Salesforce `instance_url`: where API calls go (never the login host). */
  instanceUrl: string | null;
  /** Salesforce `api_instance_url` (JWT-based access tokens): the API gateway for those tokens. */
  apiInstanceUrl: string | null;
  /** Salesforce `id`: the identity URL `…/id/<orgId>/<userId>`. */
  identityUrl: string | null;
  /** Epoch ms: Salesforce's `issued_at`, or when the response arrived. */
  issuedAt: number;
  scopes: string[];
  /** 'jwt' when the access token is a JWT or Salesforce says `token_format: "jwt"`. */
  tokenFormat: 'opaque' | 'jwt';
  /** Epoch ms when known: from `expires_in`, else `exp` of a JWT access token. Salesforce sends no `expires_in`. */
  expiresAt: number | null;
  /** Where `expiresAt` came from; null when it is unknown. */
  expirySource: 'expires_in' | 'jwt_exp' | null;
  /**
   * How `idToken` was validated where it arrived (OIDC Core §3.1.3.7, id-token-validation.ts): set by the
   * sign-in and the refresh, absent for grants that do not validate an ID token in full.
   */
  idTokenValidation?: IdTokenValidation;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Parses a successful token response, as oauth4webapi validated it, into a {@link TokenSet}.
 * `receivedAt` is when it arrived (epoch ms); `requestedScopes` stand in when the response omits `scope`
 * (RFC 6749 §5.1: then the granted scope equals the requested one).
 */
export function parseTokenResponse(
  response: oauth.TokenEndpointResponse,
  receivedAt: number,
  requestedScopes: readonly string[] = [],
): TokenSet {
  const accessToken = response.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new AppError(
      'oauth/bad_response',
      'The token response had no access_token. Check the login host and the app settings.',
    );
  }
  const issuedAtRaw = Number(text(response['issued_at']) ?? Number.NaN);
  const issuedAt = Number.isFinite(issuedAtRaw) && issuedAtRaw > 0 ? issuedAtRaw : receivedAt;
  const isJwt = response['token_format'] === 'jwt' || looksLikeJwt(accessToken);
  let expiresAt: number | null =
    typeof response.expires_in === 'number' && Number.isFinite(response.expires_in)
      ? receivedAt + response.expires_in * 1000
      : null;
  let expirySource: TokenSet['expirySource'] = expiresAt === null ? null : 'expires_in';
  if (expiresAt === null && isJwt) {
    try {
      const exp = decodeJwt(accessToken).exp;
      if (typeof exp === 'number' && Number.isFinite(exp)) {
        expiresAt = exp * 1000;
        expirySource = 'jwt_exp';
      }
    } catch {
      // Not decodable after all: its expiry stays unknown until introspection.
    }
  }
  const scope = text(response.scope);
  return {
    accessToken,
    refreshToken: text(response.refresh_token),
    idToken: text(response.id_token),
    instanceUrl: tokenSafeUrl(response['instance_url']),
    apiInstanceUrl: tokenSafeUrl(response['api_instance_url']),
    identityUrl: tokenSafeUrl(response['id']),
    issuedAt,
    scopes: scope === null ? [...requestedScopes] : scope.split(' ').filter(Boolean),
    tokenFormat: isJwt ? 'jwt' : 'opaque',
    expiresAt,
    expirySource,
  };
}

/** A URL field we will later send the access token to: only https (or loopback http for tests). */
function tokenSafeUrl(v: unknown): string | null {
  const s = text(v);
  return s !== null && URL.canParse(s) && isSafeTransport(s) ? s : null;
}
