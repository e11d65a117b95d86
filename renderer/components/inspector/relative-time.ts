const UNITS: [limitSeconds: number, divisor: number, unit: string][] = [
  [60, 1, 's'],
  [3600, 60, 'min'],
  [86_400, 3600, 'h'],
  [86_400 * 60, 86_400, 'd'],
  [86_400 * 730, 86_400 * 30, 'mo'],
  [Infinity, 86_400 * 365, 'y'],
];

/** "14 min", "1 h 59 min", "45 s": the distance between two instants in its largest sensible unit. */
export function formatDuration(ms: number): string {
  const seconds = Math.abs(ms) / 1000;
  // Hours keep their minutes ("1 h 59 min"): an expiry 2 hours away should not read as "1 h".
  if (seconds >= 3600 && seconds < 86_400) {
    const h = Math.floor(seconds / 3600);
    const min = Math.floor((seconds % 3600) / 60);
    return min === 0 ? `${h} h` : `${h} h ${min} min`;
  }
  for (const [limit, divisor, unit] of UNITS) {
    if (seconds < limit) return `${Math.floor(seconds / divisor)} ${unit}`;
  }
  return `${Math.floor(seconds)} s`;
}

/**
 * "expires in 14 min" / "expired 2 h ago" for an expiry; "in 3 d" / "5 min ago" with `verb: null`. Within a
 * second of now it is "just now" (an `iat` of this second), or "expires now" / "expired just now".
 */
export function formatRelative(targetMs: number, nowMs: number, verb: 'expires' | null = 'expires'): string {
  const diff = targetMs - nowMs;
  if (Math.abs(diff) < 1000) {
    if (verb === 'expires') return diff > 0 ? 'expires now' : 'expired just now';
    return 'just now';
  }
  const span = formatDuration(diff);
  if (verb === 'expires') return diff > 0 ? `expires in ${span}` : `expired ${span} ago`;
  return diff > 0 ? `in ${span}` : `${span} ago`;
}

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A local date and time, e.g. "24 Nov 2026, 12:14:05". */
export function formatAbsolute(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? 'invalid date' : absolute.format(d);
}
