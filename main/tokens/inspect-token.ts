import { base64url, decodeJwt, decodeProtectedHeader } from 'jose';
import type {
  ClaimRow,
  Finding,
  JweInspection,
  JwsInspection,
  SalesforceOpaqueInspection,
  TokenInspection,
} from '../../preload/contract';
import { AppError } from '../errors';
import { HEADER_GLOSSARY, PAYLOAD_GLOSSARY, type ClaimInfo } from './claim-glossary';
import { jsonPrefix, scanJson, type JsonShape } from './json-shape';
import { isOrgId, to15, to18 } from './org-id';

/** Larger input is refused before any decoding. */
export const MAX_TOKEN_CHARS = 1_000_000;
/**
 * A header or payload nested deeper than this is refused (`token/bad_json`) before it is parsed: real
 * claims nest a few levels, and printing deeper JSON recurses once per level until the stack runs out.
 */
export const MAX_JSON_DEPTH = 64;
/** JSON that would print longer than this with indentation is shown compact (indentation grows with depth). */
export const MAX_PRETTY_JSON_CHARS = 1_000_000;
/** The claim table shows at most this many rows; the raw JSON keeps every claim. */
export const MAX_CLAIM_ROWS = 500;
/** A claim shown in the table is cut after this many characters; the raw JSON keeps all of it. */
const MAX_DISPLAY_CHARS = 2_000;
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
const OPAQUE = /^(00D[a-zA-Z0-9]{12}(?:[a-zA-Z0-5]{3})?)!([A-Za-z0-9._\-+/=]{8,})$/;
const PART_NAMES = ['header', 'payload', 'signature'] as const;
/** What jose decodes a part's bytes with. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

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

function inspectJws(token: string, nowMs: number): JwsInspection {
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
  const nowS = nowMs / 1000;
  const findings: Finding[] = [];
  const headerView = viewOf(header, HEADER_GLOSSARY, headerShape, 0);
  const payloadView = viewOf(payload, PAYLOAD_GLOSSARY, payloadShape, 1);

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

function inspectJwe(token: string): JweInspection {
  const [h = '', encryptedKey = '', iv = '', ciphertext = '', tag = ''] = token.split('.');
  const headerShape = checkShape(h, 0);
  const header = decodeHeader(token, h);
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
  const headerView = viewOf(header, HEADER_GLOSSARY, headerShape, 0);
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

/**
 * Refuses a part whose JSON nests deeper than {@link MAX_JSON_DEPTH}, before jose parses it, and says how
 * long it would print. null when the part does not even decode to text: jose refuses it and
 * {@link diagnose} says why.
 */
function checkShape(part: string, index: 0 | 1): JsonShape | null {
  if (part === '') return null;
  let text: string;
  try {
    text = STRICT_UTF8.decode(base64url.decode(part));
  } catch {
    return null;
  }
  const shape = scanJson(text, MAX_JSON_DEPTH);
  if (shape.tooDeep) {
    throw new AppError(
      'token/bad_json',
      `The ${PART_NAMES[index]} (part ${index + 1}) is JSON nested too deeply: more than ${MAX_JSON_DEPTH} levels of arrays or objects, which no real token has. Check that this is the token you meant.`,
    );
  }
  return shape;
}

interface PartView {
  rows: ClaimRow[];
  json: string;
  findings: Finding[];
}

/**
 * The claim table and raw JSON of a decoded part: indented JSON unless that would be huge (then compact, the
 * table's cells too), and at most {@link MAX_CLAIM_ROWS} rows, each cell cut short, so that the work stays
 * proportional to the token's length.
 */
