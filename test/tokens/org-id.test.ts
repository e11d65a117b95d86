import { describe, expect, it } from 'vitest';
import { isOrgId, to15, to18 } from '../../main/tokens/org-id';

describe('Salesforce IDs', () => {
  it('to18 appends the case checksum of each five-character chunk', () => {
    // The pair from Salesforce's documentation of the 18-character form.
    expect(to18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    // Each upper-case letter sets its bit (1, 2, 4, 8, 16 by position) in its chunk's suffix letter.
    expect(to18('00D000000000062')).toBe('00D000000000062EAA');
    expect(to18('00d000000000062')).toBe('00d000000000062AAA');
    expect(to18('00Dxx0000001gPL')).toBe('00Dxx0000001gPLEAY');
    expect(to18('ABCDEFGHIJKLMNO')).toBe('ABCDEFGHIJKLMNO555');
    expect(to18('aBcDeFgHiJkLmNo')).toBe('aBcDeFgHiJkLmNoKVK');
  });

  it('is case-insensitive unique: 15-character IDs differing only in case get different suffixes', () => {
    const upper = to18('005xx000001SvXA');
    const lower = to18('005xx000001svxa');
    expect(upper.toLowerCase()).not.toBe(lower.toLowerCase());
    expect(to15(upper)).toBe('005xx000001SvXA');
  });

  it('returns an 18-character ID as given and refuses other lengths or characters', () => {
    expect(to18('00D000000000062EAA')).toBe('00D000000000062EAA');
    for (const bad of ['', '00D00000000006', '00D0000000000621', '00D00000000006!']) {
      expect(() => to18(bad), bad).toThrow(RangeError);
    }
  });

  it('isOrgId accepts only the 00D prefix in 15 or 18 characters with a valid suffix alphabet', () => {
    expect(isOrgId('00D000000000062')).toBe(true);
    expect(isOrgId('00D000000000062EAA')).toBe(true);
    expect(isOrgId('005000000000062')).toBe(false);
    expect(isOrgId('00D000000000062E')).toBe(false);
    expect(isOrgId('00D000000000062EA9')).toBe(false);
    expect(isOrgId('00D00000000006!')).toBe(false);
  });
});
