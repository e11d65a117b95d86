import { ipcMain } from 'electron';
import ElectronStore from 'electron-store';
import type { StoreFactory } from './metadata-store';

/** The channel electron-store's constructor listens on, for `initRenderer` (a renderer using the store). */
const ELECTRON_STORE_CHANNEL = 'electron-store-get-data';

/**
 * The metadata store in the app (and in the Node tests, where `electron` is a fake). No renderer uses
 * electron-store, so the IPC listener its constructor registers is removed at once: every channel the app
 * answers goes through the sender check in main/ipc/register.ts.
 */
export const electronStoreFactory: StoreFactory = (options) => {
  const store = new ElectronStore(options);
  ipcMain.removeAllListeners(ELECTRON_STORE_CHANNEL);
  return store;
};
