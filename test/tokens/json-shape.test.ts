/** The decoder's JSON helpers: the one-pass shape scan and the printed prefix of a claim. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPrefix, scanJson } from '../../main/tokens/json-shape';

describe('scanJson', () => {
  it('measures depth outside strings and bounds the indented length from above', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        const shape = scanJson(text, 64);
        expect(shape.tooDeep).toBe(false);
        expect(shape.prettyChars).toBeGreaterThanOrEqual(JSON.stringify(value, null, 2).length);
      }),
      { numRuns: 2_000, seed: 1 },
    );
    expect(scanJson('{"a":"[[[[{{{{","b":[[1]]}', 64)).toMatchObject({ depth: 3, tooDeep: false });
    expect(scanJson('"\\"[[["', 64).depth).toBe(0);
    expect(scanJson(`${'['.repeat(65)}`, 64).tooDeep).toBe(true);
  });
});

describe('jsonPrefix', () => {
  it('is the start of JSON.stringify, indented or not, and says when it cut', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), fc.nat(300), (value, pretty, limit) => {
        const full = JSON.stringify(value, null, pretty ? 2 : undefined);
        const { text, cut } = jsonPrefix(value, pretty, limit);
        expect(cut).toBe(full.length > limit);
        expect(text).toBe(cut ? full.slice(0, limit) : full);
      }),
      { numRuns: 5_000, seed: 2 },
    );
  });
});
