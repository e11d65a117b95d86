import { describe, expect, it } from 'vitest';
import { highlightJson } from '../../renderer/lib/json-highlight';

describe('JSON syntax colour', () => {
  it('tells keys, strings, numbers and literals apart and gives the text back whole', () => {
    const json = JSON.stringify({ sub: 'a "q" b', exp: -1.5e3, ok: true, none: null, scp: ['api', 2] }, null, 2);
    const tokens = highlightJson(json);
    expect(tokens.map((t) => t.text).join('')).toBe(json);
    const of = (kind: string) => tokens.filter((t) => t.kind === kind).map((t) => t.text);
    expect(of('key')).toEqual(['"sub"', '"exp"', '"ok"', '"none"', '"scp"']);
    expect(of('string')).toEqual(['"a \\"q\\" b"', '"api"']);
    expect(of('number')).toEqual(['-1500', '2']);
    expect(of('literal')).toEqual(['true', 'null']);
  });

  it('returns text that is not JSON whole, and stops colouring a huge document', () => {
    expect(
      highlightJson('not json {')
        .map((t) => t.text)
        .join(''),
    ).toBe('not json {');
    const big = JSON.stringify(Array.from({ length: 30_000 }, (_, i) => i));
    const tokens = highlightJson(big);
    expect(tokens.length).toBeLessThanOrEqual(20_001);
    expect(tokens.map((t) => t.text).join('')).toBe(big);
  });
});
