import { describe, expect, it } from 'vitest';
import { bestScore, fuzzyScore } from '../../renderer/lib/fuzzy';

describe('fuzzy matching for the quick switcher', () => {
  it('matches subsequences and rejects what is not one', () => {
    expect(fuzzyScore('acpr', 'Acme production')).not.toBeNull();
    expect(fuzzyScore('xyz', 'Acme production')).toBeNull();
    expect(fuzzyScore('', 'anything')).toBe(0);
  });

  it('ranks word starts and contiguous runs first', () => {
    const label = fuzzyScore('uat', 'Acme UAT sandbox')!;
    const scattered = fuzzyScore('uat', 'Ultra fast datacenter')!;
    expect(label).toBeGreaterThan(scattered);
    expect(fuzzyScore('acme', 'acme')!).toBeGreaterThan(fuzzyScore('acme', 'acme-something-much-longer')!);
  });

  it('searches every field: label, username, My Domain and org ID', () => {
    expect(bestScore('00D5g', ['Acme', 'admin@acme.example', null, '00D5g000004XYZA'])).not.toBeNull();
    expect(bestScore('admin@', ['Acme', 'admin@acme.example'])).not.toBeNull();
    expect(bestScore('zzz', ['Acme', null, undefined])).toBeNull();
  });
});