function viewOf(
  obj: Record<string, unknown>,
  glossary: Readonly<Record<string, ClaimInfo>>,
  shape: JsonShape | null,
  index: 0 | 1,
): PartView {
  const name = PART_NAMES[index];
  const findings: Finding[] = [];
  const pretty = shape === null || shape.prettyChars <= MAX_PRETTY_JSON_CHARS;
  if (!pretty) {
    findings.push({
      severity: 'info',
      message: `The ${name} JSON is shown without indentation: indented, it would be over ${MAX_PRETTY_JSON_CHARS.toLocaleString('en')} characters long.`,
    });
  }
  const names = Object.keys(obj);
  if (names.length > MAX_CLAIM_ROWS) {
    findings.push({
      severity: 'info',
      message: `The ${name} has ${names.length.toLocaleString('en')} claims; the table shows the first ${MAX_CLAIM_ROWS.toLocaleString('en')}, the ${name} JSON has them all.`,
    });
  }
  const rows = names
    .slice(0, MAX_CLAIM_ROWS)
    .map((claim) => rowOf(claim, obj[claim], Object.hasOwn(glossary, claim) ? glossary[claim] : undefined, pretty));
  return { rows, json: pretty ? JSON.stringify(obj, null, 2) : JSON.stringify(obj), findings };
}

function decodeHeader(token: string, part: string): Record<string, unknown> {
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch (cause) {
    throw diagnose(part, 0, cause);
  }
}

/** Finds out exactly what is wrong with a part jose refused. */
function diagnose(part: string, index: 0 | 1, cause: unknown): AppError {
  const name = `The ${PART_NAMES[index]} (part ${index + 1})`;
  if (part === '') return new AppError('token/bad_json', `${name} is empty.`, { cause });
  let bytes: Uint8Array;
  try {
    bytes = base64url.decode(part);
  } catch (e) {
    return badBase64(index, e);
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    return new AppError('token/bad_json', `${name} decodes, but not to JSON text. Is this really a JWT?`, { cause: e });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return new AppError('token/not_an_object', `${name} is JSON, but ${what} instead of an object.`, { cause });
  }
  return new AppError('token/bad_json', `${name} could not be decoded.`, { cause });
}

function badBase64(index: number, cause: unknown): AppError {
  return new AppError(
    'token/bad_base64url',
    `The ${PART_NAMES[index] ?? 'part'} (part ${index + 1}) is not valid base64url: only A–Z, a–z, 0–9, "-" and "_" may appear. Check that nothing was added or cut when copying.`,
    { cause },
  );
}

function rowOf(name: string, value: unknown, info: ClaimInfo | undefined, pretty: boolean): ClaimRow {
  const row: ClaimRow = {
    name,
    meaning: info?.meaning ?? null,
    source: info?.source ?? null,
    kind: kindOf(value),
    display: displayOf(value, pretty),
  };
  if (info?.time) {
    const epoch = epochOf(value);
    if (epoch !== null) {
      row.kind = 'time';
      row.epochSeconds = epoch;
    }
    if (typeof value !== 'number') {
      row.warning =
        epoch !== null
          ? `Sent as a ${typeof value}; RFC 7519 requires a number. Some libraries will reject it.`
          : 'Not a time in seconds since 1970, as RFC 7519 requires.';
    }
  }
  if (info?.scopes) {
    const scopes = Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string')
      : typeof value === 'string'
        ? value.split(' ').filter(Boolean)
        : null;
    if (scopes) {
      row.kind = 'scopes';
      row.scopes = scopes;
    }
  }
  return row;
}

function kindOf(value: unknown): ClaimRow['kind'] {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object';
}

function displayOf(value: unknown, pretty: boolean): string {
  if (typeof value === 'string') {
    return value.length > MAX_DISPLAY_CHARS
      ? `${value.slice(0, MAX_DISPLAY_CHARS)}… (${(value.length - MAX_DISPLAY_CHARS).toLocaleString('en')} more characters)`
      : value;
  }
  // Only the start is printed: a huge claim costs no more than a small one here.
  const { text, cut } = jsonPrefix(value, pretty, MAX_DISPLAY_CHARS);
  return cut
    ? `${text}… (cut at ${MAX_DISPLAY_CHARS.toLocaleString('en')} characters; the JSON view shows all of it)`
    : text;
}

/** Epoch seconds of a time claim: a finite number, or a numeric string (flagged by the row). */
function epochOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d{1,12}(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
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
