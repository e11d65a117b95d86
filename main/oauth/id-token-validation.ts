/**
 * An ID token validated as OpenID Connect Core §3.1.3.7 says, with the result kept to show: oauth4webapi has
 * already checked `iss`, `aud`, `azp`, `exp`, `iat` and `nonce` when it processed the token response (it throws
 * on the first failure), so those are reported with the values it compared; the signature is checked here
 * against the issuer's `jwks_uri` (oauth4webapi `validateApplicationLevelSignature`), and `at_hash` / `c_hash`
 * (§3.1.3.8, §3.3.2.11) against the access token and the code. A bad signature or hash stops the sign-in or
 * refresh; keys that cannot be fetched leave the signature `not-checked`, saying why: the token came straight
 * from the token endpoint over TLS, which §3.1.3.7 step 6 lets stand in for it.
 */
import { createHash } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import * as oauth from 'oauth4webapi';
import { ID_TOKEN_CHECKS, type IdTokenCheck, type IdTokenValidation } from '../../preload/contract';
import { AppError } from '../errors';
import type { HttpOptions } from '../net/bounded-fetch';
import { oauthOptions } from './http';

interface IdTokenInput {
  /** The server the response was processed against (its `issuer` is the one `iss` was compared with). */
  as: oauth.AuthorizationServer;
  /** The issuer discovered at the login host, when the accepted `iss` differs (a Salesforce login host). */
  discoveredIssuer?: string | undefined;
  clientId: string;
  /** The token endpoint's response, as oauth4webapi processed it (it keys the ID token it validated). */
  response: Response;
  /** The body oauth4webapi returned for it. */
  body: oauth.TokenEndpointResponse;
  during: IdTokenValidation['during'];
  /** The nonce sent with this sign-in, or null (none sent, or a refresh). */
  nonce: string | null;
  /** The authorization code exchanged, for `c_hash`; null at a refresh. */
  code: string | null;
  http: HttpOptions;
  signal?: AbortSignal | undefined;
  /** Epoch milliseconds when the response arrived. */
  now: number;
}

/**
 * Every check of {@link ID_TOKEN_CHECKS} on the response's ID token, in that order, or null when the response
 * has none. Throws `oauth/bad_response` when one failed, naming it: nothing of such a response is kept.
 */
export async function validateIdToken(input: IdTokenInput): Promise<IdTokenValidation | null> {
  const idToken = input.body.id_token;
  const claims = oauth.getValidatedIdTokenClaims(input.body);
  if (typeof idToken !== 'string' || !claims) return null;
  const header = decodeProtectedHeader(idToken);
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const found: Record<(typeof ID_TOKEN_CHECKS)[number], IdTokenCheck> = {
    signature: await signatureCheck(input, alg, typeof header.kid === 'string' ? header.kid : null),
    iss: issuerCheck(input, claims.iss),
    aud: audienceCheck(input.clientId, claims.aud),
    azp: authorizedPartyCheck(input.clientId, claims['azp']),
    exp: passed('exp', `"exp" ${utc(claims.exp)} is in the future (${span(claims.exp * 1000 - input.now)} left)`),
    iat: issuedAtCheck(claims.iat, input.now),
    nonce: nonceCheck(input, claims.nonce),
    at_hash: hashCheck('at_hash', claims['at_hash'], alg, input.body.access_token, 'the access token'),
    c_hash:
      input.code === null
        ? claims['c_hash'] === undefined
          ? absent('c_hash', 'there is no authorization code at a refresh')
          : notChecked('c_hash', '"c_hash" present, but there is no authorization code at a refresh to compare it with')
        : hashCheck('c_hash', claims['c_hash'], alg, input.code, 'the authorization code'),
  };
  const checks = ID_TOKEN_CHECKS.map((name) => found[name]);
  const failed = checks.find((c) => c.outcome === 'failed');
  if (failed) {
    throw new AppError(
      'oauth/bad_response',
      `The ID token the server returned failed the ${failed.check} check (${failed.detail}), so it may have been forged or changed on the way. The ${input.during === 'sign-in' ? 'sign-in' : 'refresh'} was stopped and nothing was stored. Try again; if it happens again, check the login host.`,
    );
  }
  return { at: input.now, during: input.during, checks };
}

