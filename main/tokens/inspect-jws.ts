/**
 * A signed JWT (RFC 7515/7519) decoded with jose: its header and payload as claim tables and JSON, its
 * times, what kind of token it looks like, and the findings about it. Nothing is verified here.
 */
import { base64url, decodeJwt } from 'jose';
import type { JwsInspection } from '../../preload/contract';
import { HEADER_GLOSSARY, PAYLOAD_GLOSSARY } from './claim-glossary';
import { epochOf, viewOf } from './claim-rows';
import { jwsFindings } from './jws-findings';
import { badBase64, checkShape, decodeHeader, diagnose } from './token-parts';

/** A token with three parts separated by dots, at `nowMs`; every malformed part is its own `token/*` error. */
export function inspectJws(token: string, nowMs: number): JwsInspection {
  const [h = '', p = '', s = ''] = token.split('.');
  const headerShape = checkShape(h, 0);
  const header = decodeHeader(token, h);
  const payloadShape = checkShape(p, 1);
  let payload: Record<string, unknown>;
  try {
    payload = decodeJwt(token);
  } catch (cause) {
    throw diagnose(p, 1, cause);
  }
  let signatureBytes = 0;
  if (s !== '') {
    try {
      signatureBytes = base64url.decode(s).length;
    } catch (cause) {
      throw badBase64(2, cause);
    }
  }

  const alg = typeof header['alg'] === 'string' ? header['alg'] : null;
  const expiresAt = epochOf(payload['exp']);
  const issuedAt = epochOf(payload['iat']);
  const notBefore = epochOf(payload['nbf']);
  const headerView = viewOf(header, HEADER_GLOSSARY, headerShape, 0);
  const payloadView = viewOf(payload, PAYLOAD_GLOSSARY, payloadShape, 1);
  const findings = jwsFindings({ header, alg, signatureBytes, expiresAt, issuedAt, notBefore }, nowMs / 1000);

  return {
    kind: 'jws',
    parts: { header: h, payload: p, signature: s },
    header: headerView.rows,
    headerJson: headerView.json,
    payload: payloadView.rows,
    payloadJson: payloadView.json,
    alg,
    expiresAt,
    issuedAt,
    notBefore,
    label: labelOf(header, payload),
    findings: [...findings, ...headerView.findings, ...payloadView.findings],
    signatureBytes,
  };
}

function labelOf(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  if (header['tty'] === 'sfdc-core-token' || ('scp' in payload && 'client_id' in payload))
    return 'Salesforce JWT access token';
  if (header['typ'] === 'at+jwt' || header['typ'] === 'application/at+jwt') return 'JWT access token (RFC 9068)';
  const looksLikeIdToken =
    'nonce' in payload ||
    'at_hash' in payload ||
    ('iss' in payload && 'sub' in payload && 'aud' in payload && !('scope' in payload) && !('scp' in payload));
  if (looksLikeIdToken) return 'OpenID Connect ID token';
  if (header['alg'] === 'none') return 'Unsigned JWT';
  return 'JWT';
}
