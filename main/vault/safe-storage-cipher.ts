import type { SafeStorage } from 'electron';
import type { StorageBackend } from '../../preload/contract';
import { AppError } from '../errors';
import { DecryptError, seal, unseal, type Cipher } from './cipher';

const SCHEME = 'ss';

const REAL_KEYRINGS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export type AsyncSafeStorage = Pick<
  SafeStorage,
  'encryptStringAsync' | 'decryptStringAsync' | 'isAsyncEncryptionAvailable' | 'getSelectedStorageBackend'
>;

/**
 * Electron's `safeStorage`, through its asynchronous API only (the synchronous calls are deprecated in
 * Electron 45). Refuses to run before the app is ready: `safeStorage` only works once the app has started.
 */
export class SafeStorageCipher implements Cipher {
  readonly backend: StorageBackend;

  private constructor(
    private readonly safeStorage: AsyncSafeStorage,
    private readonly isReady: () => boolean,
    backend: StorageBackend,
  ) {
    this.backend = backend;
  }

  /**
   * Checks availability and, on Linux, whether a real keyring backs it. Only GNOME Keyring (libsecret) and
   * KWallet count: `basic_text` is a hard-coded key, and `unknown` is not known to be any better, so both get
   * the no-keyring policy.
   */
  static async create(
    safeStorage: AsyncSafeStorage,
    isReady: () => boolean,
    platform: NodeJS.Platform,
  ): Promise<SafeStorageCipher> {
    if (!isReady()) throw notReady();
    const available = await safeStorage.isAsyncEncryptionAvailable();
    let backend: StorageBackend = available ? 'os-keychain' : 'unavailable';
    if (available && platform === 'linux' && !REAL_KEYRINGS.has(safeStorage.getSelectedStorageBackend()))
      backend = 'basic-text';
    return new SafeStorageCipher(safeStorage, isReady, backend);
  }

  async encrypt(plain: string): Promise<string> {
    this.#check();
    return seal(SCHEME, await this.safeStorage.encryptStringAsync(plain));
  }

  async decrypt(sealed: string): Promise<{ plain: string; shouldReEncrypt: boolean }> {
    this.#check();
    const bytes = unseal(sealed, SCHEME);
    try {
      const { result, shouldReEncrypt } = await this.safeStorage.decryptStringAsync(bytes);
      return { plain: result, shouldReEncrypt };
    } catch (cause) {
      throw new DecryptError(
        'A stored secret could not be decrypted: the system keychain changed or this profile came from another computer.',
        { cause },
      );
    }
  }

  #check(): void {
    if (!this.isReady()) throw notReady();
    if (this.backend === 'unavailable') {
      throw new AppError(
        'vault/unavailable',
        'No system keychain is available to encrypt secrets. Unlock or install one, then restart the app.',
      );
    }
  }
}

function notReady(): AppError {
  return new AppError(
    'vault/unavailable',
    'Secrets cannot be encrypted before the app has started. Try again in a moment.',
  );
}
