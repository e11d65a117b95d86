/**
 * The proof harness: the built renderer in Debian's Chromium, with `window.api` made by the real preload
 * factory and wired to the real main router through a Playwright binding. Only Electron's IPC pipe is
 * replaced, and both directions go through structured clone as they do in Electron. docs/harness.md lists what
 * each substitution could hide.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CONTENT_TYPES } from '../../main/app-protocol';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';
import { RENDERER_CSP } from '../../main/csp';
import { createRouter, type Router } from '../../main/ipc/router';
import type { Handlers } from '../../preload/contract';
import { argumentSchemas } from '../../main/ipc/schemas';
import { isTrustedSender } from '../../main/ipc/sender';
import { RENDERER_COVERAGE_ENV, startPageCoverage } from '../coverage/page-coverage';

export { CHROMIUM_ARGS, CHROMIUM_PATH };
export const RENDERER_DIR = resolve('out/renderer');
export const WINDOW_SIZE = { width: 1280, height: 800 };

/** Serves the built renderer on 127.0.0.1 with the same CSP the app sends. */
export async function serveRenderer(dir = RENDERER_DIR): Promise<{ url: string; close: () => Promise<void> }> {
  await stat(join(dir, 'index.html')).catch(() => {
    throw new Error(`No built renderer at ${dir}: run "npm run build" first.`);
  });
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
      const file = join(dir, path === '' ? 'index.html' : path);
      if (!file.startsWith(dir)) return res.writeHead(403).end();
      try {
        const body = await readFile(file);
        res.writeHead(200, {
          'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': RENDERER_CSP,
          'Cache-Control': 'no-store',
        });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}/index.html`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

let factoryBundle: Promise<string> | null = null;

/** The real `preload/api-factory.ts`, bundled for the page. */
export function preloadFactoryBundle(): Promise<string> {
  factoryBundle ??= build({
    entryPoints: [resolve('preload/api-factory.ts')],
    bundle: true,
    format: 'iife',
    globalName: '__preloadFactory',
    platform: 'browser',
    write: false,
  }).then((r) => r.outputFiles[0]?.text ?? '');
  return factoryBundle;
}

export interface AppPage {
  page: Page;
  context: BrowserContext;
  router: Router;
  /** Every bridge call the page made, in order (method names only). */
  calls: string[];
  /** Console errors and page errors seen so far (CSP violations show up here). */
  problems: string[];
  close(): Promise<void>;
}

/** One bridge call as it crossed: the method, the argument the page sent and the answer main sent back. */
export interface BridgeMessage {
  method: string;
  arg: unknown;
  result: unknown;
}

export interface Harness {
  browser: Browser;
  rendererUrl: string;
  /** `record`: every bridge call of the page is appended to it, with its argument and answer. */
  open(handlers: Handlers, options?: { colorScheme?: 'light' | 'dark'; record?: BridgeMessage[] }): Promise<AppPage>;
  close(): Promise<void>;
}

/** `rendererUrl`: load the page from another server (the Vite dev server) instead of the built files. */
export async function startHarness(options: { rendererUrl?: string } = {}): Promise<Harness> {
  const server = options.rendererUrl
    ? { url: options.rendererUrl, close: () => Promise.resolve() }
    : await serveRenderer();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const origin = new URL(server.url).origin;
  const bundle = await preloadFactoryBundle();
  // `npm run coverage` only: each page of the built renderer records Chromium's JS coverage (see
  // test/coverage/page-coverage.ts). Pages still open when the harness closes are written then.
  const coverageDir = options.rendererUrl === undefined ? process.env[RENDERER_COVERAGE_ENV] : undefined;
  const coverageStops = new Set<() => Promise<void>>();

  return {
    browser,
    rendererUrl: server.url,
    async open(handlers, options = {}) {
      const context = await browser.newContext({
        viewport: WINDOW_SIZE,
        colorScheme: options.colorScheme ?? 'light',
        reducedMotion: 'reduce',
      });
      // The page may only load from loopback servers: tests never touch the internet.
      await context.route(/^(?!https?:\/\/(127\.0\.0\.1|localhost)[:/]).*/, (route) => {
        problems.push(`blocked a request off loopback: ${route.request().url()}`);
        return route.abort();
      });
      const router = createRouter(handlers, argumentSchemas, (e) => problems.push(`handler threw: ${String(e)}`));
      const calls: string[] = [];
      const problems: string[] = [];
      await context.exposeBinding('__sftiInvoke', async (source, method: unknown, arg: unknown) => {
        // The same check Electron's registration makes: our page's main frame, our origin.
        const trusted = isTrustedSender(
          { url: source.frame.url(), isOurMainFrame: source.frame === source.page.mainFrame() },
          origin,
        );
        if (!trusted) return { value: { ok: false, error: { code: 'ipc/forbidden_sender', message: 'refused' } } };
        calls.push(String(method));
        // Electron's IPC serialises results with V8's structured clone: a function or class instance in a
        // result fails or loses its prototype there, so it must here too (Node's structuredClone is the same).
        const result = structuredClone(await router.dispatch(String(method), arg));
        options.record?.push({ method: String(method), arg, result });
        // Playwright's own serialisation of a large result is far slower than Electron's IPC (seconds for the
        // org list of 500 orgs). Plain data crosses as JSON text instead, when JSON carries it exactly (no
        // undefined, NaN, Date, ...); anything else goes Playwright's way.
        const json = JSON.stringify(result);
        return isDeepStrictEqual(JSON.parse(json), result) ? { json } : { value: result };
      });
      await context.addInitScript(
        `${bundle}
        Object.defineProperty(window, 'api', {
          // contextBridge and ipcRenderer.invoke structured-clone every argument: a Svelte $state proxy, a
          // function or a DOM object throws "could not be cloned" in Electron, so it throws here too.
          value: Object.freeze(
            __preloadFactory.createApi((m, a) =>
              window.__sftiInvoke(m, structuredClone(a)).then((r) => ('json' in r ? JSON.parse(r.json) : r.value)),
            ),
          ),
          enumerable: true,
        });`,
      );
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      if (coverageDir) {
        const stop = await startPageCoverage(page, { dir: coverageDir, rendererDir: RENDERER_DIR, origin });
        coverageStops.add(stop);
        await page.goto(server.url);
        const close = async () => {
          coverageStops.delete(stop);
          await stop();
          await context.close();
        };
        return { page, context, router, calls, problems, close };
      }
      await page.goto(server.url);
      return { page, context, router, calls, problems, close: () => context.close() };
    },
    async close() {
      for (const stop of coverageStops) await stop();
      coverageStops.clear();
      await browser.close();
      await server.close();
    },
  };
}
