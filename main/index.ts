import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as electron from 'electron';
import { startApp } from './app';
import { createHandlers } from './services';

const rendererUrl = process.env['ELECTRON_RENDERER_URL'] ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;

void startApp(electron, {
  preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
  rendererUrl,
  platform: process.platform,
  onError: (e) => console.error('Unexpected error in a bridge handler:', e instanceof Error ? e.name : typeof e),
  createHandlers: async () =>
    createHandlers({
      appName: electron.app.getName(),
      version: electron.app.getVersion(),
      platform: process.platform,
      storageStatus: () => ({ backend: 'unavailable', persistent: false, weakStorageOptIn: false, banner: null, recovery: null }),
    }),
}).catch((e: unknown) => {
  console.error('The app could not start:', e);
  electron.app.quit();
});
