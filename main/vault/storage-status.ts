/**
 * What the app tells the user about where their secrets are kept: the storage banner, and the sentences
 * saying what was recovered from on start. Every such sentence is written here; the stores only report what
 * happened (see {@link StoreRecovery} and {@link DamagedFile}).
 */
import type { StorageBackend, StorageStatus } from '../../preload/contract';
import type { StoreRecovery } from './metadata-store';
import type { Settings } from './records';

/** An org's or app profile's secrets file that could not be read at open, moved aside to `aside`. */
export interface DamagedFile {
  /** The org's label, or null when the file is an app profile's or its org is not listed. */
  label: string | null;
  aside: string;
}

/** True when secrets are written to disk (encrypted); false: they live until the app quits. */
export function persistsSecrets(backend: StorageBackend, settings: Settings): boolean {
  if (backend === 'unavailable') return false;
  return backend !== 'basic-text' || settings.weakStorageOptIn;
}

export function storageStatus(backend: StorageBackend, settings: Settings, recovery: string | null): StorageStatus {
  return {
    backend,
    persistent: persistsSecrets(backend, settings),
    weakStorageOptIn: settings.weakStorageOptIn,
    banner: bannerOf(backend, settings),
    recovery,
  };
}

function bannerOf(backend: StorageBackend, settings: Settings): string | null {
  if (backend === 'unavailable') {
    return 'No system keychain is available, so tokens are kept only until you quit the app. Unlock or set up your keychain and restart.';
  }
  if (backend === 'basic-text' && !settings.weakStorageOptIn) {
    return 'No system keyring was found (on Linux: GNOME Keyring or KWallet), so tokens are kept only until you quit. Install and unlock a keyring and restart, or allow weaker storage in Settings.';
  }
  if (backend === 'basic-text') {
    return 'Tokens are saved with weak protection because no system keyring was found. Install a keyring for real encryption.';
  }
  return null;
}

/** What the start recovered from, in words (the store first, then each damaged file), or null. */
export function recoveryText(store: StoreRecovery | null, damaged: readonly DamagedFile[]): string | null {
  const sentences = [
    store && storeRecoveryText(store),
    ...damaged.map(
      ({ label, aside }) =>
        `The saved tokens of ${label === null ? 'one entry' : `"${label}"`} were damaged and were kept as ${aside}; sign in to it again.`,
    ),
  ].filter(Boolean);
  return sentences.length > 0 ? sentences.join(' ') : null;
}

function storeRecoveryText(store: StoreRecovery): string {
  return store.kind === 'unreadable'
    ? `The org list could not be read (the file is damaged), so the app started with an empty list. It was kept as ${store.keptAs}.`
    : `Some saved data was damaged and was left out: ${store.left.join(', ')}. Everything else was recovered. The original file was kept as ${store.keptAs}.`;
}
