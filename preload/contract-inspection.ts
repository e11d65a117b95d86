/** What `inspectToken` answers: a decoded token (part of the contract, see `preload/contract.ts`). */
import type { IdTokenValidation } from './contract-tools';

/**
 * The longest input `inspectToken` decodes: the argument schema lets one more character through so the
 * decoder can answer its own typed `token/too_large` error.
 */
export const MAX_TOKEN_CHARS = 1_000_000;

export type ClaimKind = 'time' | 'scopes' | 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** One row of the claim table. `value` is the claim as JSON text; times carry epoch seconds. */
export interface ClaimRow {
  name: string;
  /** What the claim means (registered, OIDC or Salesforce), or null when unknown. */
  meaning: string | null;
  /** Where the meaning comes from: 'RFC 7519', 'OIDC Core', 'Salesforce', ... */
  source: string | null;
  kind: ClaimKind;
  /** The value as pretty JSON text. */
  display: string;
  /** For time claims: epoch seconds. */
  epochSeconds?: number;
  /** For scope claims: the individual scopes. */
  scopes?: string[];
  /** A problem with this claim (e.g. a numeric claim sent as a string). */
  warning?: string;
  /**
   * Where this claim's bytes are in the encoded part (the header's or payload's base64url text): character
   * offsets, end exclusive, widened to whole base64 quanta. For linking a row to the coloured token.
   */
  span?: { start: number; end: number };
  /** The claim names something the app may know: an org, a user or an OAuth client (value normalised). */
  ref?: ClaimRef;
  /** How to show the value to people, beyond its kind. */
  format?: ClaimFormat;
  /** Salesforce's custom attributes or permissions: the object's members, shown as a labelled group. */
  entries?: ClaimEntry[];
  /** What this token's value says beyond the claim's meaning (how long the token is valid, and why). */
  note?: string;
}

/** One member of a grouped claim: an attribute and its value, or a permission and `true`/`false`. */
export interface ClaimEntry {
  name: string;
  display: string;
}

/** An ID a claim carries: an org ID (18 characters), a user ID (18 characters) or an OAuth client ID. */
export interface ClaimRef {
  kind: 'org' | 'user' | 'client';
  value: string;
}

/**
 * `utc-offset-ms`: an offset from UTC in milliseconds (Salesforce's `utcOffset`); `url`: a URL, wrapped at `/`;
 * `custom-attributes`, `custom-permissions`: Salesforce's objects of those, with their `entries`.
 */
export type ClaimFormat = 'utc-offset-ms' | 'url' | 'custom-attributes' | 'custom-permissions';

/** Where the issuer's public keys are, for checking a pasted token's signature on request. */
export interface KeySource {
  issuer: string;
  /** The first URL fetched: Salesforce's `/id/keys`, or the issuer's OpenID Connect discovery document. */
  url: string;
  via: 'salesforce-keys' | 'oidc-discovery';
}

export type Severity = 'info' | 'warning' | 'danger';

export interface Finding {
  severity: Severity;
  message: string;
}

export interface JwsInspection {
  kind: 'jws';
  /** The three raw base64url parts, for the colored view. */
  parts: { header: string; payload: string; signature: string };
  header: ClaimRow[];
  headerJson: string;
  payload: ClaimRow[];
  payloadJson: string;
  alg: string | null;
  /** Epoch seconds or null. */
  expiresAt: number | null;
  issuedAt: number | null;
  notBefore: number | null;
  /** e.g. 'Salesforce JWT access token', 'OpenID Connect ID token', 'JWT'. */
  label: string;
  findings: Finding[];
  /** Byte length of the signature. */
  signatureBytes: number;
  /**
   * A stored org's token (`inspectOrgToken`): `parts.signature` is empty, so the parts cannot rebuild the
   * token without Reveal (docs/SECURITY.md). Absent for a token the user pasted.
   */
  signatureHidden?: true;
  /**
   * Where the signature can be checked from (derived from `iss`, nothing fetched yet), or null when the
   * token names no https issuer (a loopback http issuer counts).
   */
  keySource: KeySource | null;
  /** A stored ID token: how it was validated when it was received (OIDC Core §3.1.3.7). */
  idTokenValidation?: IdTokenValidation;
}

export interface JweInspection {
  kind: 'jwe';
  parts: { header: string; encryptedKey: string; iv: string; ciphertext: string; tag: string };
  /** A stored org's token: every part but the header is empty, as `signatureHidden` for a JWS. */
  encryptedPartsHidden?: true;
  header: ClaimRow[];
  headerJson: string;
  alg: string | null;
  enc: string | null;
  label: string;
  findings: Finding[];
}

export interface SalesforceOpaqueInspection {
  kind: 'salesforce-opaque';
  orgId15: string;
  orgId18: string;
  /** The part after `!`, shown only as its length. */
  secretLength: number;
  label: string;
  findings: Finding[];
}

/** An opaque token of another server: a reference only that server resolves (RFC 6749 §1.4). */
export interface OpaqueInspection {
  kind: 'opaque';
  /** Its length in characters; the token itself is not repeated. */
  length: number;
  label: string;
  findings: Finding[];
}

/** A Salesforce refresh token (`5Aep…`): opaque, never sent to an API, revocable at the org. */
export interface SalesforceRefreshInspection {
  kind: 'salesforce-refresh';
  length: number;
  label: string;
  findings: Finding[];
}

export type TokenInspection =
  JwsInspection | JweInspection | SalesforceOpaqueInspection | SalesforceRefreshInspection | OpaqueInspection;
