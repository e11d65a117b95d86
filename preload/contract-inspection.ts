/** What `inspectToken` answers: a decoded token (part of the contract, see `preload/contract.ts`). */

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

export type TokenInspection = JwsInspection | JweInspection | SalesforceOpaqueInspection | OpaqueInspection;
