/**
 * A malformed header, payload or signature gets its own `token/*` error naming the part and what is
 * wrong with it: not base64url, not JSON, JSON but not an object, empty.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { inspectToken } from '../../main/tokens/inspect-token';
import { badBase64, decodePart } from '../../main/tokens/token-parts';
import type { ErrorCode } from '../../preload/contract';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('token parts: malformed input', () => {
  const header = b64({ alg: 'RS256' });
  const cases: [string, string, ErrorCode, RegExp?][] = [
    ['bad base64url payload', `${header}.@@@.c2ln`, 'token/bad_base64url', /payload \(part 2\)/],
    ['bad base64url header', `@@@.${b64({})}.c2ln`, 'token/bad_base64url', /header \(part 1\)/],
    ['bad base64url signature', `${header}.${b64({ a: 1 })}.@@@`, 'token/bad_base64url', /signature \(part 3\)/],
    [
      'payload not JSON',
      `${header}.${b64('not json')}.c2ln`,
      'token/bad_json',
      /payload \(part 2\) decodes, but not to JSON/,
    ],
    ['header not JSON', `${b64('{"alg":')}.${b64({})}.c2ln`, 'token/bad_json', /header/],
    ['payload an array', `${header}.${b64([1, 2])}.c2ln`, 'token/not_an_object', /an array/],
    ['header a number', `${b64(42)}.${b64({})}.c2ln`, 'token/not_an_object', /a number/],
    ['empty payload', `${header}..c2ln`, 'token/bad_json', /empty/],
  ];
  it.each(cases)('%s', (_name, input, code, message) => {
    let error: unknown;
    try {
      inspectToken(input, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    if (message) expect((error as AppError).message).toMatch(message);
  });
});

/** What `decodePart` throws for `part`, or 'no error'. */
function errorOf(part: string, index: 0 | 1): unknown {
  try {
    decodePart(part, index);
    return 'no error';
  } catch (e) {
    return e;
  }
}

describe('decodePart: what is wrong with a part', () => {
  it('names the part and what is wrong with it', () => {
    expect(errorOf('', 0)).toMatchObject({ code: 'token/bad_json', message: 'The header (part 1) is empty.' });
    expect(errorOf('@@@', 1)).toMatchObject({ code: 'token/bad_base64url', message: /payload \(part 2\)/ });
    expect(errorOf(b64('null'), 1)).toMatchObject({ code: 'token/not_an_object', message: /but null/ });
    expect(errorOf(b64('"x"'), 0)).toMatchObject({ code: 'token/not_an_object', message: /a string/ });
    expect(decodePart(b64({ a: 1 }), 1).value).toEqual({ a: 1 });
    expect(badBase64(2, new Error('jose'))).toMatchObject({
      code: 'token/bad_base64url',
      message: /signature \(part 3\)/,
    });
  });

  it('measures a part that decodes to text, and refuses one that nests too deeply or is not text', () => {
    expect(errorOf(Buffer.from([0xff, 0xfe]).toString('base64url'), 1)).toMatchObject({
      code: 'token/bad_json',
      message: /decodes, but not to JSON text/,
    });
    expect(decodePart(b64({ a: [1] }), 1).shape).toMatchObject({ tooDeep: false });
    expect(errorOf(b64('['.repeat(100)), 0)).toMatchObject({ code: 'token/bad_json', message: /nested too deeply/ });
  });
});
