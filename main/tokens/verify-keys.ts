/**
 * Checking a JWS signature (RFC 7515 §5.2) against a set of keys, whoever gave them: the issuer's published
 * JSON Web Key Set (RFC 7517), a public key or certificate the user pasted (PEM, JWK or JWK Set), or the
 * shared secret of an HMAC token. Every key becomes a JWK first, so one code path picks the key by `kid`,
 * checks that it fits the token's `alg` (RFC 7518 §3.1), and verifies with jose. Each outcome comes with a
 * sentence saying exactly why, and what to do. The signature is checked first; only a validly signed token
 * is then called expired or not yet valid. Private keys are refused: they are never needed to check a
 * signature, and the app does not hold on to them (docs/SECURITY.md). What a user pastes becomes a key set in
 * pasted-keys.ts.
 */
import { base64url, compactVerify, decodeJwt, decodeProtectedHeader, errors, importJWK, type JWK } from 'jose';
import type { SignatureCheck } from '../../preload/contract';
import { isJwt } from './token-format';

/** One key to try, and how to name it when it has no `kid` ("key 2 of 3"). */
interface CandidateKey {
  jwk: JWK;
  name: string;
}

/** The keys a signature is checked against, and where they came from, in words ("the pasted certificate"). */
export interface KeySet {
  keys: CandidateKey[];
  from: string;
  jwksUrl: string | null;
}

/** What an `alg` needs of its key (RFC 7518 §3.1, as jose implements it). */
interface Needs {
  kty: 'RSA' | 'EC' | 'OKP' | 'oct';
  crv?: string;
  words: string;
  /** HMAC: a key at least as long as the hash output (RFC 7518 §3.2). */
  minBytes?: number;
}

const RSA: Needs = { kty: 'RSA', words: 'an RSA public key' };
const ALGS: Record<string, Needs> = {
  HS256: { kty: 'oct', words: 'a shared secret', minBytes: 32 },
  HS384: { kty: 'oct', words: 'a shared secret', minBytes: 48 },
  HS512: { kty: 'oct', words: 'a shared secret', minBytes: 64 },
  RS256: RSA,
  RS384: RSA,
  RS512: RSA,
  PS256: RSA,
  PS384: RSA,
  PS512: RSA,
  ES256: { kty: 'EC', crv: 'P-256', words: 'an EC public key on curve P-256' },
  ES384: { kty: 'EC', crv: 'P-384', words: 'an EC public key on curve P-384' },
  ES512: { kty: 'EC', crv: 'P-521', words: 'an EC public key on curve P-521' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', words: 'an Ed25519 public key' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519', words: 'an Ed25519 public key' },
};

/**
 * JWK members only a private key (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2) or a shared secret (`k`, RFC 7518
 * §6.4.1) has: published, either lets anyone sign.
 */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'priv', 'k'];
/** More keys than any issuer publishes; each is tried when the token names no `kid`. */
export const MAX_KEYS = 100;

/**
 * The answer for a token whose signature no key can check, or need not: not a signed JWT (opaque, encrypted,
 * cut off), unsigned (`alg: none`), an `alg` the app cannot check, or an empty signature. Null: check it.
 */
export function nothingToCheck(token: string, jwksUrl: string | null): SignatureCheck | null {
  const answer = (result: SignatureCheck['result'], message: string, kid: string | null = null) => ({
    result,
    message,
    jwksUrl,
    kid,
  });
  const parts = token.split('.');
  if (parts.length === 5 && headerOf(token)?.['enc'] !== undefined) {
    return answer(
      'not-a-jwt',
      'This is an encrypted JWT (JWE): it has no signature to check here. Only its recipient can decrypt it, with their private key; a signed token inside could then be checked.',
    );
  }
  if (!isJwt(token)) {
    return parts.length !== 3 && token.startsWith('eyJ')
      ? answer(
          'not-a-jwt',
          `This is not a whole signed JWT: it has ${parts.length} part${parts.length === 1 ? '' : 's'}, a signed JWT has 3. Check that you copied the whole token.`,
        )
      : answer(
          'not-a-jwt',
          'This token is opaque: it has no signature to check. Introspect it to ask the server whether it is valid.',
        );
  }
  const header = decodeProtectedHeader(token);
  const kid = typeof header.kid === 'string' ? header.kid : null;
  const alg = String(header.alg);
  if (alg.toLowerCase() === 'none') {
    return answer('bad-signature', 'The token is unsigned (alg "none"): it proves nothing and must be rejected.', kid);
  }
  if (!Object.hasOwn(ALGS, alg)) {
    return answer(
      'error',
      `The app cannot check "${alg}" signatures: it checks HS256/384/512, RS256/384/512, PS256/384/512, ES256/384/512 and EdDSA. Nothing was fetched.`,
      kid,
    );
  }
  if (parts[2] === '') {
    return answer(
      'error',
      `The token has no signature (its third part is empty) although its alg is ${alg}: it looks cut off. Copy the whole token again.`,
      kid,
    );
  }
  return null;
}

