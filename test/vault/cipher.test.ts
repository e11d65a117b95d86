/** The sealed-text format every cipher shares (`v1.<scheme>.<base64>`), and its typed decryption error. */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../main/errors';
import { DecryptError, seal, unseal } from '../../main/vault/cipher';

describe('sealed text', () => {
  it('carries version and scheme, and gives back the bytes only under its own scheme', () => {
    const sealed = seal('gcm', Buffer.from('bytes'));
    expect(sealed).toBe(`v1.gcm.${Buffer.from('bytes').toString('base64')}`);
    expect(unseal(sealed, 'gcm').toString()).toBe('bytes');
    expect(() => unseal(sealed, 'ss')).toThrow(DecryptError);
  });

  it.each([
    ['', 'A stored secret is empty.'],
    ['garbage', 'A stored secret has an unknown format (garbage.?).'],
    ['v2.gcm.AAAA', 'A stored secret has an unknown format (v2.gcm).'],
    ['v1.gcm.', 'A stored secret has an unknown format (v1.gcm).'],
  ])('refuses %j as a DecryptError saying what is wrong', (sealed, problem) => {
    const error = (() => {
      try {
        unseal(sealed, 'gcm');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(DecryptError);
    expect(isAppError(error, 'vault/decrypt_failed')).toBe(true);
    expect((error as DecryptError).problem).toBe(problem);
    expect((error as DecryptError).message).toBe(`${problem} Sign in to this org again.`);
  });

  it('keeps the cause of a decryption error', () => {
    const cause = new Error('tag mismatch');
    expect(new DecryptError('A stored secret is cut short.', { cause }).cause).toBe(cause);
  });
});
