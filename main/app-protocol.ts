import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

/**
 * The renderer is served from a privileged custom scheme, `app://renderer/…`, not from `file://`: the sender
 * check can then trust exactly one origin (a `file:` URL could be any file on disk), and the
 * `grantFileProtocolExtraPrivileges` fuse can stay off. See Electron's security checklist, "Use a custom
 * protocol instead of file://".
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** For `protocol.registerSchemesAsPrivileged`, before `ready`: a standard, secure origin that may fetch itself. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
} as const;

/** Content types of the files the built renderer has. */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * The `protocol.handle` handler for `app://renderer/…`: files under `rootDir` only (no `..`, no other host,
 * no directory listing), each with the app's CSP. Anything else is a 404.
 */
export function appProtocolHandler(rootDir: string, csp: string): (request: Request) => Promise<Response> {
  const root = normalize(rootDir);
  return async (request) => {
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || request.method !== 'GET') {
      return new Response('Not found', { status: 404 });
    }
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root + sep) || path.includes('\0')) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': csp,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}

export interface RendererSource {
  /** What the window loads. */
  url: string;
  /** The only origin the IPC sender check accepts. */
  origin: string;
  /** True for the Vite dev server (dev CSP, dev tools). */
  dev: boolean;
}

/**
 * Where the window's page comes from. `ELECTRON_RENDERER_URL` (set by `electron-vite dev`) is honoured only
 * when the app is not packaged and only for a loopback http server: a packaged app always loads its own files.
 */
export function rendererSource(isPackaged: boolean, env: NodeJS.ProcessEnv): RendererSource {
  const devUrl = env['ELECTRON_RENDERER_URL'];
  if (!isPackaged && devUrl) {
    const url = new URL(devUrl);
    if (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
      return { url: url.href, origin: originOf(url.href), dev: true };
    }
  }
  return { url: APP_URL, origin: APP_ORIGIN, dev: false };
}

/**
 * `scheme://host[:port]` of a URL. Node's URL gives `origin: 'null'` for schemes it does not know (such as
 * `app:`), while Chromium treats a registered standard scheme as a real origin, so this is computed by hand.
 */
export function originOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

/**
 * The user-data folder: a development build (`npm start`, `npm run dev`) keeps its own, so it never shares
 * orgs, tokens or the single-instance lock (which Electron keys on this folder) with the installed app.
 */
export function userDataFolder(defaultFolder: string, isPackaged: boolean): string {
  return isPackaged ? defaultFolder : `${defaultFolder}-dev`;
}
