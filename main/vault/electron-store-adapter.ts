import ElectronStore from 'electron-store';
import type { StoreFactory } from './metadata-store';

/** In Electron the metadata store is electron-store (which extends conf, the store the tests use). */
export const electronStoreFactory: StoreFactory = (options) => new ElectronStore(options);
