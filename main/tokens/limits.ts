/**
 * What decoding a pasted token may cost: limits that keep the work proportional to the token's length and
 * refuse JSON no real token has. The size limit of the token itself is MAX_TOKEN_CHARS (preload/contract.ts).
 */

/**
 * A header or payload nested deeper than this is refused (`token/bad_json`) before it is parsed: real
 * claims nest a few levels, and printing deeper JSON recurses once per level until the stack runs out.
 */
export const MAX_JSON_DEPTH = 64;
/** JSON that would print longer than this with indentation is shown compact (indentation grows with depth). */
export const MAX_PRETTY_JSON_CHARS = 1_000_000;
/** The claim table shows at most this many rows; the raw JSON keeps every claim. */
export const MAX_CLAIM_ROWS = 500;
/** A claim shown in the table is cut after this many characters; the raw JSON keeps all of it. */
export const MAX_DISPLAY_CHARS = 2_000;

/**
 * A count with thousands separators, as `n.toLocaleString('en')` prints it, without Intl: the first Intl
 * call of a process loads ICU data (tens of milliseconds), which made the first decode of a large token slow.
 */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
