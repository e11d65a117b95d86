import { describe, expect, it } from 'vitest';
import { formatAbsolute, formatDuration, formatRelative } from '../../renderer/components/inspector/relative-time';

describe('relative time', () => {
  const now = Date.UTC(2026, 10, 24, 12, 0, 0);
  it('says how long until or since an expiry, in the largest sensible unit', () => {
    expect(formatRelative(now + 14 * 60_000 + 30_000, now)).toBe('expires in 14 min');
    expect(formatRelative(now - 2 * 3600_000, now)).toBe('expired 2 h ago');
    expect(formatRelative(now + 2 * 3600_000 - 1000, now)).toBe('expires in 1 h 59 min');
    expect(formatRelative(now + 45_000, now)).toBe('expires in 45 s');
    expect(formatRelative(now + 3 * 86_400_000, now, null)).toBe('in 3 d');
    expect(formatRelative(now - 5 * 60_000, now, null)).toBe('5 min ago');
    expect(formatDuration(400 * 86_400_000)).toBe('13 mo');
    expect(formatDuration(800 * 86_400_000)).toBe('2 y');
  });
  it('says "just now" for this second, never "in 0 s"', () => {
    expect(formatRelative(now, now, null)).toBe('just now');
    expect(formatRelative(now + 400, now, null)).toBe('just now');
    expect(formatRelative(now - 999, now, null)).toBe('just now');
    expect(formatRelative(now + 500, now)).toBe('expires now');
    expect(formatRelative(now, now)).toBe('expired just now');
    expect(formatRelative(now - 1000, now, null)).toBe('1 s ago');
  });
  it('formats absolute dates and refuses nonsense', () => {
    expect(formatAbsolute(now)).toMatch(/2026/);
    expect(formatAbsolute(Number.NaN)).toBe('invalid date');
  });
});