const passed = (check: IdTokenCheck['check'], detail: string): IdTokenCheck => ({ check, outcome: 'passed', detail });
const failed = (check: IdTokenCheck['check'], detail: string): IdTokenCheck => ({ check, outcome: 'failed', detail });
const absent = (check: IdTokenCheck['check'], detail: string): IdTokenCheck => ({ check, outcome: 'absent', detail });
const notChecked = (check: IdTokenCheck['check'], detail: string): IdTokenCheck => ({
  check,
  outcome: 'not-checked',
  detail,
});

/** A client ID short enough for a sentence: Salesforce consumer keys are 85 characters. */
const short = (id: string): string => (id.length > 16 ? `${id.slice(0, 10)}…` : id);
/** Epoch seconds as `2025-06-01 18:44:10 UTC`. */
const utc = (seconds: number): string => `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** A duration in words: "42 s", "15 min", "3 h". */
function span(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

const TLS_STANDS_IN =
  'the token came straight from the token endpoint over TLS, which OIDC Core §3.1.3.7 lets stand in for its signature';

async function signatureCheck(input: IdTokenInput, alg: string, kid: string | null): Promise<IdTokenCheck> {
  const jwksUri = input.as.jwks_uri;
  const key = kid === null ? 'its key (no "kid")' : `key "${kid}"`;
  if (alg.startsWith('HS')) {
    return notChecked(
      'signature',
      `${alg} is keyed with the client secret, which the app does not check ID tokens with; ${TLS_STANDS_IN}`,
    );
  }
  if (!jwksUri) return notChecked('signature', `the server publishes no jwks_uri; ${TLS_STANDS_IN}`);
  try {
    await oauth.validateApplicationLevelSignature(
      input.as,
      input.response,
      oauthOptions(jwksUri, input.http, input.signal),
    );
    return passed('signature', `${alg} signature verified with ${key} from ${jwksUri}`);
  } catch (e) {
    if (input.signal?.aborted) throw e;
    const reason = signatureFailure(e);
    if (reason === MISMATCH) return failed('signature', `the ${alg} signature does not match ${key} from ${jwksUri}`);
    if (reason === UNKNOWN_KEY)
      return failed('signature', `signed with ${key}, which the server does not publish at ${jwksUri}`);
    return notChecked('signature', `the keys at ${jwksUri} could not be used (${reason.why}); ${TLS_STANDS_IN}`);
  }
}

const MISMATCH = Symbol('the signature does not match the key');
const UNKNOWN_KEY = Symbol('no published key fits the token');

/**
 * Why oauth4webapi's signature check failed, read from its error codes and causes (never its wording):
 * the signature does not match the key, no published key fits the token, or why the keys could not be used.
 */
function signatureFailure(e: unknown): typeof MISMATCH | typeof UNKNOWN_KEY | { why: string } {
  if (e instanceof oauth.OperationProcessingError) {
    const cause: unknown = e.cause;
    if (e.code === oauth.INVALID_RESPONSE && typeof cause === 'object' && cause !== null && 'signature' in cause)
      return MISMATCH;
    if (e.code === oauth.KEY_SELECTION) {
      const candidates = (cause as { candidates?: unknown } | undefined)?.candidates;
      return Array.isArray(candidates) && candidates.length > 1
        ? { why: 'several keys fit and the token names none with "kid"' }
        : UNKNOWN_KEY;
    }
    if (cause instanceof Response) return { why: `HTTP ${cause.status}` };
    if (e.code === oauth.RESPONSE_IS_NOT_JSON) return { why: 'the answer is not JSON' };
    if (e.code === oauth.INVALID_RESPONSE) return { why: 'the answer is not a JSON Web Key Set' };
    return { why: 'the answer could not be read' };
  }
  if (e instanceof oauth.UnsupportedOperationError) return { why: 'the algorithm or key is one the app cannot check' };
  if (e instanceof AppError) return { why: e.message.replace(/\.$/, '') };
  return { why: 'the key could not be read' };
}

function issuerCheck(input: IdTokenInput, iss: string): IdTokenCheck {
  const discovered = input.discoveredIssuer;
  return passed(
    'iss',
    discovered && discovered !== iss
      ? `"iss" equals "${iss}", the Salesforce login host the response names (the login host is ${discovered})`
      : `"iss" equals the issuer "${iss}"`,
  );
}

function audienceCheck(clientId: string, aud: string | string[]): IdTokenCheck {
  return passed(
    'aud',
    Array.isArray(aud) && aud.length > 1
      ? `"aud" includes the client ID "${short(clientId)}" (${aud.length} audiences)`
      : `"aud" is the client ID "${short(clientId)}"`,
  );
}

/** §3.1.3.7 step 5: when `azp` is present, it must be the client ID (oauth4webapi checks it with several audiences). */
function authorizedPartyCheck(clientId: string, azp: unknown): IdTokenCheck {
  if (azp === undefined) return absent('azp', 'needed only when "aud" names several audiences');
  return azp === clientId
    ? passed('azp', `"azp" is the client ID "${short(clientId)}"`)
    : failed(
        'azp',
        `"azp" names "${short(typeof azp === 'string' ? azp : JSON.stringify(azp))}", not this app's client ID "${short(clientId)}"`,
      );
}

