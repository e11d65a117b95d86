import { describe, expect, it } from 'vitest';
import { inspectToken } from '../../main/tokens/inspect-token';
import { tokenSegments } from '../../renderer/lib/token-text';
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