function headerOf(token: string): Record<string, unknown> | null {
  try {
    return decodeProtectedHeader(token);
  } catch {
    return null;
  }
}

/** Checks the token's signature with the keys of `set`, at `nowMs`. */
export async function verifyWithKeySet(token: string, set: KeySet, nowMs: number): Promise<SignatureCheck> {
  const early = nothingToCheck(token, set.jwksUrl);
  if (early) return { ...early, checkedWith: set.from };
  const header = decodeProtectedHeader(token);
  const alg = String(header.alg);
  const kid = typeof header.kid === 'string' ? header.kid : null;
  const needs = ALGS[alg]!;
  const say = (result: SignatureCheck['result'], message: string, usedKid = kid): SignatureCheck => ({
    result,
    message,
    jwksUrl: set.jwksUrl,
    kid: usedKid,
    checkedWith: set.from,
  });

  const secrets = set.keys.filter((k) => k.jwk.kty === 'oct').length;
  if (needs.kty === 'oct' && secrets === 0) {
    return say(
      'unknown-key',
      `The token is ${alg}: it is signed with a shared secret, which no public key can check. Choose "The shared secret" and enter the secret it was signed with.`,
    );
  }
  if (needs.kty !== 'oct' && set.keys.length > 0 && secrets === set.keys.length) {
    return say(
      'unknown-key',
      `The token is ${alg}, which is checked with ${needs.words}, not with a shared secret. Check it with the issuer's keys or paste its public key.`,
    );
  }
  if (set.keys.length === 0)
    return say('unknown-key', `No keys at all in ${set.from}: nothing can check the signature.`);

  const named = kid === null ? set.keys : set.keys.filter((k) => k.jwk.kid === kid);
  // A key without a `kid` (a pasted PEM key, a certificate) may still be the one a token with a `kid` names.
  const pool = named.length > 0 || kid === null ? named : set.keys.filter((k) => k.jwk.kid === undefined);
  if (pool.length === 0) {
    const kids = set.keys.map((k) => `"${String(k.jwk.kid)}"`).join(', ');
    return say(
      'unknown-key',
      `None of the ${count(set.keys.length, 'key')} in ${set.from} has kid "${kid}" (${set.keys.length === 1 ? 'its kid is' : 'theirs are'} ${kids}). The token was signed by another issuer's key, or the keys were rotated since: check the token's iss, or get the right key.`,
    );
  }
  const misfits = pool.map((k) => misfit(k, alg, needs));
  const fitting = pool.filter((_, i) => misfits[i] === null);
  if (fitting.length === 0) {
    return say(
      'unknown-key',
      `${misfits.join('; ')}. ${pool.length === 1 ? 'It cannot' : 'None of them can'} have signed this ${alg} token: use ${needs.words} of its issuer.`,
    );
  }

  let unusable: string | null = null;
  let tried = 0;
  for (const key of fitting) {
    try {
      await compactVerify(token, await importJWK(key.jwk, alg));
    } catch (e) {
      if (e instanceof errors.JWSSignatureVerificationFailed) tried++;
      else
        unusable ??= `${keyWords(key, set)} cannot check ${alg}: ${e instanceof Error ? e.message : 'unknown error'}`;
      continue;
    }
    return afterValidSignature(token, key, set, needs, say, nowMs);
  }
  if (tried === 0) return say('error', `${capitalized(unusable ?? 'The key could not be used')}. Use another key.`);
  const short = fitting.find((k) => tooShort(k, needs) !== null);
  const shortNote = short ? ` (The secret is also too short: ${tooShort(short, needs)}.)` : '';
  if (fitting.length === 1) {
    return say(
      'bad-signature',
      `The signature does not match ${keyWords(fitting[0]!, set)}: the token was changed after it was signed, or it was signed with another ${needs.kty === 'oct' ? 'secret' : 'key'}.${shortNote}`,
    );
  }
  return say(
    'bad-signature',
    `The signature matches none of the ${tried} ${alg} keys in ${set.from}${kid === null ? ' (the token names no key: it has no kid)' : ` with kid "${kid}"`}: the token was changed after it was signed, or it was signed with another key.`,
  );
}

