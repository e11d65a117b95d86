import type { SignatureCheck } from '../../preload/contract';
import { AppError, isAppError } from '../errors';
import { boundedFetch, type HttpOptions } from '../net/bounded-fetch';
import { isPrivateJwk, issuerKeySet, jwkSetKeys, nothingToCheck, verifyWithKeySet, type KeySet } from './verify-keys';

/** A JWK Set is a few kilobytes; an answer far larger is not one (a page, a file, a mistake). */
const MAX_JWKS_BYTES = 256 * 1024;
const PASTE_INSTEAD = 'Check the issuer, or paste its public key instead.';

/**
 * Checks a stored JWT's signature (RFC 7515 §5.2) against the issuer's published JSON Web Key Set
 * (RFC 7517), for Salesforce `GET <login host>/id/keys`, through the same checks as a pasted token
 * (verify-keys.ts). A key set that cannot be read is an `error` result saying why, not a thrown error.
 */
export async function verifyJwtSignature(
  token: string,
  jwksUrl: string | null,
  http: HttpOptions = {},
  now: number = Date.now(),
): Promise<SignatureCheck> {
  const early = nothingToCheck(token, jwksUrl);
  if (early) return early;
  if (!jwksUrl)
    return {
      result: 'error',
      message: 'The issuer publishes no key set (jwks_uri), so the signature cannot be checked.',
      jwksUrl,
      kid: null,
    };
  let keys: KeySet;
  try {
    keys = await fetchIssuerKeys(jwksUrl, http);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { result: 'error', message: e.message, jwksUrl, kid: null, checkedWith: `the issuer's keys at ${jwksUrl}` };
  }
  return verifyWithKeySet(token, keys, now);
}

/**
 * Reads an issuer's JSON Web Key Set at `jwksUrl`, bounded in time and size. Anything that is not a JWK Set
 * (an error status, a redirect, an HTML page, an empty or huge body, JSON without `keys`, private keys) is an
 * AppError naming the URL and saying what came back.
 */
export async function fetchIssuerKeys(jwksUrl: string, http: HttpOptions): Promise<KeySet> {
  const fail = (code: 'oauth/bad_response' | 'oauth/network', what: string, cause?: unknown) =>
    new AppError(code, `Could not read the issuer's keys at ${jwksUrl}: ${what}`, { cause });
  const maxBytes = Math.min(http.maxBytes ?? MAX_JWKS_BYTES, MAX_JWKS_BYTES);
  let response: Response;
  try {
    response = await boundedFetch({ ...http, maxBytes })(jwksUrl, {
      headers: { Accept: 'application/jwk-set+json, application/json' },
    });
  } catch (e) {
    if (isAppError(e, 'oauth/cancelled')) throw e;
    if (isAppError(e, 'oauth/bad_response'))
      throw fail(
        'oauth/bad_response',
        `the answer is larger than ${MAX_JWKS_BYTES / 1024} KB, which no key set is. ${PASTE_INSTEAD}`,
        e,
      );
    throw fail('oauth/network', isAppError(e) ? e.message : 'the request failed. Check the network and try again.', e);
  }
  if (response.status >= 300 && response.status < 400) {
    const to = response.headers.get('location');
    throw fail(
      'oauth/bad_response',
      `it redirects (HTTP ${response.status}${to ? ` to ${to.slice(0, 300)}` : ''}), and the app does not follow redirects for keys. Use the key set's own address.`,
    );
  }
  if (!response.ok) throw fail('oauth/bad_response', `it answered HTTP ${response.status}. ${PASTE_INSTEAD}`);
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  if (text.trim() === '')
    throw fail('oauth/bad_response', `the answer is empty, not a JSON Web Key Set. ${PASTE_INSTEAD}`);
  if (/html/i.test(type) || text.trimStart().startsWith('<')) {
    throw fail(
      'oauth/bad_response',
      `it answered with a web page (HTML), not a JSON Web Key Set: this is not a key set address, or a proxy or sign-in page answered instead. ${PASTE_INSTEAD}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail('oauth/bad_response', `the answer is not JSON, so it is not a JSON Web Key Set. ${PASTE_INSTEAD}`);
  }
  const keys = jwkSetKeys(value);
  if (keys === null)
    throw fail('oauth/bad_response', `the JSON has no "keys" array, so it is not a JSON Web Key Set. ${PASTE_INSTEAD}`);
  if (keys.some(isPrivateJwk)) {
    throw fail(
      'oauth/bad_response',
      "it publishes private key material, with which anyone can sign tokens in the issuer's name. Do not trust its tokens; tell the issuer's administrators.",
    );
  }
  return issuerKeySet(keys, jwksUrl);
}
