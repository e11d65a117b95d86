/**
 * What the token tools answer (part of the contract, see `preload/contract.ts`): checking a pasted token's
 * signature with a key of the user's choice, finding the org a pasted token belongs to and acting on it there,
 * copying a stored token in a ready-to-run form, and the small API console.
 */
import type { TokenKind } from './contract-orgs';

/**
 * The key a pasted token's signature is checked with.
 * - `issuer`: the issuer's published keys. `url` is the first URL that will be fetched, exactly as the window
 *   showed it (`JwsInspection.keySource.url`); main derives it from the token again and refuses any other.
 * - `key`: a public key the user pasted: PEM (SPKI public key or X.509 certificate), a JWK or a JWK Set.
 * - `secret`: the shared secret of an HS256/384/512 token, as text or as base64/base64url bytes.
 */
export type VerifyKey =
  | { kind: 'issuer'; url: string }
  | { kind: 'key'; text: string }
  | { kind: 'secret'; secret: string; encoding: SecretEncoding };

export const SECRET_ENCODINGS = ['utf8', 'base64', 'base64url'] as const;
export type SecretEncoding = (typeof SECRET_ENCODINGS)[number];

/** Where a pasted token's stored counterpart lives: a stored org, or a login host with an app profile. */
export type PastedTokenTarget = { org: string } | { loginHost: string; profileId: string | null };

/** Which stored orgs and app profiles a pasted token belongs to, from what it names. */
export interface TokenMatch {
  /** What the token names, where it can be read: `iss`, the org (18 characters), `client_id`/`aud`, `sub`. */
  issuer: string | null;
  orgId: string | null;
  clientId: string | null;
  subject: string | null;
  /** Stored orgs it belongs to, best first, each with the reason in words (e.g. "same org ID and user"). */
  orgs: {
    id: string;
    label: string;
    reason: string;
    /** The pasted token is this org's stored token of that kind (compared by digest, never by showing it). */
    sameToken: TokenKind | null;
  }[];
  /** App profiles whose consumer key is the token's client. */
  profiles: { id: string; name: string }[];
}

/** The answer of `revokePastedToken` (RFC 7009). */
export interface PastedRevokeResult {
  /** The revocation endpoint accepted the request. */
  revoked: boolean;
  /** Introspection after the revoke says inactive (true), active (false), or could not be asked (null). */
  confirmed: boolean | null;
  /** The endpoint the request went to. */
  endpoint: string;
  /** In words: what was revoked, where, and what that means (and for a stored token, the org's new status). */
  message: string;
}

/** Ready-to-run forms of a stored access token that `copyTokenAs` puts on the clipboard. */
export const COPY_FORMATS = ['bearer-header', 'curl', 'httpie', 'env-posix', 'env-powershell'] as const;
export type CopyFormat = (typeof COPY_FORMATS)[number];

/** What `copyTokenAs` copied, with the token shown only as its last characters. */
export interface CopyAsResult {
  format: CopyFormat;
  /** The copied text with the token replaced by `…abcd`, for the window to show. */
  preview: string;
}

/** A request of the API console: a REST GET of any `/services/data/…` path, or a SOQL query. */
export type ApiConsoleRequest = { kind: 'rest'; path: string } | { kind: 'soql'; query: string };

/** The answer the org's API gave the console. */
export interface ApiConsoleResult {
  /** The URL requested (the token is never part of it). */
  url: string;
  status: number;
  statusText: string;
  durationMs: number;
  headers: { name: string; value: string }[];
  /** From `Sforce-Limit-Info: api-usage=used/max`, when sent. */
  limitInfo: { used: number; max: number } | null;
  contentType: string | null;
  /** The body as text, pretty-printed when it is JSON, cut at a bound. */
  body: string;
  json: boolean;
  bodyTruncated: boolean;
  /** For a refusal (401, 403, …): what it means, with the token's status as the app knows it. Null on success. */
  explanation: string | null;
}

/** The checks of OpenID Connect Core §3.1.3.7 (and §3.1.3.8 for `at_hash`, §3.3.2.11 for `c_hash`). */
export const ID_TOKEN_CHECKS = ['signature', 'iss', 'aud', 'azp', 'exp', 'iat', 'nonce', 'at_hash', 'c_hash'] as const;
export type IdTokenCheckName = (typeof ID_TOKEN_CHECKS)[number];

export interface IdTokenCheck {
  check: IdTokenCheckName;
  /** `absent`: the claim is not in the token (and need not be); `not-checked`: it could not be checked, see detail. */
  outcome: 'passed' | 'failed' | 'absent' | 'not-checked';
  /** In words, with the values compared (e.g. `aud` includes the client ID "3MVG9…"). */
  detail: string;
}

/** How an ID token was validated when it was received: every check, in the order of §3.1.3.7. */
export interface IdTokenValidation {
  /** Epoch milliseconds. */
  at: number;
  during: 'sign-in' | 'refresh';
  checks: IdTokenCheck[];
}