function issuedAtCheck(iat: number, now: number): IdTokenCheck {
  const ms = iat * 1000 - now;
  const when =
    Math.abs(ms) < 1000
      ? 'as it was received'
      : ms < 0
        ? `${span(ms)} before it was received`
        : `${span(ms)} after it was received, by this computer's clock (the clocks differ)`;
  return passed('iat', `"iat" ${utc(iat)}: issued ${when}`);
}

function nonceCheck(input: IdTokenInput, nonce: string | undefined): IdTokenCheck {
  if (input.during === 'refresh') {
    return nonce === undefined
      ? absent('nonce', 'a refreshed ID token need not carry one')
      : notChecked('nonce', '"nonce" present, but a refresh sends none to compare it with');
  }
  return input.nonce !== null
    ? passed('nonce', '"nonce" matches the one sent with this sign-in')
    : absent('nonce', 'none was sent with this sign-in, and the token carries none');
}

/**
 * `at_hash` / `c_hash`: the base64url of the left half of the hash of the value's ASCII octets, with the hash
 * of the ID token's `alg` (SHA-256 for RS256, ES256, PS256; SHA-384 and SHA-512 likewise; SHA-512 for Ed25519).
 */
function hashCheck(
  check: 'at_hash' | 'c_hash',
  claim: unknown,
  alg: string,
  value: string,
  what: string,
): IdTokenCheck {
  if (claim === undefined) return absent(check, 'optional in an ID token from the token endpoint');
  const bits = /^(?:RS|PS|ES)(256|384|512)$/.exec(alg)?.[1] ?? (alg === 'EdDSA' || alg === 'Ed25519' ? '512' : null);
  if (bits === null) return notChecked(check, `"${check}" present, but the app does not know the hash for ${alg}`);
  const digest = createHash(`sha${bits}`).update(value, 'ascii').digest();
  const expected = digest.subarray(0, digest.length / 2).toString('base64url');
  return claim === expected
    ? passed(check, `"${check}" matches ${what} (left half of its SHA-${bits}, base64url)`)
    : failed(check, `"${check}" does not match ${what} (left half of its SHA-${bits}, base64url)`);
}
