import type { TokenInspection } from '../../preload/contract';

/**
 * What the renderer may see of a stored token's inspection: its header and claims, never the parts that,
 * joined with the rest, are the raw token. A JWS loses its signature (its length stays, as
 * `signatureBytes`); a JWE keeps only its protected header. Only Reveal sends the raw token
 * (docs/SECURITY.md, "The renderer holds a raw token").
 */
export function hideRawToken(inspection: TokenInspection): TokenInspection {
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
    case 'opaque':
      // Already only the org ID and the secret's length, or only the length.
      return inspection;
  }
}
