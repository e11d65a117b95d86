import type { StorageBackend } from '../../preload/contract';
import { AppError } from '../errors';

/**
 * Seals secrets. Sealed text carries a version and scheme tag (`v1.<scheme>.<base64>`) so the scheme can
 * change later without guessing what old data is.
 */
export interface Cipher {
  readonly backend: StorageBackend;
  encrypt(plain: string): Promise<string>;
  /** `shouldReEncrypt`: the key was rotated; seal the plain text again and store it. */
  decrypt(sealed: string): Promise<{ plain: string; shouldReEncrypt: boolean }>;
}

export const SEAL_VERSION = 'v1';

export function seal(scheme: string, bytes: Uint8Array): string {
  return `${SEAL_VERSION}.${scheme}.${Buffer.from(bytes).toString('base64')}`;
}

/** Splits sealed text and checks its tag. Empty, untagged or foreign text is a `vault/decrypt_failed`. */
export function unseal(sealed: string, scheme: string): Buffer {
  const [version, tag, body] = sealed.split('.');
  if (!sealed || version !== SEAL_VERSION || tag !== scheme || !body) {
    throw new AppError(
      'vault/decrypt_failed',
      sealed
        ? `A stored secret has an unknown format (${version ?? '?'}.${tag ?? '?'}). Sign in to this org again.`
        : 'A stored secret is empty. Sign in to this org again.',
    );
  }
  return Buffer.from(body, 'base64');
}
