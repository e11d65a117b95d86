/**
 * An encrypted JWT (RFC 7516) decoded: only its protected header can be read; the other four
 * parts are checked to be base64url.
 */
import { base64url } from 'jose';
import type { Finding, JweInspection } from '../../preload/contract';
import { AppError } from '../errors';
import { HEADER_GLOSSARY } from './claim-glossary';
import { viewOf } from './claim-rows';
import { decodePart } from './token-parts';

/** A token with five parts separated by dots; every malformed part is its own `token/*` error. */
export function inspectJwe(token: string): JweInspection {
  const [h = '', encryptedKey = '', iv = '', ciphertext = '', tag = ''] = token.split('.');
  const { value: header, shape, spans } = decodePart(h, 0);
  const names = ['encrypted key', 'initialization vector', 'ciphertext', 'authentication tag'];
  [encryptedKey, iv, ciphertext, tag].forEach((part, i) => {
    try {
      base64url.decode(part);
    } catch (cause) {
      throw new AppError(
        'token/bad_base64url',
        `The ${names[i]} (part ${i + 2} of 5) is not valid base64url. Check that the token was copied completely.`,
        { cause },
      );
    }
  });
  const alg = typeof header['alg'] === 'string' ? header['alg'] : null;
  const enc = typeof header['enc'] === 'string' ? header['enc'] : null;
  const findings: Finding[] = [
    {
      severity: 'info',
      message:
        'The payload is encrypted: it cannot be read without the recipient’s private key. Only the protected header is shown.',
    },
  ];
  if (enc === null)
    findings.push({ severity: 'warning', message: 'The header has no "enc": this is not a valid JWE.' });
  if (alg === 'RSA1_5')
    findings.push({ severity: 'warning', message: 'RSA1_5 key encryption is deprecated (padding-oracle attacks).' });
  const headerView = viewOf(header, HEADER_GLOSSARY, shape, 0, spans);
  return {
    kind: 'jwe',
    parts: { header: h, encryptedKey, iv, ciphertext, tag },
    header: headerView.rows,
    headerJson: headerView.json,
    alg,
    enc,
    label: 'Encrypted JWT (JWE)',
    findings: [...findings, ...headerView.findings],
  };
}
