/**
 * What a decoded JWS says about its own safety: its algorithm, its signature, keys it names itself, and
 * its times against the clock. Nothing here is verified (see verify-token.ts); these are warnings only.
 */
import type { Finding } from '../../preload/contract';

/** Signature algorithms a Salesforce or OIDC token is expected to use. */
const USUAL_ALGS = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);

/** The exact signature length, in bytes, of algorithms whose signatures have one (RFC 7518 §3, RFC 8037). */
const SIGNATURE_BYTES: Readonly<Record<string, number>> = {
  HS256: 32,
  HS384: 48,
  HS512: 64,
  ES256: 64,
  ES384: 96,
  ES512: 132,
  EdDSA: 64,
  Ed25519: 64,
};
/** An RSA signature is as long as the key: these are the key sizes in use (1024 to 4096 bits). */
const RSA_SIGNATURE_BYTES = new Set([128, 256, 384, 512]);

/** What the findings are about: the header, the signature's length, and the time claims read as seconds. */
export interface JwsFacts {
  header: Record<string, unknown>;
  alg: string | null;
  signatureBytes: number;
  expiresAt: number | null;
  issuedAt: number | null;
  notBefore: number | null;
}

/** The findings about a JWS at `nowS` (seconds since 1970): algorithm, signature, self-named keys, then times. */
export function jwsFindings(facts: JwsFacts, nowS: number): Finding[] {
  const { header, alg, signatureBytes, expiresAt, issuedAt, notBefore } = facts;
  const findings: Finding[] = [];
  if (alg === null)
    findings.push({ severity: 'danger', message: 'The header has no "alg": no verifier can check this token.' });
  else if (alg.toLowerCase() === 'none') {
    findings.push({
      severity: 'danger',
      message: 'alg is "none": the token is unsigned, so anyone can forge it. Never accept it.',
    });
  } else if (alg.startsWith('HS')) {
    findings.push({
      severity: 'warning',
      message: `${alg} is a shared-secret algorithm: anyone who can verify the token can also forge one. Salesforce and OIDC providers sign with RS256.`,
    });
  } else if (!USUAL_ALGS.has(alg)) {
    findings.push({ severity: 'warning', message: `Unusual algorithm "${alg}": check that the receiver expects it.` });
  }
  if (alg !== null && alg.toLowerCase() !== 'none' && signatureBytes === 0) {
    findings.push({
      severity: 'danger',
      message: 'The signature part is empty: the token claims to be signed but is not.',
    });
  }
  if (alg !== null && signatureBytes > 0) {
    const expected = Object.hasOwn(SIGNATURE_BYTES, alg) ? SIGNATURE_BYTES[alg] : undefined;
    const rsa = /^(RS|PS)(256|384|512)$/.test(alg);
    if ((expected !== undefined && signatureBytes < expected) || (rsa && !RSA_SIGNATURE_BYTES.has(signatureBytes))) {
      findings.push({
        severity: 'warning',
        message: `The signature is ${signatureBytes} bytes, ${expected !== undefined ? `where ${alg} makes ${expected}` : `where ${alg} makes as many as the key has (256 for a 2048-bit key, as Salesforce uses)`}: the token looks cut off. Copy it again, all of it.`,
      });
    }
  }
  for (const name of ['jku', 'x5u', 'jwk']) {
    if (name in header) {
      findings.push({
        severity: 'warning',
        message: `The header names its own key ("${name}"). A verifier must use the issuer's published keys instead, or anyone can sign.`,
      });
    }
  }
  if (expiresAt === null)
    findings.push({ severity: 'info', message: 'No "exp" claim: this token does not expire by itself.' });
  else if (expiresAt <= nowS) findings.push({ severity: 'warning', message: 'This token has expired.' });
  if (notBefore !== null && notBefore > nowS)
    findings.push({ severity: 'warning', message: 'This token is not valid yet ("nbf" is in the future).' });
  if (issuedAt !== null && issuedAt > nowS + 300)
    findings.push({
      severity: 'warning',
      message: '"iat" is in the future: the issuer’s clock or the token is wrong.',
    });
  return findings;
}
