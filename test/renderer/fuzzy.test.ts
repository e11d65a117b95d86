import { describe, expect, it } from 'vitest';
import { fuzzyMatch } from '../../renderer/lib/fuzzy';

const score = (q: string, t: string) => fuzzyMatch(q, t)?.score ?? null;

describe('fuzzy matching for the palette and the sidebar', () => {
  it('matches subsequences and rejects what is not one', () => {
    expect(score('acpr', 'Acme production')).not.toBeNull();
    expect(score('xyz', 'Acme production')).toBeNull();
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, positions: [] });
    expect(score('a c m e', 'acme')).not.toBeNull();
  });

  it('ranks word starts and contiguous runs first', () => {
    expect(score('uat', 'Acme UAT sandbox')!).toBeGreaterThan(score('uat', 'Ultra fast datacenter')!);
    expect(score('acme', 'acme')!).toBeGreaterThan(score('acme', 'acme-something-much-longer')!);
  });

  it('highlights the best-placed run, not merely the first characters found', () => {
    // A greedy match would mark the "p" of "Sample" and the "r" of "prod": the word start wins.
    expect(fuzzyMatch('prod', 'Sample production')!.positions).toEqual([7, 8, 9, 10]);
    expect(fuzzyMatch('uat', 'Acme UAT')!.positions).toEqual([5, 6, 7]);
  });
});
