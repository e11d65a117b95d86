import type { SalesforceOpaqueInspection, TokenInspection } from '../../preload/contract';
import { MAX_TOKEN_CHARS } from '../../preload/contract';
import { AppError } from '../errors';
import { inspectJwe } from './inspect-jwe';
import { inspectJws } from './inspect-jws';
import { isOrgId, to15, to18 } from './org-id';

const OPAQUE = /^(00D[a-zA-Z0-9]{12}(?:[a-zA-Z0-5]{3})?)!([A-Za-z0-9._\-+/=]{8,})$/;

/**
 * A plausible opaque token of another server (RFC 6749 §1.4 leaves an access token's format to its server):
 * printable ASCII with no whitespace (RFC 6750 §2.1's b64token and the other visible characters servers use),
 * long enough to hold the 128 bits RFC 6749 §10.10 asks of a token, short enough to be one token, and not a
 * JWT that lost parts (a first part starting `eyJ`, the base64url of `{"`), nor Salesforce's `00D…!…` with a
 * broken org ID, nor dots run together. Tokens with 3 or 5 parts never get here: they are read as JWS or JWE.
 */
const PLAUSIBLY_OPAQUE = /^[\x21-\x7e]{20,4096}$/;

function isPlausiblyOpaque(token: string): boolean {
  return (
    PLAUSIBLY_OPAQUE.test(token) &&
    !token.startsWith('eyJ') &&
    !/^00D[A-Za-z0-9]*!/.test(token) &&
    !token.includes('..') &&
    !token.startsWith('.') &&
    !token.endsWith('.')
  );
}

/**
 * Recognizes and decodes a token a user pasted: a JWS (RFC 7515/7519), a JWE (RFC 7516) or a Salesforce
 * opaque access token (`00D…!…`). Decoding uses jose; nothing is verified here (see verify-token.ts).
 * Every malformed input gets its own `token/*` error saying which part is wrong.
 */
export function inspectToken(raw: string, nowMs: number = Date.now()): TokenInspection {
  if (raw.length > MAX_TOKEN_CHARS) {
    throw new AppError(
      'token/too_large',
      `This is ${raw.length.toLocaleString('en')} characters; tokens over ${MAX_TOKEN_CHARS.toLocaleString('en')} are not decoded. Check that you pasted only the token.`,
    );
  }
  const token = raw
    .trim()
    .replace(/^bearer(\s+|$)/i, '')
    .replace(/^(["'])(.*)\1$/s, '$2')
    .trim();
  if (token === '')
    throw new AppError('token/empty', 'Paste a token first: a JWT (eyJ…) or a Salesforce access token (00D…!…).');

  const opaque = OPAQUE.exec(token);
  if (opaque?.[1] && opaque[2] && isOrgId(opaque[1])) return inspectOpaque(opaque[1], opaque[2]);

  const segments = countSegments(token);
  if (segments === 3) return inspectJws(token, nowMs);
  if (segments === 5) return inspectJwe(token);
  if (isPlausiblyOpaque(token)) {
    return {
      kind: 'opaque',
      length: token.length,
      label: 'Opaque token (not a JWT)',
      findings: [
        {
          severity: 'info',
          message:
            'A reference the server that issued it resolves, with no readable claims to decode here. Only that server knows its expiry, scopes and user: introspect it there (RFC 7662; Introspect on a stored token does).',
        },
      ],
    };
  }
  if (segments === 1) {
    throw new AppError(
      'token/unsupported',
      'This is neither a JWT (three parts separated by dots) nor a Salesforce access token (00D…!…). Check that you copied the whole token.',
    );
  }
  throw new AppError(
    'token/bad_segment_count',
    `Found ${segments} parts separated by dots; a signed JWT has 3 and an encrypted JWT (JWE) has 5. Check that the token was not cut or joined with another.`,
  );
}

/** `token.split('.').length`, without building the parts. */
function countSegments(token: string): number {
  let count = 1;
  for (let i = token.indexOf('.'); i !== -1; i = token.indexOf('.', i + 1)) count++;
  return count;
}

function inspectOpaque(orgId: string, secret: string): SalesforceOpaqueInspection {
  const orgId15 = to15(orgId);
  return {
    kind: 'salesforce-opaque',
    orgId15,
    orgId18: to18(orgId15),
    secretLength: secret.length,
    label: 'Salesforce access token (opaque)',
    findings: [
      {
        severity: 'info',
        message:
          'Opaque tokens carry no readable claims. Only the org ID is visible; its expiry and scopes can be learned by introspecting it at the org.',
      },
    ],
  };
}
