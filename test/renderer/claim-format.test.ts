import { describe, expect, it } from 'vitest';
import { breakPoints, formatUtcOffset } from '../../renderer/lib/claim-format';

describe('claim values for people', () => {
  it('shows a utcOffset in milliseconds as an offset from UTC', () => {
    expect(formatUtcOffset('7200000')).toBe('UTC+02:00');
    expect(formatUtcOffset('-25200000')).toBe('UTC\u221207:00');
    expect(formatUtcOffset('19800000')).toBe('UTC+05:30');
    expect(formatUtcOffset('0')).toBe('UTC+00:00');
    expect(formatUtcOffset('"x"')).toBeNull();
    expect(formatUtcOffset('')).toBeNull();
  });

  it('breaks URLs after / and . and claim names only between words', () => {
    expect(breakPoints('https://acme.my.salesforce.com/id/00D', 'url')).toEqual([
      'https:/',
      '/',
      'acme.',
      'my.',
      'salesforce.',
      'com/',
      'id/',
      '00D',
    ]);
    expect(breakPoints('custom_attributes', 'name')).toEqual(['custom_', 'attributes']);
    expect(breakPoints('preferred_username', 'name').join('')).toBe('preferred_username');
    expect(breakPoints('exp', 'name')).toEqual(['exp']);
  });
});
