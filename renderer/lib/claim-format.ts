/** Claim values and names as people read them: offsets from UTC, URLs and names that wrap where they should. */

/** Salesforce's `utcOffset` (milliseconds) as "UTC+02:00", "UTC−07:00", "UTC+05:30"; null for a non-number. */
export function formatUtcOffset(display: string): string | null {
  const ms = Number(display);
  if (display.trim() === '' || !Number.isFinite(ms)) return null;
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `UTC${ms < 0 ? '\u2212' : '+'}${hh}:${mm}`;
}

/**
 * Text cut after each character where a line may break: a URL after `/`, `.`, `?`, `&` and `=`; a claim
 * name after `_`, `.`, `/`, `:` and `-` (so `custom_attributes` breaks at the underscore, never mid-word).
 * The component puts a <wbr> between the pieces.
 */
export function breakPoints(text: string, at: 'url' | 'name'): string[] {
  const re = at === 'url' ? /(?<=[/.?&=])(?=.)/ : /(?<=[_./:-])(?=.)/;
  return text.split(re);
}
