import type { App, BrowserWindow as BrowserWindowType, IpcMain, Protocol, Session, Shell } from 'electron';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler, type RendererSource } from './app-protocol';
import { rendererCsp } from './csp';
import { registerIpc } from './ipc/register';
import { createRouter } from './ipc/router';
import type { Handlers } from '../preload/contract';
import { argumentSchemas } from './ipc/schemas';
import { warmUpDecoder } from './tokens/inspect-token';
import { hardenSession, hardenWindow, mainWindowOptions } from './window';

/** The parts of the `electron` module the lifecycle uses; tests pass a small fake. */
export interface ElectronModule {
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on' | 'whenReady'>;
  BrowserWindow: new (options: Electron.BrowserWindowConstructorOptions) => BrowserWindowType;
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  shell: Pick<Shell, 'openExternal'>;
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  session: {
    defaultSession: Pick<Session, 'webRequest' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;
  };
}

export interface StartOptions {
  preloadPath: string;
  /** What the window loads: the built renderer at `app://renderer/`, or (development only) the dev server. */
  renderer: RendererSource;
  /** The built renderer's folder, served at `app://renderer/`. */
  rendererDir: string;
  /** A packaged app has no dev tools. */
  isPackaged: boolean;
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
  const csp = rendererCsp(options.renderer.dev ? 'dev' : 'production');
  // Before `ready`, or the scheme is not a secure standard origin.
  electron.protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
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
  hardenSession(electron.session.defaultSession, csp);
  electron.protocol.handle(APP_SCHEME, appProtocolHandler(options.rendererDir, csp));

  const handlers = await options.createHandlers(getWindow);
  registerIpc(
    electron.ipcMain,
    createRouter(handlers, argumentSchemas, options.onError),
    () => win?.webContents ?? null,
    options.renderer.origin,
  );

  const openWindow = async () => {
    win = new electron.BrowserWindow(mainWindowOptions(options.preloadPath, !options.isPackaged));
    hardenWindow(win, electron.shell, options.renderer.url);
    win.once('ready-to-show', () => {
      win?.show();
      // In idle time after the window is up, so that the user's first paste decodes at full speed.
      void warmUpDecoder();
    });
    win.on('closed', () => {
      win = null;
    });
    await win.loadURL(options.renderer.url);
  };
  app.on('activate', () => {
    if (win === null) void openWindow();
  });
  await openWindow();
  return { getWindow };
}
