import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  APP_URL,
  appProtocolHandler,
  originOf,
  rendererSource,
  userDataFolder,
} from '../../main/app-protocol';
import { RENDERER_CSP } from '../../main/csp';

describe('app://renderer, the scheme the window loads from', () => {
  let root: string;
  let outside: string;
  let serve: (request: Request) => Promise<Response>;
  beforeAll(async () => {
    const base = await mkdtemp(join(tmpdir(), 'sfti-scheme-'));
    root = join(base, 'renderer');
    outside = join(base, 'secret.txt');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(join(root, 'assets', 'index.js'), 'console.log(1)');
    await writeFile(outside, 'not for the renderer');
    serve = appProtocolHandler(root, RENDERER_CSP);
  });
  afterAll(() => rm(join(root, '..'), { recursive: true, force: true }));

  it('serves the built files with their type and the CSP', async () => {
    const page = await serve(new Request(APP_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(await page.text()).toContain('<title>app</title>');
    const script = await serve(new Request(`${APP_ORIGIN}/assets/index.js`));
    expect(script.headers.get('content-type')).toMatch(/text\/javascript/);
    expect((await serve(new Request(`${APP_ORIGIN}/`))).status).toBe(200);
  });

  it('serves nothing outside the folder, from another host, or that does not exist', async () => {
    for (const url of [
      `${APP_ORIGIN}/../secret.txt`,
      `${APP_ORIGIN}/%2e%2e/secret.txt`,
      `${APP_ORIGIN}/assets/%2e%2e%2f%2e%2e%2fsecret.txt`,
      `${APP_ORIGIN}/%00index.html`,
      'app://other/index.html',
      `${APP_ORIGIN}/missing.js`,
      `${APP_ORIGIN}/assets`,
    ]) {
      const r = await serve(new Request(url));
      expect([r.status, url]).toEqual([404, url]);
      expect(await r.text()).not.toContain('not for the renderer');
    }
    expect((await serve(new Request(`${APP_ORIGIN}/%E0%A4%A`))).status).toBe(400);
    expect((await serve(new Request(APP_URL, { method: 'POST', body: 'x' }))).status).toBe(404);
  });

  it('has one origin, computed the way Chromium sees a standard scheme', () => {
    expect(APP_ORIGIN).toBe('app://renderer');
    expect(originOf(APP_URL)).toBe(APP_ORIGIN);
    expect(originOf('http://localhost:5173/index.html')).toBe('http://localhost:5173');
  });
});

describe('rendererSource', () => {
  const dev = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };
  it('loads the built renderer in a packaged app whatever ELECTRON_RENDERER_URL says', () => {
    expect(rendererSource(true, dev)).toEqual({ url: APP_URL, origin: APP_ORIGIN, dev: false });
    expect(rendererSource(true, {})).toEqual({ url: APP_URL, origin: APP_ORIGIN, dev: false });
  });
  it('uses the dev server only in development, and only on loopback http', () => {
    expect(rendererSource(false, dev)).toEqual({
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
      dev: true,
    });
    expect(rendererSource(false, { ELECTRON_RENDERER_URL: 'https://evil.example/' }).url).toBe(APP_URL);
    expect(rendererSource(false, { ELECTRON_RENDERER_URL: 'file:///tmp/x.html' }).url).toBe(APP_URL);
    expect(rendererSource(false, {}).url).toBe(APP_URL);
  });
});

describe('userDataFolder', () => {
  it('keeps development builds apart from the installed app (data and single-instance lock)', () => {
    expect(userDataFolder('/home/u/.config/SF Token Inspector', true)).toBe('/home/u/.config/SF Token Inspector');
    expect(userDataFolder('/home/u/.config/SF Token Inspector', false)).toBe('/home/u/.config/SF Token Inspector-dev');
  });
});
