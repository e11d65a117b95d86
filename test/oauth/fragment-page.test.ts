/**
 * The user-agent flow's callback page: one inline script, allowed by its hash and nothing else, that clears the
 * fragment from the address bar before it does anything with it. It runs in Chromium in
 * test/e2e/user-agent.test.ts; here its headers and its text.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendFragmentPage } from '../../main/oauth/fragment-page';

let url = '';
const server = createServer((_req, res) => sendFragmentPage(res));
beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/OauthRedirect`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('the fragment page', () => {
  it('is sent never cached, without a referrer, not framed, under a CSP that allows only its own script', async () => {
    const r = await fetch(url);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toMatch(/^default-src 'none'; /);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).not.toMatch(/unsafe-inline'[^;]*script|script-src[^;]*unsafe/);

    const html = await r.text();
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    // Nothing loaded from anywhere.
    expect(html).not.toMatch(/\bsrc=|\bhref=|@import|url\(/);
  });

  it('clears the fragment before it posts it, and only ever sets text', async () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(await (await fetch(url)).text())![1]!;
    expect(script.indexOf('history.replaceState')).toBeGreaterThan(script.indexOf('location.hash'));
    expect(script.indexOf('history.replaceState')).toBeLessThan(script.indexOf('fetch('));
    expect(script).not.toMatch(/innerHTML|console\.|document\.write|eval\(/);
    expect(script).toContain("credentials: 'omit'");
  });
});
