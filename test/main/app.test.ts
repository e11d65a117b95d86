import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../../main/app';
import { APP_URL, rendererSource, type RendererSource } from '../../main/app-protocol';
import { RENDERER_CSP, rendererCsp } from '../../main/csp';
import type { Handlers } from '../../preload/contract';
import { CHANNEL_PREFIX } from '../../preload/contract';
import { createFakeElectron, FakeBrowserWindow, FakeFrame } from '../fakes/electron';
import { testHandlers } from '../support/test-services';

const RENDERER_URL = APP_URL;

async function start(
  options: { gotLock?: boolean; handlers?: Handlers; renderer?: RendererSource; isPackaged?: boolean } = {},
) {
  const electron = createFakeElectron(options);
  const { handlers } = options.handlers ? { handlers: options.handlers } : await testHandlers();
  const started = await startApp(electron, {
    preloadPath: '/opt/app/out/preload/index.cjs',
    renderer: options.renderer ?? rendererSource(true, {}),
    rendererDir: '/opt/app/out/renderer',
    isPackaged: options.isPackaged ?? true,
    platform: 'linux',
    createHandlers: async () => handlers,
  });
  return { electron, started, win: FakeBrowserWindow.instances[0] };
}

describe('app lifecycle', () => {
  it('quits at once without a window when another instance holds the lock', async () => {
    const { electron, started } = await start({ gotLock: false });
    expect(started).toBeNull();
    expect(electron.quitCalls).toBe(1);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(electron.handlers.size).toBe(0);
  });

  it('focuses the existing window when a second instance starts', async () => {
    const { electron, win } = await start();
    electron.appEvents.emit('second-instance');
    expect(win?.focused).toBe(1);
  });

  it('opens one hardened window with the preload and the built renderer', async () => {
    const { win } = await start();
    expect(win).toBeDefined();
    const prefs = win!.options.webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/opt/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
    expect(win!.loadedUrl).toBe(RENDERER_URL);
    expect(win!.shown).toBe(true);
  });

  it('denies navigation away from the app, webviews and every window.open', async () => {
    const { electron, win } = await start();
    const wc = win!.webContents;
    expect(wc.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(wc.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(wc.fire('will-navigate', 'app://renderer/other.html')).toBe(true);
    expect(wc.fire('will-navigate', RENDERER_URL)).toBe(false);
    expect(wc.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(wc.fire('will-attach-webview')).toBe(true);

    expect(wc.windowOpenHandler!({ url: 'https://help.salesforce.com/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'http://plain.example/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(electron.opened).toEqual(['https://help.salesforce.com/']);
  });

  it('sends the strict CSP on every response and denies every permission', async () => {
    const { electron } = await start();
    let headers: Record<string, string[]> = {};
    electron.headersHook!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => {
      headers = (r as { responseHeaders: Record<string, string[]> }).responseHeaders;
    });
    expect(headers['Content-Security-Policy']).toEqual([RENDERER_CSP]);
    expect(headers['X-Other']).toEqual(['1']);
    expect(RENDERER_CSP).toContain("default-src 'self'");
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|unsafe-inline/);

    let granted: boolean | null = null;
    electron.permissionRequest!({}, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect(electron.permissionCheck!()).toBe(false);
  });

  it('repeats the same policy in index.html, so the page is protected before any header arrives', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const directives = (csp: string) => new Set(csp.split(';').map((d) => d.trim()));
    const fromHeader = directives(RENDERER_CSP);
    // frame-ancestors is ignored in a meta tag, so it only lives in the header.
    fromHeader.delete("frame-ancestors 'none'");
    expect(directives(meta!)).toEqual(fromHeader);
  });

  it('registers one IPC handler per bridge method and checks the sender of every call', async () => {
    const { electron, win } = await start();
    const channels = [...electron.handlers.keys()];
    expect(channels.length).toBeGreaterThan(1);
    expect(channels.every((c) => c.startsWith(CHANNEL_PREFIX))).toBe(true);

    const handler = electron.handlers.get(`${CHANNEL_PREFIX}inspectToken`)!;
    const wc = win!.webContents;
    const fromOurFrame = { sender: wc, senderFrame: wc.mainFrame };
    const ok = (await handler(fromOurFrame, { token: '00D000000000062!AQ0123456789' })) as { ok: boolean };
    expect(ok.ok).toBe(true);

    const subFrame = { sender: wc, senderFrame: new FakeFrame(RENDERER_URL) };
    expect(await handler(subFrame, { token: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'ipc/forbidden_sender' },
    });

    wc.mainFrame.url = 'https://evil.example/';
    expect(await handler(fromOurFrame, { token: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'ipc/forbidden_sender' },
    });

    const otherContents = { sender: {}, senderFrame: wc.mainFrame };
    expect(await handler(otherContents, { token: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'ipc/forbidden_sender' },
    });

    wc.mainFrame.url = RENDERER_URL;
    expect(await handler(fromOurFrame, { token: 42 })).toMatchObject({
      ok: false,
      error: { code: 'ipc/bad_argument' },
    });
  });

  it('registers app:// as a secure standard scheme before ready, and serves the renderer there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfti-app-'));
    try {
      await writeFile(join(dir, 'index.html'), '<!doctype html><title>built</title>');
      const electron = createFakeElectron();
      const { handlers } = await testHandlers();
      await startApp(electron, {
        preloadPath: '/opt/app/out/preload/index.cjs',
        renderer: rendererSource(true, { ELECTRON_RENDERER_URL: 'http://localhost:5173/' }),
        rendererDir: dir,
        isPackaged: true,
        platform: 'linux',
        createHandlers: async () => handlers,
      });
      expect(electron.readyBeforeSchemes).toBe(false);
      expect(electron.privilegedSchemes).toEqual([
        { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
      ]);
      const page = await electron.protocolHandlers.get('app')!(new Request(APP_URL));
      expect(await page.text()).toContain('<title>built</title>');
      expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP);
      expect(FakeBrowserWindow.instances[0]!.loadedUrl).toBe(APP_URL);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('has no dev tools when packaged, and dev tools in development', async () => {
    const packaged = await start({ isPackaged: true });
    expect(packaged.win!.options.webPreferences!.devTools).toBe(false);
    const dev = await start({ isPackaged: false });
    expect(dev.win!.options.webPreferences!.devTools).toBe(true);
  });

  it('with the dev server: loads it, trusts only its origin, and relaxes the CSP for Vite’s styles only', async () => {
    const renderer = rendererSource(false, { ELECTRON_RENDERER_URL: 'http://localhost:5173/' });
    const { electron, win } = await start({ isPackaged: false, renderer });
    expect(win!.loadedUrl).toBe('http://localhost:5173/');
    let headers: Record<string, string[]> = {};
    electron.headersHook!({ responseHeaders: {} }, (r) => {
      headers = (r as { responseHeaders: Record<string, string[]> }).responseHeaders;
    });
    expect(headers['Content-Security-Policy']).toEqual([rendererCsp('dev')]);
    expect(rendererCsp('dev')).toContain("style-src 'self' 'unsafe-inline'");
    expect(rendererCsp('dev')).toContain("script-src 'self';");
    const handler = electron.handlers.get(`${CHANNEL_PREFIX}inspectToken`)!;
    const wc = win!.webContents;
    const call = () => handler({ sender: wc, senderFrame: wc.mainFrame }, { token: '00D000000000062!AQ0123456789' });
    expect(await call()).toMatchObject({ ok: true });
    wc.mainFrame.url = APP_URL;
    expect(await call()).toMatchObject({ ok: false, error: { code: 'ipc/forbidden_sender' } });
  });
});
