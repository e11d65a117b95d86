import type { StorageBackend } from '../../preload/contract';
import { AppError } from '../errors';

/**
 * Seals secrets. Sealed text carries a version and scheme tag (`v1.<scheme>.<base64>`) so the scheme can
 * change later without guessing what old data is.
 */
export interface Cipher {
  readonly backend: StorageBackend;
  encrypt(plain: string): Promise<string>;
  /**
   * `shouldReEncrypt`: the key was rotated; seal the plain text again and store it. A secret that cannot be
   * opened is a {@link DecryptError}; a cipher that cannot work at all throws `vault/unavailable`.
   */
  decrypt(sealed: string): Promise<{ plain: string; shouldReEncrypt: boolean }>;
}

/**
 * `vault/decrypt_failed`: a stored secret could not be opened. `problem` says what is wrong with it in one
 * sentence without advice, so that a caller can give its own (the vault asks to re-authenticate the org,
 * or to enter an app profile's secret again) from this typed field, never by editing the message.
 */
export class DecryptError extends AppError {
  readonly problem: string;
  constructor(problem: string, options?: { cause?: unknown }) {
    super('vault/decrypt_failed', `${problem} Sign in to this org again.`, options);
    this.problem = problem;
  }
}

const SEAL_VERSION = 'v1';

export function seal(scheme: string, bytes: Uint8Array): string {
  return `${SEAL_VERSION}.${scheme}.${Buffer.from(bytes).toString('base64')}`;
}

/** Splits sealed text and checks its tag. Empty, untagged or foreign text is a {@link DecryptError}. */
export function unseal(sealed: string, scheme: string): Buffer {
  const [version, tag, body] = sealed.split('.');
  if (!sealed || version !== SEAL_VERSION || tag !== scheme || !body) {
    throw new DecryptError(
      sealed ? `A stored secret has an unknown format (${version ?? '?'}.${tag ?? '?'}).` : 'A stored secret is empty.',
    );
  }
  return Buffer.from(body, 'base64');
}
