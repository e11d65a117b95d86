import type { IdTokenValidation, TokenInspection, TokenKind } from '../../preload/contract';
import { AppError } from '../errors';
import { inspectToken } from '../tokens/inspect-token';
import type { TokenMeta } from '../vault/records';
import { TOKEN_NAMES } from './token-lifecycle';

/**
 * What the renderer may see of a stored token's inspection: its header and claims, never the parts that,
 * joined with the rest, are the raw token. A JWS loses its signature (its length stays, as
 * `signatureBytes`); a JWE keeps only its protected header. Only Reveal sends the raw token
 * (docs/SECURITY.md, "The renderer holds a raw token").
 */
function hideRawToken(inspection: TokenInspection): TokenInspection {
  switch (inspection.kind) {
    case 'jws':
      return { ...inspection, parts: { ...inspection.parts, signature: '' }, signatureHidden: true };
    case 'jwe':
      return {
        ...inspection,
        parts: { header: inspection.parts.header, encryptedKey: '', iv: '', ciphertext: '', tag: '' },
        encryptedPartsHidden: true,
      };
    case 'salesforce-opaque':
    case 'salesforce-refresh':
    case 'opaque':
      // Already only the org ID and the secret's length, or only the length.
      return inspection;
  }
}

/** A stored ID token's inspection carries how it was validated when it arrived. */
function withValidation(inspection: TokenInspection, kind: TokenKind, validation?: IdTokenValidation): TokenInspection {
  return inspection.kind === 'jws' && kind === 'id' && validation
    ? { ...inspection, idTokenValidation: validation }
    : inspection;
}

/** A stored token's inspection without its raw parts, with `meta` (its metadata) adding what the app knows. */
export function inspectStoredToken(token: string, meta: TokenMeta | undefined, nowMs: number): TokenInspection {
  return withValidation(hideRawToken(inspectToken(token, nowMs)), meta?.kind ?? 'access', meta?.idTokenValidation);
}

/**
 * The inspection of the JWT a stored access or ID token replaced at its last renewal, from what was kept of it
 * (`header.payload`, token-lifecycle.ts): decoded with a blank signature of the length it had, so it reads as
 * the signed token it was, then hidden like any stored token's. `token/unsupported` when none is kept.
 */
export function inspectPreviousToken(meta: TokenMeta | undefined, kind: TokenKind, nowMs: number): TokenInspection {
  const previous = meta?.previous;
  if (!previous) {
    throw new AppError(
      'token/unsupported',
      kind === 'refresh'
        ? 'No earlier refresh token is kept: only a JWT access or ID token keeps the one it replaced.'
        : `No earlier ${TOKEN_NAMES[kind]} is kept for this org: one is kept when a refresh or a new sign-in replaces a ${TOKEN_NAMES[kind]} that is a JWT. Refresh the org, then compare.`,
    );
  }
  const blank = Buffer.alloc(previous.signatureBytes).toString('base64url');
  return withValidation(
    hideRawToken(inspectToken(`${previous.unsigned}.${blank}`, nowMs)),
    kind,
    previous.idTokenValidation,
  );
}
