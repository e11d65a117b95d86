import { decodeProtectedHeader } from 'jose';

/**
 * True when a token is a JWS JWT. Counting dots is not enough: Salesforce's opaque tokens
 * (`00D…!AQ…`) can contain dots too, so the header must decode to a JOSE header with an `alg`.
 */
export function isJwt(token: string): boolean {
  if (token.split('.').length !== 3) return false;
  try {
    return typeof decodeProtectedHeader(token).alg === 'string';
  } catch {
    return false;
  }
}
