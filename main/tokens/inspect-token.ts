import type { SalesforceOpaqueInspection, SalesforceRefreshInspection, TokenInspection } from '../../preload/contract';
import { MAX_TOKEN_CHARS } from '../../preload/contract';
import { AppError } from '../errors';
import { inspectJwe } from './inspect-jwe';
import { inspectJws } from './inspect-jws';
import { groupDigits } from './limits';
import { isOrgId, to15, to18 } from './org-id';
import { COPY_AGAIN, decodePart, isCutOff } from './token-parts';

/**
 * A Salesforce refresh token: opaque, starting `5Aep8` (the Salesforce CLI and every org seen mint them so),
 * then base64-like characters and dots. Dots mean it is tested before a token is split into parts.
 */
const REFRESH = /^5Aep8[0-9A-Za-z._=+/-]{15,4096}$/;

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
 * A token as the user pasted it, made bare: surrounding whitespace, a leading `Bearer ` (any case, as
 * copied from an Authorization header) and matching quotes around it (as copied from JSON or a shell) go.
 */
export function normalizePastedToken(raw: string): string {
  return raw
    .trim()
    .replace(/^bearer(\s+|$)/i, '')
    .replace(/^(["'])(.*)\1$/s, '$2')
    .trim();
}

/**
 * Recognizes and decodes a token a user pasted: a JWS (RFC 7515/7519), a JWE (RFC 7516), a Salesforce
 * opaque access token (`00D…!…`) or refresh token (`5Aep8…`), or another server's opaque token. Nothing is
 * verified here (see verify-token.ts). Every malformed input gets its own `token/*` error saying which
 * part is wrong, and a JWT that lost its end says it looks cut off.
 */
export function inspectToken(raw: string, nowMs: number = Date.now()): TokenInspection {
  if (raw.length > MAX_TOKEN_CHARS) {
    throw new AppError(
      'token/too_large',
      `This is ${groupDigits(raw.length)} characters; tokens over ${groupDigits(MAX_TOKEN_CHARS)} are not decoded. Check that you pasted only the token.`,
    );
  }
  const token = normalizePastedToken(raw);
  if (token === '')
    throw new AppError('token/empty', 'Paste a token first: a JWT (eyJ…) or a Salesforce access token (00D…!…).');

  const opaque = OPAQUE.exec(token);
  if (opaque?.[1] && opaque[2] && isOrgId(opaque[1])) return inspectOpaque(opaque[1], opaque[2]);
  if (REFRESH.test(token)) return inspectRefresh(token);

  const segments = countSegments(token);
  if (segments === 3) return inspectJws(token, nowMs);
  if (segments === 5) return inspectJwe(token);
  const cut = cutOffJwt(token, segments);
  if (cut) throw cut;
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
      'This is neither a JWT (three parts separated by dots) nor a Salesforce access or refresh token (00D…!…, 5Aep…). Check that you copied the whole token.',
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

/**
 * The error for the start of a JWT that lost its end: a header alone, a header and payload without the
 * signature, or a JWE without its last part. null when the first part is no JOSE header (then the input is
 * not recognisably a JWT, and the caller's error says what it is not).
 */
function cutOffJwt(token: string, segments: number): AppError | null {
  if (segments !== 1 && segments !== 2 && segments !== 4) return null;
  const [h = '', p = ''] = token.split('.', 2);
  if (!h.startsWith('eyJ')) return null;
  let header: Record<string, unknown>;
  try {
    header = decodePart(h, 0).value;
  } catch (e) {
    if (segments === 1 && isCutOff(e))
      return new AppError(
        'token/unsupported',
        `This looks like the start of a JWT, cut off inside its header. ${COPY_AGAIN}`,
      );
    return null;
  }
  if (typeof header['enc'] === 'string') {
    return new AppError(
      'token/bad_segment_count',
      `This is the start of an encrypted JWT (JWE): ${segments} of its 5 parts. The rest is missing — the token looks cut off. ${COPY_AGAIN}`,
    );
  }
  if (typeof header['alg'] !== 'string') return null;
  if (segments === 1) {
    return new AppError(
      'token/unsupported',
      `This is only a JWT's header: its payload and signature are missing — the token looks cut off. ${COPY_AGAIN}`,
    );
  }
  if (segments === 4) return null;
  try {
    decodePart(p, 1);
  } catch (e) {
    if (isCutOff(e))
      return new AppError(
        'token/bad_segment_count',
        `The signature is missing and the payload stops early — the token looks cut off. ${COPY_AGAIN}`,
      );
  }
  return new AppError(
    'token/bad_segment_count',
    `The signature is missing — the token looks cut off after its payload. ${COPY_AGAIN}`,
  );
}

function inspectRefresh(token: string): SalesforceRefreshInspection {
  return {
    kind: 'salesforce-refresh',
    length: token.length,
    label: 'Salesforce refresh token',
    findings: [
      {
        severity: 'info',
        message:
          'Opaque: it carries no readable claims. It is never sent to an API: an app trades it at the org’s token endpoint for new access tokens, for as long as the app’s refresh token policy allows.',
      },
      {
        severity: 'info',
        message:
          'Introspect it at the org that issued it to learn whether it is still active, and revoke it there: revoking a refresh token also revokes every access token issued from it.',
      },
    ],
  };
}

/** How many times {@link warmUpDecoder} decodes its sample: enough for V8 to optimise the scanning loops. */
const WARM_UP_ROUNDS = 6;

/**
 * Decodes a built-in sample token a few times, soon after start, so that the user's first paste is decoded
 * by optimised code: the first runs of the decoder in a process pay for parsing and compiling its functions
 * and run the loops that scan a part unoptimised, ten times what a later decode costs for a large token.
 * The sample has the shape of a Salesforce JWT access token with a large claim, so those loops run long
 * enough to be optimised. Each round is its own task, so IPC answers in between. Resolves when done;
 * never throws.
 */
export function warmUpDecoder(): Promise<void> {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = part({
    alg: 'RS256',
    typ: 'JWT',
    kid: 'warm-up',
    tty: 'sfdc-core-token',
    tnk: 'core/prod/00D000000000062EAA',
    ver: '1.0',
  });
  const sample = `${header}.${part({
    iss: 'https://example.my.salesforce.com',
    sub: 'uid:005000000000001AAA',
    aud: ['https://example.my.salesforce.com'],
    scp: 'api refresh_token',
    client_id: '3MVG9warm.up',
    exp: 2_000_000_000,
    iat: '1700000000',
    updated_at: '2024-05-01T10:00:00Z',
    utcOffset: 3_600_000,
    'na\\u006de': 'Zoë 🚀',
    blob: ['[{"x":1}]', 'y'.repeat(40_000)],
  })}.${'A'.repeat(342)}`;
  // Cut on purpose: the error paths warm up too.
  const cut = `${header}.${part({ a: '日本' }).slice(0, -2)}`;
  return new Promise((resolve) => {
    let round = 0;
    const next = () => {
      try {
        inspectToken(round === 0 ? cut : sample);
      } catch {
        // Only the cut sample throws; nothing here may stop the app.
      }
      if (++round <= WARM_UP_ROUNDS) setTimeout(next, 0);
      else resolve();
    };
    setTimeout(next, 0);
  });
}
