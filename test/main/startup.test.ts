import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStartupFailure, reportStartupFailure } from '../../main/startup';
import { SafeStorageCipher, type AsyncSafeStorage } from '../../main/vault/safe-storage-cipher';
import { openTestVault } from '../support/vault';

describe('a start-up failure', () => {
  it('names the file and the cause of a real file-system error, and what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfti-start-'));
    try {
      // A file where the data folder should be: opening the vault fails the way a broken profile would.
      const blocked = join(dir, 'data');
      await writeFile(blocked, 'not a folder');
      const failure = await openTestVault(join(blocked, 'inner')).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).not.toBeNull();
      const { title, message } = describeStartupFailure(failure);
      expect(title).toBe('SF Token Inspector could not start');
      expect(message).toContain(blocked);
      expect(message).toMatch(/\((ENOTDIR|EEXIST|ENOENT)\)/);
      expect(message).toMatch(/start the app again/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('explains permission errors in words', () => {
    const e = Object.assign(new Error('EACCES'), { code: 'EACCES', path: '/home/u/.config/app/store.json' });
    expect(describeStartupFailure(e).message).toMatch(
      /could not use \/home\/u\/.config\/app\/store.json: the app is not allowed to read or write it \(EACCES\)/,
    );
  });

  it('is shown in a native dialog, then the app quits with an error code', () => {
    const shown: string[] = [];
    let quit = 0;
    const before = process.exitCode;
    try {
      reportStartupFailure(
        Object.assign(new Error('x'), { code: 'ENOSPC', path: '/data/store.json' }),
        { dialog: { showErrorBox: (t, m) => void shown.push(t, m) }, app: { quit: () => void quit++ } },
        () => undefined,
      );
      expect(shown).toEqual(['SF Token Inspector could not start', expect.stringContaining('the disk is full')]);
      expect(quit).toBe(1);
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = before;
    }
  });

  it('passes any other error’s message on', () => {
    expect(describeStartupFailure(new Error('The window could not load.')).message).toMatch(
      /^The window could not load\.\n\nStart the app again/,
    );
  });
});

describe('the keyring policy on Linux', () => {
  const storage = (backend: string): AsyncSafeStorage => ({
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => backend as ReturnType<AsyncSafeStorage['getSelectedStorageBackend']>,
    encryptStringAsync: async (s: string) => Buffer.from(s),
    decryptStringAsync: async (b: Buffer) => ({ result: b.toString(), shouldReEncrypt: false }),
  });
  it('counts only GNOME Keyring and KWallet as a keychain; basic_text and unknown get the no-keyring policy', async () => {
    const backendOf = async (b: string) => (await SafeStorageCipher.create(storage(b), () => true, 'linux')).backend;
    for (const real of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) {
      expect(await backendOf(real)).toBe('os-keychain');
    }
    expect(await backendOf('basic_text')).toBe('basic-text');
    expect(await backendOf('unknown')).toBe('basic-text');
  });
});
