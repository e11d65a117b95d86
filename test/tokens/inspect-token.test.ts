/**
 * Recognizing what was pasted: a Salesforce opaque access token (only its org ID shown), a JWS or JWE by
 * its number of parts, `Bearer` and quotes around it removed; input that is none of these, or too large,
 * gets its own coded error, and random input never anything but a coded error.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { inspectToken } from '../../main/tokens/inspect-token';
import { isOrgId, to18 } from '../../main/tokens/org-id';
import type { ErrorCode } from '../../preload/contract';
import { OPAQUE_TOKEN } from '../support/tokens';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

function codeOf(fn: () => unknown): ErrorCode | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

describe('inspectToken: other kinds', () => {
  it('recognizes a Salesforce opaque access token and gives the org ID in both forms', () => {
    const r = inspectToken(OPAQUE_TOKEN, NOW);
    expect(r).toMatchObject({
      kind: 'salesforce-opaque',
      orgId15: '00D5g000004XYZA',
      orgId18: to18('00D5g000004XYZA'),
    });
    expect(JSON.stringify(r)).not.toContain(OPAQUE_TOKEN.split('!')[1]);
  });

  it('tells a JWS from a JWE by its parts, with Bearer and quotes removed', () => {
    const header = b64({ alg: 'RS256' });
    expect(inspectToken(`Bearer "${header}.${b64({ sub: 'u' })}.${b64('s')}"`, NOW).kind).toBe('jws');
    expect(inspectToken(`'${b64({ alg: 'dir', enc: 'A128GCM' })}..aXY.Y3Q.dGFn'`, NOW).kind).toBe('jwe');
  });
});

describe('inspectToken: malformed input', () => {
  const cases: [string, string, ErrorCode, RegExp?][] = [
    ['empty', '   ', 'token/empty'],
    ['only Bearer', 'Bearer ', 'token/empty'],
    ['no dots', 'hello', 'token/unsupported'],
    ['two parts', 'a.b', 'token/bad_segment_count', /Found 2 parts/],
    ['four parts', 'a.b.c.d', 'token/bad_segment_count'],
    ['too large', 'a'.repeat(1_000_001), 'token/too_large'],
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

  it('never throws anything but a coded error on random input', () => {
    const alphabet = 'abcXYZ019-_.!~+/= \u00e9\u{1F680}\u0000';
    for (let i = 0; i < 3000; i++) {
      const bytes = randomBytes(1 + (i % 64));
      const input =
        i % 3 === 0
          ? bytes.toString('latin1')
          : i % 3 === 1
            ? [...bytes].map((b) => alphabet[b % alphabet.length]).join('')
            : `${bytes.subarray(0, 8).toString('base64url')}.${bytes.subarray(8).toString('base64url')}.${b64('s')}`;
      const code = codeOf(() => inspectToken(input, NOW));
      expect(typeof code).toBe('string');
    }
  });
});

describe('org IDs', () => {
  it('converts 15-character IDs to the 18-character form', () => {
    expect(to18('00D000000000062')).toBe('00D000000000062EAA');
    expect(to18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(to18('00D000000000062EAA')).toBe('00D000000000062EAA');
    expect(() => to18('short')).toThrow(RangeError);
    expect(isOrgId('00D000000000062')).toBe(true);
    expect(isOrgId('001A0000006Vm9r')).toBe(false);
  });
});
