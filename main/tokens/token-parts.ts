/**
 * The base64url JSON parts of a JWS or JWE (header, payload), each decoded once: base64url to bytes, bytes
 * to text, one scan of the text (nesting, printed size, where each top-level claim is), then `JSON.parse`.
 * Whatever goes wrong is a `token/*` error saying what is wrong with which part, and a part that stops
 * early says the token looks cut off.
 */
import { base64url } from 'jose';
import { AppError } from '../errors';
import { scanJson, type JsonShape } from './json-shape';
import { MAX_JSON_DEPTH } from './limits';

/** The parts of a JWS by index, for messages. */
export const PART_NAMES = ['header', 'payload', 'signature'] as const;
/** Strict, as jose decodes a part's bytes: a byte sequence that is not UTF-8 is refused, not replaced. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
/** Plain base64url with no padding: the form RFC 7515 §2 prescribes, decoded natively (see decodeBase64url). */
const PLAIN_BASE64URL = /^[A-Za-z0-9_-]*$/;
/** What a user does about a token that stops early. */
export const COPY_AGAIN = 'Copy it again, all of it.';
const CUT_OFF = 'the token looks cut off';

/** True for the error of a part that stops early: the token was cut, not wrongly made. */
export function isCutOff(e: unknown): boolean {
  return e instanceof AppError && e.message.includes(CUT_OFF);
}

/** A claim's characters in its part's base64url text (end exclusive), widened to whole 4-character groups. */
export interface Span {
  start: number;
  end: number;
}

export interface DecodedPart {
  value: Record<string, unknown>;
  shape: JsonShape;
  /** Each top-level claim's span, or null when the part is not plain base64url (padding, whitespace). */
  spans: Map<string, Span> | null;
}

/** Decodes a header or payload, or throws the `token/*` error that says what is wrong with it. */
export function decodePart(part: string, index: 0 | 1): DecodedPart {
  const name = `The ${PART_NAMES[index]} (part ${index + 1})`;
  if (part === '') throw new AppError('token/bad_json', `${name} is empty.`);
  const plain = PLAIN_BASE64URL.test(part);
  const bytes = decodeBase64url(part, index, plain);
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch (cause) {
    throw endsMidCharacter(bytes)
      ? new AppError('token/bad_json', `${name} stops in the middle of a character: ${CUT_OFF}. ${COPY_AGAIN}`, {
          cause,
        })
      : new AppError('token/bad_json', `${name} decodes, but not to JSON text. Is this really a JWT?`, { cause });
  }
  const shape = scanJson(text, MAX_JSON_DEPTH);
  if (shape.tooDeep) {
    throw new AppError(
      'token/bad_json',
      `${name} is JSON nested too deeply: more than ${MAX_JSON_DEPTH} levels of arrays or objects, which no real token has. Check that this is the token you meant.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw shape.unclosed && /^\s*[{["]/.test(text)
      ? new AppError('token/bad_json', `${name} stops before its JSON does: ${CUT_OFF}. ${COPY_AGAIN}`, {
          cause,
        })
      : new AppError('token/bad_json', `${name} decodes, but not to JSON text. Is this really a JWT?`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new AppError('token/not_an_object', `${name} is JSON, but ${what} instead of an object.`);
  }
  // TextDecoder drops a byte order mark; the scan's byte offsets start after it.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return { value: value as Record<string, unknown>, shape, spans: plain ? spansOf(shape, part.length, bom) : null };
}

/**
 * A part's bytes. Plain base64url goes through the native decoder (jose's decodes with a loop that is slow
 * until it is compiled); anything else (padding, whitespace, stray characters) through jose, which
 * accepts what it always accepted and refuses the rest.
 */
function decodeBase64url(part: string, index: number, plain: boolean): Uint8Array {
  if (plain) {
    if (part.length % 4 === 1) throw cutOffBase64(index);
    return Buffer.from(part, 'base64url');
  }
  try {
    return base64url.decode(part);
  } catch (cause) {
    throw badBase64(index, cause);
  }
}

/** True when the bytes are UTF-8 but for a character cut short at their very end. */
function endsMidCharacter(bytes: Uint8Array): boolean {
  for (let cut = 1; cut <= 3 && cut < bytes.length; cut++) {
    const last = bytes[bytes.length - cut]!;
    if (last < 0x80) return false;
    if (last >= 0xc0) {
      try {
        STRICT_UTF8.decode(bytes.subarray(0, bytes.length - cut));
        return true;
      } catch {
        return false;
      }
    }
  }
  return false;
}

/**
 * Where each top-level claim of the scanned JSON is in the base64url text: byte b is encoded in characters
 * floor(b / 3) × 4 to that + 4, so a claim's bytes widen to whole groups of four characters.
 */
function spansOf(shape: JsonShape, partLength: number, bom: number): Map<string, Span> {
  const spans = new Map<string, Span>();
  for (const member of shape.members) {
    let claim = member.rawName;
    if (claim.includes('\\')) {
      try {
        claim = JSON.parse(`"${claim}"`) as string;
      } catch {
        continue;
      }
    }
    // A repeated name: JSON.parse keeps the last value, so the last span is the one shown.
    spans.set(claim, {
      start: Math.floor((member.start + bom) / 3) * 4,
      end: Math.min(partLength, Math.ceil((member.end + bom) / 3) * 4),
    });
  }
  return spans;
}

/** A base64url part of `length % 4 === 1`: no encoding ends so, one that was cut does. */
export function cutOffBase64(index: number): AppError {
  return new AppError(
    'token/bad_base64url',
    `The ${PART_NAMES[index] ?? 'part'} (part ${index + 1}) stops one character into a group of four, which base64url never does: ${CUT_OFF}. ${COPY_AGAIN}`,
  );
}

export function badBase64(index: number, cause: unknown): AppError {
  return new AppError(
    'token/bad_base64url',
    `The ${PART_NAMES[index] ?? 'part'} (part ${index + 1}) is not valid base64url: only A–Z, a–z, 0–9, "-" and "_" may appear. Check that nothing was added or cut when copying.`,
    { cause },
  );
}
