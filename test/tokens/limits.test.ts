/**
 * The decoder's limits on what a pasted token's JSON may cost: nesting deeper than MAX_JSON_DEPTH is a
 * typed `token/bad_json` (it used to overflow the stack in JSON.stringify and reach the user as
 * "internal"), and wide, deep or many-claimed JSON prints in time proportional to the token.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { inspectToken } from '../../main/tokens/inspect-token';
import { MAX_CLAIM_ROWS, MAX_JSON_DEPTH, MAX_PRETTY_JSON_CHARS } from '../../main/tokens/limits';
import type { JwsInspection } from '../../preload/contract';

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const HEADER = b64('{"alg":"RS256","typ":"JWT"}');
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
/** Generous: this catches work that grows with depth or size squared, not a slow machine. */
const PROMPT_MS = 250;

/** `[[[…]]]` inside a claim: `depth` levels in all, counting the payload object itself. */
const nestedArrays = (depth: number) => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
const nestedObjects = (depth: number) => `{"a":${'{"a":'.repeat(depth - 2)}1${'}'.repeat(depth - 2)}}`;

function outcome(token: string): { error: unknown; ms: number; value?: ReturnType<typeof inspectToken> } {
  const t0 = performance.now();
  try {
    const value = inspectToken(token, NOW);
    return { error: null, ms: performance.now() - t0, value };
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
}

function jws(token: string): JwsInspection {
  const r = inspectToken(token, NOW);
  if (r.kind !== 'jws') throw new Error(`expected a JWS, got ${r.kind}`);
  return r;
}

describe('inspectToken: deeply nested JSON', () => {
  it('refuses a 13 KB token nested 5,000 levels deep with token/bad_json, promptly', () => {
    const token = `${HEADER}.${b64(nestedArrays(5_000))}.c2ln`;
    expect(token.length).toBeGreaterThan(13_000);
    expect(token.length).toBeLessThan(14_000);
    const { error, ms } = outcome(token);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'token/bad_json',
      message: expect.stringMatching(/payload.*nested too deeply/),
    });
    expect(ms).toBeLessThan(PROMPT_MS);
  });

  it.each([
    ['payload of arrays', `${HEADER}.${b64(nestedArrays(100_000))}.c2ln`, /payload \(part 2\)/],
    ['payload of objects', `${HEADER}.${b64(nestedObjects(20_000))}.c2ln`, /payload \(part 2\)/],
    ['header', `${b64(nestedObjects(10_000))}.${b64('{}')}.c2ln`, /header \(part 1\)/],
    ['JWE header', `${b64(nestedArrays(10_000))}.a2V5.aXY.Y3Q.dGFn`, /header \(part 1\)/],
    ['unclosed brackets', `${HEADER}.${b64(`{"a":${'['.repeat(50_000)}`)}.c2ln`, /payload \(part 2\)/],
  ])('refuses a deep %s by name', (_name, token, part) => {
    const { error, ms } = outcome(token);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'token/bad_json', message: expect.stringMatching(part) });
    expect((error as AppError).message).toMatch(new RegExp(`nested too deeply: more than ${MAX_JSON_DEPTH} levels`));
    expect(ms).toBeLessThan(PROMPT_MS);
  });

  it(`decodes JSON nested exactly ${MAX_JSON_DEPTH} levels, and counts no bracket inside a string`, () => {
    expect(jws(`${HEADER}.${b64(nestedArrays(MAX_JSON_DEPTH))}.c2ln`).payload[0]?.kind).toBe('array');
    expect(jws(`${HEADER}.${b64(nestedObjects(MAX_JSON_DEPTH))}.c2ln`).payload[0]?.kind).toBe('object');
    expect(outcome(`${HEADER}.${b64(nestedArrays(MAX_JSON_DEPTH + 1))}.c2ln`).error).toMatchObject({
      code: 'token/bad_json',
    });
    const inString = JSON.stringify({ a: '['.repeat(10_000), b: '\\"[[[[' });
    expect(jws(`${HEADER}.${b64(inString)}.c2ln`).payload.map((row) => row.name)).toEqual(['a', 'b']);
  });
});

describe('inspectToken: large JSON stays proportional to the token', () => {
  it('shows JSON compact when indenting it would multiply its size, and says so', () => {
    // 200 KB of 30-level chains: indented, this printed as more than 5 MB.
    const chain = `${'['.repeat(30)}${']'.repeat(30)}`;
    const json = `{"a":[${Array<string>(2_400).fill(chain).join(',')}]}`;
    const token = `${HEADER}.${b64(json)}.c2ln`;
    expect(token.length).toBeGreaterThan(190_000);
    const { value, ms } = outcome(token);
    const r = value as JwsInspection;
    expect(r.payloadJson === json).toBe(true);
    expect(r.findings).toContainEqual({
      severity: 'info',
      message: expect.stringMatching(
        new RegExp(`payload JSON is shown without indentation.*${MAX_PRETTY_JSON_CHARS.toLocaleString('en')}`),
      ),
    });
    expect(r.headerJson).toContain('\n  "alg": "RS256"');
    expect(r.payload[0]?.display.length).toBeLessThan(2_100);
    expect(ms).toBeLessThan(PROMPT_MS);
  });

  it(`lists at most ${MAX_CLAIM_ROWS} claims in the table and keeps all of them in the JSON`, () => {
    const claims = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`c${i}`, i]));
    const r = jws(`${HEADER}.${b64(JSON.stringify({ exp: NOW / 1000 + 60, ...claims }))}.c2ln`);
    expect(r.payload).toHaveLength(MAX_CLAIM_ROWS);
    expect(r.payload[0]).toMatchObject({ name: 'exp', kind: 'time' });
    expect(Object.keys(JSON.parse(r.payloadJson) as object)).toHaveLength(20_001);
    expect(r.expiresAt).toBe(NOW / 1000 + 60);
    expect(r.findings).toContainEqual({
      severity: 'info',
      message: `The payload has 20,001 claims; the table shows the first ${MAX_CLAIM_ROWS}, the payload JSON has them all.`,
    });
  });

  it('prints only the start of a huge object claim for its table cell', () => {
    const big = { list: Array.from({ length: 5_000 }, (_, i) => ({ i })) };
    const r = jws(`${HEADER}.${b64(JSON.stringify({ big }))}.c2ln`);
    const cell = r.payload[0]?.display ?? '';
    expect(cell.startsWith(JSON.stringify(big, null, 2).slice(0, 2_000))).toBe(true);
    expect(cell).toMatch(/… \(cut at 2,000 characters; the JSON view shows all of it\)$/);
    expect(r.payloadJson === JSON.stringify({ big }, null, 2)).toBe(true);
  });
});
