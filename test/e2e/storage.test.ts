/**
 * Story: on Linux without a keyring the app says plainly that tokens live only for the session, and the
 * user can opt in to weak storage; after a damaged store file the app starts and says what it recovered.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmCipher } from '../support/aes-gcm-cipher';
import type { Cipher } from '../../main/vault/cipher';
import { testHandlers } from '../support/test-services';
import { tempDir, TEST_KEY } from '../support/vault';
import { startHarness, type Harness } from './harness';

describe('storage status in the UI', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await startHarness()));
  afterAll(() => harness?.close());

  it('shows the no-keyring banner and lets the user opt in to weak storage', async () => {
    const inner = new AesGcmCipher(TEST_KEY);
    const basicText: Cipher = {
      backend: 'basic-text',
      encrypt: (p) => inner.encrypt(p),
      decrypt: (s) => inner.decrypt(s),
    };
    const services = await testHandlers({ cipher: basicText });
    const app = await harness.open(services.handlers);
    try {
      const banner = app.page.getByRole('status').filter({ hasText: 'keyring' });
      await expect.poll(() => banner.innerText()).toMatch(/kept only until you quit/);
      expect(services.vault.persistsSecrets).toBe(false);
      await banner.getByRole('button', { name: 'Save tokens with weak protection' }).click();
      await expect.poll(() => banner.innerText()).toMatch(/saved with weak protection/);
      expect(services.vault.persistsSecrets).toBe(true);
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
      await services.close();
    }
  });

  it('starts after a damaged store file and says what it recovered', async () => {
    const { dir, cleanup } = await tempDir();
    await writeFile(join(dir, 'store.json'), '{"orgs": {"x": ');
    const services = await testHandlers({ dataDir: dir });
    const app = await harness.open(services.handlers);
    try {
      await expect
        .poll(() => app.page.getByRole('status').allInnerTexts())
        .toContainEqual(expect.stringMatching(/could not be read.*kept as .*store\.corrupt-/));
      expect(await app.page.getByText('No orgs yet.').isVisible()).toBe(true);
    } finally {
      await app.close();
      await services.close();
      await cleanup();
    }
  });
});
