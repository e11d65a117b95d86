/**
 * The pages the listener shows the browser: the success page naming the org, the user and the app, the
 * error pages, all self-contained (no script, nothing loaded), never cached, everything echoed escaped.
 * Served over real HTTP on 127.0.0.1 by the listener, and rendered directly.
 */
import { describe, expect, it } from 'vitest';
import { renderErrorPage, renderSuccessPage } from '../../main/oauth/callback-page';
import { startLoopbackListener } from '../../main/oauth/loopback-listener';
import { freePort } from '../servers/browser-login';

const STATE = 'S'.repeat(43);
const get = (url: string) => fetch(url, { redirect: 'manual' });

async function start() {
  const port = await freePort();
  const listener = await startLoopbackListener({
    redirectUri: `http://localhost:${port}/OauthRedirect`,
    expectedState: STATE,
  });
  return { listener, base: `http://localhost:${port}`, callback: `http://localhost:${port}/OauthRedirect` };
}

/** Nothing a page may load or run. */
const EXTERNAL = /<script|<link|<img|<iframe|src=|href=|url\(|@import|https?:\/\//i;

describe('callback pages, served by the listener', () => {
  it('serves a self-contained success page that names the org, the user and the app', async () => {
    const { listener, callback, base } = await start();
    await get(`${callback}?code=c&state=${STATE}`);
    const page = get(`${base}/done`);
    // The page waits for the flow to say how it ended.
    await new Promise((r) => setTimeout(r, 50));
    listener.finish({ ok: true, app: 'Inspector <test> app', org: 'Acme', username: 'ada@acme.example' });
    const response = await page;
    const html = await response.text();
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('Signed in to Acme');
    expect(html).toContain('ada@acme.example');
    expect(html).toContain('Inspector &#60;test&#62; app');
    expect(html).toMatch(/close this tab/);
    // No script, no external resources of any kind.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href=|url\(|@import|https?:\/\//i);
  });

  it('serves the error pages with the same headers, framed by nothing', async () => {
    const { listener, base } = await start();
    const response = await get(`${base}/favicon.ico`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toContain('<h1>Not found</h1>');
    listener.close();
  });
});

describe('renderSuccessPage', () => {
  it('says which org, which user and which app, or the caller’s own title and detail', () => {
    const full = renderSuccessPage({ app: 'Inspector app', org: 'Acme', username: 'ada@acme.example' });
    expect(full).toContain('<title>Signed in to Acme · SF Token Inspector</title>');
    expect(full).toContain('<h1>Signed in to Acme</h1>');
    expect(full).toContain('ada@acme.example is connected through Inspector app.');
    const bare = renderSuccessPage({});
    expect(bare).toContain('<h1>Signed in</h1>');
    expect(bare).toContain('Your user is connected. SF Token Inspector has the tokens now.');
    const own = renderSuccessPage({ org: 'Acme', title: 'Back to the app', detail: 'Return to the app.' });
    expect(own).toContain('<h1>Back to the app</h1>');
    expect(own).toContain('<p>Return to the app.</p>');
    expect(own).not.toContain('Acme');
    for (const html of [full, bare, own]) {
      expect(html).toMatch(/close this tab/);
      expect(html).toContain('✓');
      expect(html).not.toMatch(EXTERNAL);
    }
  });
});

describe('renderErrorPage', () => {
  it('escapes everything it echoes, in the title and the text', () => {
    const html = renderErrorPage(`<img src=x onerror="a('1')">`, '`&` <script>');
    expect(html).toContain('<h1>&#60;img src=x onerror=&#34;a(&#39;1&#39;)&#34;&#62;</h1>');
    expect(html).toContain('<title>&#60;img src=x onerror=&#34;a(&#39;1&#39;)&#34;&#62; · SF Token Inspector</title>');
    expect(html).toContain('<p>&#96;&#38;&#96; &#60;script&#62;</p>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('>!</div>');
    expect(html).not.toContain('✓');
  });
});
