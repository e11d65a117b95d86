import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, type JSONWebKeySet } from 'jose';
import type { SignatureCheck } from '../../preload/contract';
import { boundedFetch, type HttpOptions } from '../net/bounded-fetch';
import { isJwt } from './token-format';

/**
 * Checks a JWT's signature (RFC 7515 §5.2) against the issuer's published JSON Web Key Set (RFC 7517),
 * for Salesforce `GET <login host>/id/keys`. The signature is checked first; only a validly signed token
 * is then called expired. Each result comes with a sentence saying what it means.
 */
export async function verifyJwtSignature(
  token: string,
  jwksUrl: string | null,
  http: HttpOptions = {},
  now: number = Date.now(),
): Promise<SignatureCheck> {
  if (!isJwt(token)) {
    return {
      result: 'not-a-jwt',
      message:
        'This token is opaque: it has no signature to check. Introspect it to ask the server whether it is valid.',
      jwksUrl,
      kid: null,
    };
  }
  const header = decodeProtectedHeader(token);
  const kid = typeof header.kid === 'string' ? header.kid : null;
  if (String(header.alg).toLowerCase() === 'none') {
    return {
      result: 'bad-signature',
      message: 'The token is unsigned (alg "none"): it proves nothing and must be rejected.',
      jwksUrl,
      kid,
    };
  }
  if (!jwksUrl)
    return {
      result: 'error',
      message: 'The issuer publishes no key set (jwks_uri), so the signature cannot be checked.',
      jwksUrl,
      kid,
    };
  let jwks: JSONWebKeySet;
  try {
    const response = await boundedFetch(http)(jwksUrl, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    jwks = (await response.json()) as JSONWebKeySet;
    if (!Array.isArray(jwks.keys)) throw new Error('no "keys" array');
  } catch (e) {
    return {
      result: 'error',
      message: `Could not read the issuer's keys at ${jwksUrl} (${e instanceof Error ? e.message : 'unknown error'}). Check the network and try again.`,
      jwksUrl,
      kid,
    };
  }
  try {
    await compactVerify(token, createLocalJWKSet(jwks));
  } catch (e) {
    if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) {
      return {
        result: 'unknown-key',
        message: `None of the issuer's ${jwks.keys.length} published keys has kid "${kid ?? '(none)'}" for ${String(header.alg)}. The token was signed by someone else, or the keys were rotated.`,
        jwksUrl,
        kid,
      };
    }
    if (e instanceof errors.JWSSignatureVerificationFailed) {
      return {
        result: 'bad-signature',
        message: `The signature does not match key "${kid ?? '?'}": the token was changed after it was signed, or forged.`,
        jwksUrl,
        kid,
      };
    }
    return {
      result: 'error',
      message: `The signature could not be checked (${e instanceof Error ? e.message : 'unknown error'}).`,
      jwksUrl,
      kid,
    };
  }
  const exp = decodeJwt(token).exp;
  if (typeof exp === 'number' && exp * 1000 <= now) {
    return {
      result: 'expired',
      message: `The signature is valid (key "${kid ?? '?'}"), but the token expired on ${new Date(exp * 1000).toISOString()}: servers will reject it.`,
      jwksUrl,
      kid,
    };
  }
  return {
    result: 'valid',
    message: `It was made by the issuer's key "${kid ?? '?'}" published at ${jwksUrl}.`,
    jwksUrl,
    kid,
  };
}
