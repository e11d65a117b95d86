import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as electron from 'electron';
import { startApp } from './app';
import { rendererSource, userDataFolder } from './app-protocol';
import { externalOpener } from './external-url';
import { netFetch } from './net/net-fetch';
import { electronNotifier } from './notifier-electron';
import { createHandlers } from './services';
import { reportStartupFailure } from './startup';
import { electronStoreFactory } from './vault/electron-store-adapter';
import { SafeStorageCipher } from './vault/safe-storage-cipher';
import { Vault } from './vault/vault';

const { app, clipboard, dialog, net, Notification, safeStorage, shell } = electron;

// Before anything reads it (the single-instance lock is keyed on this folder too).
app.setPath('userData', userDataFolder(app.getPath('userData'), app.isPackaged));

/**
 * The system browser opens sign-in pages, device verification pages and org links, under the one external-URL
 * policy (main/external-url.ts): https without credentials, a local host only on the operation's own server.
 */
const openExternal = externalOpener((href) => shell.openExternal(href));

void startApp(electron, {
  preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
  renderer: rendererSource(app.isPackaged, process.env),
  rendererDir: join(import.meta.dirname, '../renderer'),
  isPackaged: app.isPackaged,
  platform: process.platform,
  onError: (e) => console.error('Unexpected error in a bridge handler:', e instanceof Error ? e.name : typeof e),
  createHandlers: async (getWindow) => {
    // Only now, after `ready`, may secrets be encrypted (safeStorage is usable only after `ready`; docs/SECURITY.md).
    const cipher = await SafeStorageCipher.create(safeStorage, () => app.isReady(), process.platform);
    const vault = await Vault.open({
      dataDir: app.getPath('userData'),
      cipher,
      storeFactory: electronStoreFactory,
      // startApp holds the single-instance lock (keyed on this folder) before handlers are created.
      staleLocksOnly: true,
    });
    const handlers = createHandlers({
      appName: app.getName(),
      version: app.getVersion(),
      platform: process.platform,
      vault,
      openExternal,
      now: Date.now,
      // The Salesforce CLI is looked for on the user's PATH, in their home folder and the usual install folders.
      cli: { env: process.env, homeDir: homedir() },
      // "Open in…" a browser the user names: looked for on the PATH, in Applications, in Program Files.
      browsers: { platform: process.platform, env: process.env, homeDir: homedir() },
      // System proxy, PAC and the OS certificate store, as the user's browser has them.
      http: { fetch: netFetch(net) },
      writeClipboard: (text) => clipboard.writeText(text),
      // Health in the background (main/orgs/health-monitor.ts): real timers, and the system's notifications.
      scheduler: {
        after(ms, run) {
          const timer = setTimeout(() => {
            run().catch((e: unknown) =>
              console.error('Background health work failed:', e instanceof Error ? e.name : e),
            );
          }, ms);
          return () => clearTimeout(timer);
        },
      },
      notifier: electronNotifier(Notification, getWindow),
      dialogs: {
        async saveFile(suggestedName, content) {
          const win = getWindow();
          const csv = suggestedName.endsWith('.csv');
          const filters = [csv ? { name: 'CSV', extensions: ['csv'] } : { name: 'JSON', extensions: ['json'] }];
          const options = { defaultPath: suggestedName, filters };
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
    // Let queued writes finish and release the vault's lock before the process ends.
    let vaultClosed = false;
    app.on('will-quit', (event) => {
      if (vaultClosed) return;
      event.preventDefault();
      void vault.close().finally(() => {
        vaultClosed = true;
        app.quit();
      });
    });
    return handlers;
  },
}).catch((e: unknown) => reportStartupFailure(e, { dialog, app }));
