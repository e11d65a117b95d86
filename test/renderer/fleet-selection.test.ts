/** The fleet's selection as a value: many at once, and a shift-click range from the row toggled last. */
import { describe, expect, it } from 'vitest';
import { selectMany, selectRange } from '../../renderer/lib/fleet-selection';

const rows = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
const sorted = (s: ReadonlySet<string>) => [...s].sort();

describe('fleet selection', () => {
  it('adds and takes out many, leaving the set it was given as it was', () => {
    const start = new Set(['a']);
    expect(sorted(selectMany(start, ['b', 'c'], true))).toEqual(['a', 'b', 'c']);
    expect(sorted(selectMany(start, ['a', 'z'], false))).toEqual([]);
    expect(sorted(start)).toEqual(['a']);
  });

  it('selects a range either way from the anchor, or just the row without one', () => {
    expect(sorted(selectRange(new Set(), rows, 'b', 'd', true))).toEqual(['b', 'c', 'd']);
    expect(sorted(selectRange(new Set(['a', 'b', 'c', 'd', 'e']), rows, 'd', 'b', false))).toEqual(['a', 'e']);
    expect(sorted(selectRange(new Set(['e']), rows, null, 'c', true))).toEqual(['c', 'e']);
    // An anchor filtered out of the rows: just the row.
    expect(sorted(selectRange(new Set(), rows, 'gone', 'c', true))).toEqual(['c']);
  });
});
