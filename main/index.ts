import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as electron from 'electron';
import { startApp } from './app';
import { isLoopbackUrl } from './oauth/http';
import { createHandlers } from './services';
import { electronStoreFactory } from './vault/electron-store-adapter';
import { SafeStorageCipher } from './vault/safe-storage-cipher';
import { Vault } from './vault/vault';

const { app, clipboard, dialog, safeStorage, shell } = electron;
const rendererUrl =
  process.env['ELECTRON_RENDERER_URL'] ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;

/** The system browser opens sign-in pages and org links: https only, or http on loopback for local servers. */
async function openExternal(url: string): Promise<void> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackUrl(parsed))) {
    throw new Error('Only https links are opened in the browser.');
  }
  await shell.openExternal(parsed.href);
}

void startApp(electron, {
  preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
  rendererUrl,
  platform: process.platform,
  onError: (e) => console.error('Unexpected error in a bridge handler:', e instanceof Error ? e.name : typeof e),
  createHandlers: async (getWindow) => {
    // Only now, after `ready`, may secrets be encrypted (SECURITY.md item 17).
    const cipher = await SafeStorageCipher.create(safeStorage, () => app.isReady(), process.platform);
    const vault = await Vault.open({ dataDir: app.getPath('userData'), cipher, storeFactory: electronStoreFactory });
    const handlers = createHandlers({
      appName: app.getName(),
      version: app.getVersion(),
      platform: process.platform,
      vault,
      openExternal,
      writeClipboard: (text) => clipboard.writeText(text),
      dialogs: {
        async saveJson(suggestedName, content) {
          const win = getWindow();
          const options = { defaultPath: suggestedName, filters: [{ name: 'JSON', extensions: ['json'] }] };
          const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
          if (r.canceled || !r.filePath) return null;
          await writeFile(r.filePath, content, { mode: 0o600 });
          return r.filePath;
        },
        async openJson() {
          const win = getWindow();
          const options = { properties: ['openFile' as const], filters: [{ name: 'JSON', extensions: ['json'] }] };
          const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
          const file = r.filePaths[0];
          return r.canceled || !file ? null : readFile(file, 'utf8');
        },
      },
    });
    app.on('before-quit', () => handlers.close());
    return handlers;
  },
}).catch((e: unknown) => {
  console.error('The app could not start:', e);
  app.quit();
});
