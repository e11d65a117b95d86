/** What the app says about where secrets are kept, for each backend, and what it recovered from on start. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../main/vault/records';
import { persistsSecrets, recoveryText, storageStatus } from '../../main/vault/storage-status';
import { openTestVault, sampleMeta, sampleOrg, tempDir } from '../support/vault';

const optedIn = { ...DEFAULT_SETTINGS, weakStorageOptIn: true };

describe('storage status', () => {
  it('persists with a keychain or the test cipher, with basic_text only after opt-in, never when unavailable', () => {
    expect(persistsSecrets('os-keychain', DEFAULT_SETTINGS)).toBe(true);
    expect(persistsSecrets('test-aes-gcm', DEFAULT_SETTINGS)).toBe(true);
    expect(persistsSecrets('basic-text', DEFAULT_SETTINGS)).toBe(false);
    expect(persistsSecrets('basic-text', optedIn)).toBe(true);
    expect(persistsSecrets('unavailable', optedIn)).toBe(false);
  });

  it('has a banner for each storage that is not a real keychain, and none for one', () => {
    expect(storageStatus('os-keychain', DEFAULT_SETTINGS, null)).toEqual({
      backend: 'os-keychain',
      persistent: true,
      weakStorageOptIn: false,
      banner: null,
      recovery: null,
    });
    expect(storageStatus('unavailable', DEFAULT_SETTINGS, null).banner).toMatch(
      /^No system keychain is available, so tokens are kept only until you quit the app\./,
    );
    expect(storageStatus('basic-text', DEFAULT_SETTINGS, null).banner).toMatch(
      /^No system keyring was found \(on Linux: GNOME Keyring or KWallet\).*allow weaker storage in Settings\.$/,
    );
    expect(storageStatus('basic-text', optedIn, 'kept')).toMatchObject({
      persistent: true,
      weakStorageOptIn: true,
      banner: expect.stringMatching(/^Tokens are saved with weak protection/),
      recovery: 'kept',
    });
  });

  it('words what was recovered: the store first, then each damaged file, or null for nothing', () => {
    expect(recoveryText(null, [])).toBeNull();
    expect(recoveryText({ kind: 'unreadable', keptAs: '/d/store.corrupt-1.json' }, [])).toBe(
      'The org list could not be read (the file is damaged), so the app started with an empty list. It was kept as /d/store.corrupt-1.json.',
    );
    expect(
      recoveryText(
        { kind: 'left_out', left: ['org "a"', 'the settings (the defaults are used)'], keptAs: '/d/s.json' },
        [
          { label: 'Acme', aside: '/d/orgs/a.json.corrupt-1' },
          { label: null, aside: '/d/profiles/p.json.corrupt-1' },
        ],
      ),
    ).toBe(
      'Some saved data was damaged and was left out: org "a", the settings (the defaults are used). Everything else was recovered. The original file was kept as /d/s.json. ' +
        'The saved tokens of "Acme" were damaged and were kept as /d/orgs/a.json.corrupt-1; sign in to it again. ' +
        'The saved tokens of one entry were damaged and were kept as /d/profiles/p.json.corrupt-1; sign in to it again.',
    );
  });

  describe('through the vault', () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ dir, cleanup } = await tempDir()));
    afterEach(() => cleanup());

    it('reports a damaged token file found on open by the org it belongs to', async () => {
      const vault = await openTestVault(dir);
      await vault.saveOrg(sampleOrg('o1', { label: 'Acme' }));
      await vault.saveTokens('o1', [{ meta: sampleMeta('access'), value: 'access-1' }]);
      await vault.close();
      await writeFile(join(dir, 'orgs/o1.json'), 'not json');
      const again = await openTestVault(dir);
      expect(again.status().recovery).toMatch(
        new RegExp(`^The saved tokens of "Acme" were damaged and were kept as ${join(dir, 'orgs/o1.json.corrupt-')}`),
      );
      await again.close();
    });
  });
});
