import type { App, BrowserWindow as BrowserWindowType, IpcMain, Session, Shell } from 'electron';
import { registerIpc } from './ipc/register';
import { createRouter, type Handlers } from './ipc/router';
import { argumentSchemas } from './ipc/schemas';
import { hardenSession, hardenWindow, mainWindowOptions } from './window';

/** The parts of the `electron` module the lifecycle uses; tests pass a small fake. */
export interface ElectronModule {
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on' | 'whenReady'>;
  BrowserWindow: new (options: Electron.BrowserWindowConstructorOptions) => BrowserWindowType;
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  shell: Pick<Shell, 'openExternal'>;
  session: {
    defaultSession: Pick<Session, 'webRequest' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;
  };
}

export interface StartOptions {
  preloadPath: string;
  /** The dev server URL, or a `file://` URL of the built `index.html`. */
  rendererUrl: string;
  platform: NodeJS.Platform;
  /** Builds the bridge handlers once the app is ready (encryption is only allowed after `ready`). */
  createHandlers: (getWindow: () => BrowserWindowType | null) => Promise<Handlers>;
  onError?: (e: unknown) => void;
}

/**
 * App lifecycle: single-instance lock, hardened session and window, IPC registered before the window
 * loads. Returns null when another instance already runs (this one quits).
 */
export async function startApp(
  electron: ElectronModule,
  options: StartOptions,
): Promise<{ getWindow: () => BrowserWindowType | null } | null> {
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  let win: BrowserWindowType | null = null;
  const getWindow = () => win;

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => {
    if (options.platform !== 'darwin') app.quit();
  });
  // Any web contents, including ones we did not create, may neither open windows nor navigate away.
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  await app.whenReady();
  hardenSession(electron.session.defaultSession);

  const handlers = await options.createHandlers(getWindow);
  const allowedOrigin = options.rendererUrl.startsWith('file:') ? 'file://' : new URL(options.rendererUrl).origin;
  registerIpc(
    electron.ipcMain,
    createRouter(handlers, argumentSchemas, options.onError),
    () => win?.webContents ?? null,
    allowedOrigin,
  );

  const openWindow = async () => {
    win = new electron.BrowserWindow(mainWindowOptions(options.preloadPath));
    hardenWindow(win, electron.shell, options.rendererUrl);
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => {
      win = null;
    });
    await win.loadURL(options.rendererUrl);
  };
  app.on('activate', () => {
    if (win === null) void openWindow();
  });
  await openWindow();
  return { getWindow };
}
