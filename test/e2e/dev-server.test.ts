/**
 * `npm run dev` renders with its styles: the renderer from Vite's dev server (the same renderer config the
 * build uses) in Chromium, under the policy main sends in development. The production policy would leave the
 * page unstyled, which the second test shows, so the first cannot pass by accident.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';
import config from '../../electron.vite.config';
import { RENDERER_CSP, rendererCsp } from '../../main/csp';
import { testHandlers, type TestServices } from '../support/test-services';
import { startHarness } from './harness';

async function devServer(csp: string): Promise<ViteDevServer> {
  const renderer = (config as { renderer: Record<string, unknown> }).renderer;
  const server = await createServer({
    ...renderer,
    configFile: false,
    root: 'renderer',
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, strictPort: false, headers: { 'Content-Security-Policy': csp } },
  });
  return server.listen();
}

async function bodyStyle(csp: string) {
  const server = await devServer(csp);
  const harness = await startHarness({ rendererUrl: server.resolvedUrls!.local[0]! });
  const services: TestServices = await testHandlers();
  try {
    const app = await harness.open(services.handlers);
    await app.page.getByRole('heading').first().waitFor();
    const style = await app.page.evaluate(() => {
      const s = getComputedStyle(document.body);
      return { margin: s.margin, fontSize: s.fontSize };
    });
    return { style, problems: app.problems };
  } finally {
    await services.close();
    await harness.close();
    await server.close();
  }
}

describe('the dev server', () => {
  let dev: Awaited<ReturnType<typeof bodyStyle>>;
  let production: Awaited<ReturnType<typeof bodyStyle>>;
  beforeAll(async () => {
    dev = await bodyStyle(rendererCsp('dev'));
    production = await bodyStyle(RENDERER_CSP);
  });

  it('renders with the app’s styles and no CSP violation under the dev policy', () => {
    expect(dev.style).toEqual({ margin: '0px', fontSize: '14px' });
    expect(dev.problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
  });

  it('would render unstyled under the production policy (what `npm run dev` did before)', () => {
    expect(production.style).not.toEqual({ margin: '0px', fontSize: '14px' });
    expect(production.problems.some((p) => /Content Security Policy|style-src/i.test(p))).toBe(true);
  });
});
