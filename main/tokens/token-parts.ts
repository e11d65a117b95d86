/**
 * The base64url JSON parts of a JWS or JWE (header, payload): refused before parsing when nested too
 * deeply, decoded with jose, and, when jose refuses one, a `token/*` error saying exactly what is wrong
 * with which part.
 */
import { base64url, decodeProtectedHeader } from 'jose';
import { AppError } from '../errors';
import { scanJson, type JsonShape } from './json-shape';
import { MAX_JSON_DEPTH } from './limits';

/** The parts of a JWS by index, for messages. */
export const PART_NAMES = ['header', 'payload', 'signature'] as const;
/** What jose decodes a part's bytes with. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Refuses a part whose JSON nests deeper than {@link MAX_JSON_DEPTH}, before jose parses it, and says how
 * long it would print. null when the part does not even decode to text: jose refuses it and
 * {@link diagnose} says why.
 */
export function checkShape(part: string, index: 0 | 1): JsonShape | null {
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

/** The protected header of a JWS or JWE, or the `token/*` error saying what is wrong with it. */
export function decodeHeader(token: string, part: string): Record<string, unknown> {
  try {
    return decodeProtectedHeader(token);
  } catch (cause) {
    throw diagnose(part, 0, cause);
  }
}

/** Finds out exactly what is wrong with a part jose refused. */
export function diagnose(part: string, index: 0 | 1, cause: unknown): AppError {
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

export function badBase64(index: number, cause: unknown): AppError {
  return new AppError(
    'token/bad_base64url',
    `The ${PART_NAMES[index] ?? 'part'} (part ${index + 1}) is not valid base64url: only A–Z, a–z, 0–9, "-" and "_" may appear. Check that nothing was added or cut when copying.`,
    { cause },
  );
}
