/**
 * A signed JWT (RFC 7515/7519) decoded: its header and payload as claim tables and JSON (each claim linked
 * to its characters in the encoded part), its times, what kind of token it looks like, where its keys are,
 * and the findings about it. Nothing is verified here (see verify-token.ts).
 */
import { base64url } from 'jose';
import type { JwsInspection } from '../../preload/contract';
import { HEADER_GLOSSARY, PAYLOAD_GLOSSARY } from './claim-glossary';
import { addSettingNotes, ASSET_TOKEN_LABEL, ID_TOKEN_LABEL } from './claim-notes';
import { epochOf, viewOf } from './claim-rows';
import { jwsFindings } from './jws-findings';
import { keySourceOf } from './key-source';
import { badBase64, cutOffBase64, decodePart } from './token-parts';

/** A token with three parts separated by dots, at `nowMs`; every malformed part is its own `token/*` error. */
export function inspectJws(token: string, nowMs: number): JwsInspection {
  const [h = '', p = '', s = ''] = token.split('.');
  const header = decodePart(h, 0);
  const payload = decodePart(p, 1);
  const signatureBytes = signatureLength(s);
  const claims = payload.value;

  const alg = typeof header.value['alg'] === 'string' ? header.value['alg'] : null;
  const expiresAt = epochOf(claims['exp']);
  const issuedAt = epochOf(claims['iat']);
  const notBefore = epochOf(claims['nbf']);
  const headerView = viewOf(header.value, HEADER_GLOSSARY, header.shape, 0, header.spans);
  const payloadView = viewOf(claims, PAYLOAD_GLOSSARY, payload.shape, 1, payload.spans);
  const findings = jwsFindings(
    { header: header.value, alg, signatureBytes, expiresAt, issuedAt, notBefore },
    nowMs / 1000,
  );
  const label = labelOf(header.value, claims);
  addSettingNotes(label, claims, payloadView.rows);
  if (label === GUEST_LABEL) {
    findings.push({
      severity: 'info',
      message:
        'A guest token: "uvid" is the unique visitor ID Salesforce minted for a visitor who has not logged in (a headless guest flow). Passed to a login or registration flow, it carries the visitor’s context into a named-user session.',
    });
  }

  return {
    kind: 'jws',
    parts: { header: h, payload: p, signature: s },
    keySource: keySourceOf(claims['iss']),
    header: headerView.rows,
    headerJson: headerView.json,
    payload: payloadView.rows,
    payloadJson: payloadView.json,
    alg,
    expiresAt,
    issuedAt,
    notBefore,
    label,
    findings: [...findings, ...headerView.findings, ...payloadView.findings],
    signatureBytes,
  };
}

/** The signature's length in bytes, without decoding it when it is plain base64url. */
function signatureLength(s: string): number {
  if (s === '') return 0;
  if (/^[A-Za-z0-9_-]+$/.test(s)) {
    if (s.length % 4 === 1) throw cutOffBase64(2);
    return Math.floor((s.length * 3) / 4);
  }
  try {
    return base64url.decode(s).length;
  } catch (cause) {
    throw badBase64(2, cause);
  }
}

const GUEST_LABEL = 'Salesforce JWT access token (guest)';

function labelOf(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  if (header['tty'] === 'sfdc-core-token' || ('scp' in payload && 'client_id' in payload))
    return 'uvid' in payload ? GUEST_LABEL : 'Salesforce JWT access token';
  if (header['typ'] === 'at+jwt' || header['typ'] === 'application/at+jwt') return 'JWT access token (RFC 9068)';
  // Salesforce's asset token flow: the device's ID and the asset token's name, from the actor token.
  if (typeof payload['did'] === 'string' && 'Name' in payload) return ASSET_TOKEN_LABEL;
  const looksLikeIdToken =
    'nonce' in payload ||
    'at_hash' in payload ||
    ('iss' in payload && 'sub' in payload && 'aud' in payload && !('scope' in payload) && !('scp' in payload));
  if (looksLikeIdToken) return ID_TOKEN_LABEL;
  if (header['alg'] === 'none') return 'Unsigned JWT';
  return 'JWT';
}
