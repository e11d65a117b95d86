/**
 * The claim table of a decoded part: times sent as strings read but warned about, unicode kept, enormous
 * claims cut in the table only, and each cell's kind.
 */
import { describe, expect, it } from 'vitest';
import { epochOf, viewOf } from '../../main/tokens/claim-rows';
import { PAYLOAD_GLOSSARY } from '../../main/tokens/claim-glossary';
import { inspectToken } from '../../main/tokens/inspect-token';
import type { JwsInspection } from '../../preload/contract';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const NOW_S = NOW / 1000;

function jws(raw: string): JwsInspection {
  const r = inspectToken(raw, NOW);
  if (r.kind !== 'jws') throw new Error(`expected a JWS, got ${r.kind}`);
  return r;
}

describe('viewOf', () => {
  it('accepts numeric claims sent as strings but warns on the row', () => {
    const r = jws(`${b64({ alg: 'RS256' })}.${b64({ exp: String(NOW_S + 60), iat: 'yesterday' })}.${b64('s')}`);
    const exp = r.payload.find((row) => row.name === 'exp');
    expect(exp).toMatchObject({
      kind: 'time',
      epochSeconds: NOW_S + 60,
      warning: expect.stringMatching(/requires a number/),
    });
    expect(r.payload.find((row) => row.name === 'iat')?.warning).toMatch(/Not a time/);
    expect(r.expiresAt).toBe(NOW_S + 60);
  });

  it('keeps unicode and enormous claims, cutting only the table display', () => {
    const r = jws(`${b64({ alg: 'RS256' })}.${b64({ name: 'Zoë 🚀 日本', blob: 'x'.repeat(100_000) })}.${b64('s')}`);
    expect(r.payload.find((row) => row.name === 'name')?.display).toBe('Zoë 🚀 日本');
    const blob = r.payload.find((row) => row.name === 'blob');
    expect(blob?.display.length).toBeLessThan(2100);
    expect(blob?.display).toMatch(/more characters\)$/);
    expect(r.payloadJson.length).toBeGreaterThan(100_000);
  });

  it('gives each claim its kind and its meaning from the glossary, with scopes as a list', () => {
    const view = viewOf(
      { sub: 'u', n: 1, b: true, z: null, a: [1], o: { x: 1 }, scope: 'api refresh_token' },
      PAYLOAD_GLOSSARY,
      null,
      1,
    );
    expect(view.rows.map((row) => [row.name, row.kind])).toEqual([
      ['sub', 'string'],
      ['n', 'number'],
      ['b', 'boolean'],
      ['z', 'null'],
      ['a', 'array'],
      ['o', 'object'],
      ['scope', 'scopes'],
    ]);
    expect(view.rows[0]?.meaning).toBeTruthy();
    expect(view.rows[1]?.meaning).toBeNull();
    expect(view.rows[6]?.scopes).toEqual(['api', 'refresh_token']);
    expect(view.json).toBe(
      JSON.stringify({ sub: 'u', n: 1, b: true, z: null, a: [1], o: { x: 1 }, scope: 'api refresh_token' }, null, 2),
    );
    expect(view.findings).toEqual([]);
  });
});

describe('epochOf', () => {
  it('reads finite numbers and numeric strings as seconds, and nothing else', () => {
    expect(epochOf(1_700_000_000)).toBe(1_700_000_000);
    expect(epochOf(' 1700000000.5 ')).toBe(1_700_000_000.5);
    for (const v of [Infinity, Number.NaN, 'yesterday', '1e9', '-5', '1234567890123', null, {}]) {
      expect(epochOf(v), String(v)).toBeNull();
    }
  });
});
