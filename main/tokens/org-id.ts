/**
 * Salesforce record IDs: a 15-character case-sensitive form and an 18-character case-insensitive form
 * whose last three characters encode, five characters at a time, which letters are upper case.
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** True for a 15- or 18-character ID with the org (`00D`) key prefix. */
export function isOrgId(id: string): boolean {
  return /^00D[a-zA-Z0-9]{12}([a-zA-Z0-5]{3})?$/.test(id);
}

/** True for a 15- or 18-character ID with the user (`005`) key prefix. */
export function isUserId(id: string): boolean {
  return /^005[a-zA-Z0-9]{12}([a-zA-Z0-5]{3})?$/.test(id);
}

/** Converts a 15-character ID to its 18-character form. An 18-character ID is returned as given. */
export function to18(id: string): string {
  if (id.length === 18) return id;
  if (!/^[a-zA-Z0-9]{15}$/.test(id)) throw new RangeError('A Salesforce ID has 15 or 18 letters and digits.');
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return id + suffix;
}

/** The 15-character form of a 15- or 18-character ID. */
export function to15(id: string): string {
  return id.slice(0, 15);
}
