/**
 * Subsequence matching for the quick switcher: every character of the query must appear in order.
 * Contiguous runs and matches at word starts score higher, so "acpr" ranks "Acme production" first.
 * Returns null when the text does not match.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.toLowerCase();
  const t = text.toLowerCase();
  if (q === '') return 0;
  let score = 0;
  let ti = 0;
  let previous = -2;
  for (const ch of q) {
    if (ch === ' ') continue;
    const found = t.indexOf(ch, ti);
    if (found === -1) return null;
    score += 1;
    if (found === previous + 1) score += 3;
    if (found === 0 || /[\s@._\-/:]/.test(t.charAt(found - 1))) score += 2;
    previous = found;
    ti = found + 1;
  }
  // Shorter texts win ties: "acme" beats "acme-something-long".
  return score - t.length / 1000;
}

/** The best score of any of the fields, or null when none matches. */
export function bestScore(query: string, fields: (string | null | undefined)[]): number | null {
  let best: number | null = null;
  for (const f of fields) {
    if (!f) continue;
    const s = fuzzyScore(query, f);
    if (s !== null && (best === null || s > best)) best = s;
  }
  return best;
}
