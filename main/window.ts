import type { BrowserWindow, BrowserWindowConstructorOptions, Session, Shell } from 'electron';
import { safeExternalHref } from './external-url';

/**
 * The hardened window options (docs/SECURITY.md, "The window and the bridge"). Exported so tests can check every flag. Dev tools exist
 * only in development builds.
 */
export function mainWindowOptions(preloadPath: string, devTools: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    show: false,
    title: 'SF Token Inspector',
    backgroundColor: '#111418',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      safeDialogs: true,
      navigateOnDragDrop: false,
      devTools,
    },
  };
}

/** Sends the CSP with every response and denies every permission request (camera, notifications, ...). */
export function hardenSession(
  session: Pick<Session, 'webRequest' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  csp: string,
): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Denies navigation away from the app and every `window.open`; `https:` targets without credentials open in
 * the system browser instead (main/external-url.ts, with no trusted origin: never a local host).
 */
export function hardenWindow(win: BrowserWindow, shell: Pick<Shell, 'openExternal'>, appUrl: string): void {
  const contents = win.webContents;
  contents.on('will-navigate', (event, url) => {
    if (url !== appUrl) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (url !== appUrl) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const href = safeExternalHref(url);
    // No browser to hand the link to is nothing the page can act on; the link simply does not open.
    if (href !== null) shell.openExternal(href).catch(() => undefined);
    return { action: 'deny' };
  });
}
