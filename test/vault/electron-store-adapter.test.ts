/**
 * The production store factory: real electron-store 11 (`electron` is test/fakes/electron-for-store.ts, which
 * records every IPC channel a listener was added for).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronStoreFactory } from '../../main/vault/electron-store-adapter';
import { openMetadataStore } from '../../main/vault/metadata-store';
import { ipcMain } from '../fakes/electron-for-store';
import { openTestVault, tempDir } from '../support/vault';

/** The channel electron-store's constructor listens on (node_modules/electron-store/index.js). */
const ELECTRON_STORE_CHANNEL = 'electron-store-get-data';

describe('electron-store factory', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  const open = () => openMetadataStore(dir, electronStoreFactory);

  it('leaves no electron-store IPC listener behind (no channel outside the sender check)', async () => {
    const vault = await openTestVault(dir);
    open();
    // electron-store really ran against the fake and registered its listener; the factory removed it.
    expect(ipcMain.registered).toContain(ELECTRON_STORE_CHANNEL);
    expect(ipcMain.listenerCount(ELECTRON_STORE_CHANNEL)).toBe(0);
    expect(ipcMain.eventNames()).toEqual([]);
    await vault.close();
  });
});
