import { describe, expect, it } from 'vitest';
import { inspectToken } from '../../main/tokens/inspect-token';
import { tokenSegments, FOLD_CHARS, foldSegments } from '../../renderer/lib/token-text';
import { salesforceJwtAccessToken } from '../support/tokens';
import { withSpans } from './claim-spans';

describe('the token inside what was pasted', () => {
  it('finds the token as main strips it: whitespace, Bearer and quotes', () => {
    const at = (raw: string) =>
      tokenSegments(raw, null)
        .filter((s) => s.part !== null)
        .map((s) => s.text)
        .join('');
    expect(at('  Bearer  eyJ.a.b \n')).toBe('eyJ.a.b');
    expect(at('"eyJ.a.b"')).toBe('eyJ.a.b');
    expect(at("bearer 'eyJ.a.b'")).toBe('eyJ.a.b');
    expect(at('"eyJ.a.b')).toBe('"eyJ.a.b');
    expect(tokenSegments('a.b.', null).map((s) => [s.text, s.part])).toEqual([
      ['a', 0],
      ['.', 'dot'],
      ['b', 1],
      ['.', 'dot'],
      ['', 2],
    ]);
    expect(at('   ')).toBe('');
  });

  it('colours the parts and keeps the text exactly as typed', () => {
    const raw = ' Bearer aaa.bbb.ccc\n';
    const segs = tokenSegments(raw, null);
    expect(segs.map((s) => s.text).join('')).toBe(raw);
    expect(segs.filter((s) => typeof s.part === 'number').map((s) => [s.text, s.part])).toEqual([
      ['aaa', 0],
      ['bbb', 1],
      ['ccc', 2],
    ]);
    const opaque = tokenSegments('00D5g000004XYZA!AQ8AQLm2', null);
    expect(opaque.map((s) => [s.text, s.part])).toEqual([
      ['00D5g000004XYZA', 0],
      ['!', 'dot'],
      ['AQ8AQLm2', 2],
    ]);
    // Salesforce session secrets may hold dots: still an opaque token, not the parts of a JWT.
    expect(tokenSegments('00D5g000004XYZA!AQ.8AQ.Lm2.x.y', null).map((s) => [s.text, s.part])).toEqual([
      ['00D5g000004XYZA', 0],
      ['!', 'dot'],
      ['AQ.8AQ.Lm2.x.y', 2],
    ]);
  });

  it('links claim bytes only when the inspection decoded this very text', async () => {
    const token = await salesforceJwtAccessToken();
    const inspection = withSpans(inspectToken(token));
    const segs = tokenSegments(`Bearer ${token}`, inspection);
    expect(segs.map((s) => s.text).join('')).toBe(`Bearer ${token}`);
    const exp = segs.filter((s) => s.claims.includes('payload:exp'));
    expect(exp.length).toBeGreaterThan(0);
    const alg = segs.filter((s) => s.claims.includes('header:alg'));
    expect(alg[0]?.part).toBe(0);
    // An answer for another text links nothing.
    const other = tokenSegments(`${token.slice(0, 10)}x${token.slice(11)}`, inspection);
    expect(other.some((s) => s.claims.length > 0)).toBe(false);
  });
});

describe('folding a very long token', () => {
  it('keeps the first and last characters with their colours and claims, and counts what lies between', () => {
    const segs = [
      { text: 'h'.repeat(100), part: 0, claims: ['header:alg' as const] },
      { text: '.', part: 'dot' as const, claims: [] },
      { text: 'p'.repeat(FOLD_CHARS), part: 1, claims: ['payload:blob' as const] },
      { text: '.', part: 'dot' as const, claims: [] },
      { text: 's'.repeat(300), part: 2, claims: [] },
    ];
    const total = segs.reduce((n, s) => n + s.text.length, 0);
    const { head, tail, hidden } = foldSegments(segs);
    const shown = (list: typeof head) => list.reduce((n, s) => n + s.text.length, 0);
    expect(shown(head) + shown(tail) + hidden).toBe(total);
    expect(head[0]).toEqual(segs[0]);
    expect(head.at(-1)).toMatchObject({ part: 1, claims: ['payload:blob'] });
    expect(tail.at(-1)).toEqual(segs[4]);
    expect(tail.map((s) => s.text).join('').length).toBe(shown(head));
  });
});