function afterValidSignature(
  token: string,
  key: CandidateKey,
  set: KeySet,
  needs: Needs,
  say: (result: SignatureCheck['result'], message: string, usedKid?: string | null) => SignatureCheck,
  nowMs: number,
): SignatureCheck {
  // A key without a kid (a pasted PEM key) that matches is the key the token's kid names, if it names one.
  const usedKid = typeof key.jwk.kid === 'string' ? key.jwk.kid : undefined;
  const by = keyWords(key, set);
  const short = tooShort(key, needs);
  if (short !== null) {
    return say(
      'error',
      `The signature matches the secret, but ${short}, so a careful server refuses it. Sign with a secret of at least ${needs.minBytes} random bytes.`,
      usedKid,
    );
  }
  let payload: Record<string, unknown> = {};
  try {
    payload = decodeJwt(token);
  } catch {
    // A signed payload that is not a JSON object has no times to check.
  }
  const { exp, nbf } = payload;
  if (typeof exp === 'number' && exp * 1000 <= nowMs) {
    return say(
      'expired',
      `The signature is valid (${by}), but the token expired on ${new Date(exp * 1000).toISOString()}: servers will reject it. Get a new token.`,
      usedKid,
    );
  }
  if (typeof nbf === 'number' && nbf * 1000 > nowMs) {
    return say(
      'not-yet-valid',
      `The signature is valid (${by}), but the token is not valid before ${new Date(nbf * 1000).toISOString()} (its nbf): servers refuse it until then. Check the clock of the computer that issued it.`,
      usedKid,
    );
  }
  return say('valid', `It was made by ${by}.`, usedKid);
}

/** Why a key cannot have signed a token of `alg`, or null when it can. */
function misfit(key: CandidateKey, alg: string, needs: Needs): string | null {
  const { jwk } = key;
  const name = typeof jwk.kid === 'string' ? `Key "${jwk.kid}"` : capitalized(key.name);
  if (jwk.kty !== needs.kty || (needs.crv !== undefined && jwk.crv !== needs.crv))
    return `${name} is ${describeKey(jwk)}, but ${alg} needs ${needs.words}`;
  if (typeof jwk.alg === 'string' && jwk.alg !== alg) return `${name} is for ${jwk.alg} (its "alg"), not ${alg}`;
  if (jwk.use !== undefined && jwk.use !== 'sig') return `${name} is for "use": "${String(jwk.use)}", not signatures`;
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify'))
    return `${name} may not verify signatures (its "key_ops")`;
  return null;
}

/** An HMAC secret shorter than RFC 7518 §3.2 allows for the token's alg, in words; null when long enough. */
function tooShort(key: CandidateKey, needs: Needs): string | null {
  if (needs.minBytes === undefined || typeof key.jwk.k !== 'string') return null;
  const bytes = decodedLength(key.jwk.k);
  return bytes >= needs.minBytes
    ? null
    : `it is only ${count(bytes, 'byte')}, and RFC 7518 §3.2 asks at least ${needs.minBytes} bytes (${needs.minBytes * 8} bits) for this alg`;
}

/** The byte length of base64url text; a published key's text is not trusted to decode. */
function decodedLength(text: string): number {
  try {
    return base64url.decode(text).length;
  } catch {
    return 0;
  }
}

function describeKey(jwk: JWK): string {
  switch (jwk.kty) {
    case 'RSA':
      return typeof jwk.n === 'string' && decodedLength(jwk.n) > 0
        ? `an RSA key (${decodedLength(jwk.n) * 8} bits)`
        : 'an RSA key';
    case 'EC':
      return `an EC key on curve ${String(jwk.crv)}`;
    case 'OKP':
      return `an ${String(jwk.crv)} key`;
    case 'oct':
      return 'a shared secret';
    default:
      return `a key of type "${String(jwk.kty)}"`;
  }
}

/** How a message names the key that was used: by kid, or as the only or nth key of where it came from. */
function keyWords(key: CandidateKey, set: KeySet): string {
  if (key.jwk.kty === 'oct') return set.from;
  if (typeof key.jwk.kid === 'string') return `key "${key.jwk.kid}" (${describeKey(key.jwk)}) from ${set.from}`;
  return set.keys.length === 1
    ? `${set.from} (${describeKey(key.jwk)})`
    : `${key.name} (${describeKey(key.jwk)}) of ${set.from}`;
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The keys of a set, each named for messages when it has no kid. */
export const candidates = (jwks: JWK[], from: string): CandidateKey[] =>
  jwks.map((jwk, i) => ({ jwk, name: jwks.length === 1 ? from : `key ${i + 1} of ${jwks.length}` }));

/** True when a JWK carries private key material or a shared secret. */
export function isPrivateJwk(jwk: object): boolean {
  return PRIVATE_MEMBERS.some((m) => Object.hasOwn(jwk, m));
}

/**
 * The keys of a JWK Set's `keys` array (RFC 7517 §5), or null when `value` is not a JWK Set. Entries that
 * are not JWKs (no `kty`) are left out, as RFC 7517 §5 lets a reader ignore members it cannot use.
 */
export function jwkSetKeys(value: unknown): JWK[] | null {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys)) return null;
  return (value as { keys: unknown[] }).keys.filter(
    (k): k is JWK => typeof k === 'object' && k !== null && typeof (k as JWK).kty === 'string',
  );
}

/** The issuer's keys, from its JWK Set (already read and checked for private keys by the caller). */
export function issuerKeySet(keys: JWK[], jwksUrl: string): KeySet {
  const from = `the issuer's keys at ${jwksUrl}`;
  return { keys: candidates(keys.slice(0, MAX_KEYS), from), from, jwksUrl };
}
