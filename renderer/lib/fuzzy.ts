/**
 * Subsequence matching for the palette and the sidebar filter: every character of the query must appear in
 * order. Contiguous runs and matches at word starts score higher, so "acpr" ranks "Acme production" first.
 * Each start of the query's first character is tried, so the best-placed run wins (and is what gets
 * highlighted), not merely the first one found. Spaces in the query are ignored.
 */
export interface FuzzyMatch {
  score: number;
  /** Indexes in the text of the matched characters, ascending. */
  positions: number[];
}

const WORD_BREAK = /[\s@._\-/:]/;

export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const t = text.toLowerCase();
  if (q === '') return { score: 0, positions: [] };
  let best: FuzzyMatch | null = null;
  for (let start = t.indexOf(q.charAt(0)); start !== -1; start = t.indexOf(q.charAt(0), start + 1)) {
    const match = matchFrom(q, t, start);
    if (match === null) break; // A later start cannot match what this one could not.
    if (best === null || match.score > best.score) best = match;
  }
  return best;
}

function matchFrom(q: string, t: string, start: number): FuzzyMatch | null {
  const positions: number[] = [];
  let score = 0;
  let previous = -2;
  let from = start;
  for (const ch of q) {
    const found = t.indexOf(ch, from);
    if (found === -1) return null;
    score += 1;
    if (found === previous + 1) score += 3;
    if (found === 0 || WORD_BREAK.test(t.charAt(found - 1))) score += 2;
    positions.push(found);
    previous = found;
    from = found + 1;
  }
  // Shorter texts win ties: "acme" beats "acme-something-long".
  return { score: score - t.length / 1000, positions };
}
