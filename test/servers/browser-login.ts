/**
 * What a person does in the browser, done by a real HTTP client with a cookie jar: open the authorize
 * URL, fill the login form, press Allow or Deny, and follow the redirect back to the app's callback.
 */
import { createServer } from 'node:net';

export class CookieJar {
  readonly #cookies = new Map<string, Map<string, string>>();

  header(url: string): string {
    const jar = this.#cookies.get(new URL(url).host);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  /** A request like a browser's: this jar's cookies sent and kept, redirects not followed. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(url, response);
    return response;
  }

  store(url: string, response: Response): void {
    const host = new URL(url).host;
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const jar = this.#cookies.get(host) ?? new Map<string, string>();
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      this.#cookies.set(host, jar);
    }
  }
}

/**
 * Logs in at the Salesforce double's login page and returns where the browser is sent next: the app's
 * callback URL with `code` (or `error`) and `state`. The callback itself is not requested.
 */
export async function loginAtSalesforceDouble(
  authorizeUrl: string,
  options: { username: string; password: string; decision?: 'allow' | 'deny'; cookieJar?: CookieJar },
): Promise<{ callbackUrl: string }> {
  const jar = options.cookieJar ?? new CookieJar();
  const page = await jar.fetch(authorizeUrl);
  if (page.status === 302) return { callbackUrl: page.headers.get('location')! };
  const html = await page.text();
  if (page.status !== 200) throw new Error(`The authorize page answered ${page.status}: ${html.slice(0, 200)}`);
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
  if (!requestId) throw new Error('No login form on the authorize page.');
  const form = new URLSearchParams({
    request_id: requestId,
    username: options.username,
    password: options.password,
    decision: options.decision ?? 'allow',
  });
  const posted = await jar.fetch(new URL('/login', authorizeUrl).href, {
    method: 'POST',
    body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (posted.status !== 302) {
    const text = await posted.text();
    throw new Error(
      `Login did not redirect (${posted.status}): ${/role="alert"[^>]*>([^<]+)/.exec(text)?.[1] ?? text.slice(0, 200)}`,
    );
  }
  return { callbackUrl: posted.headers.get('location')! };
}

/**
 * The device flow's browser side: opens the verification page, enters the user code, logs in and presses
 * Allow or Deny. Returns the final page's HTML ("You're connected..." or "Access denied"); throws when a step
 * shows no form or an error (unknown code, wrong password).
 */
export async function approveDeviceAtSalesforceDouble(
  verificationUri: string,
  userCode: string,
  options: { username: string; password: string; decision?: 'allow' | 'deny' },
): Promise<{ page: string }> {
  const jar = new CookieJar();
  const codePage = await pageAt(verificationUri, jar, 'The verification page');
  const loginPage = await submit(codePage, 'user_code', { user_code: userCode }, jar, 'Entering the code');
  const requestId = /name="request_id" value="([^"]+)"/.exec(loginPage.html)?.[1];
  if (!requestId) throw new Error('No login form after entering the code.');
  const done = await submit(
    loginPage,
    'request_id',
    {
      request_id: requestId,
      username: options.username,
      password: options.password,
      decision: options.decision ?? 'allow',
    },
    jar,
    'Logging in',
  );
  return { page: done.html };
}

interface Page {
  url: string;
  html: string;
}

async function pageAt(url: string, jar: CookieJar, what: string, init: RequestInit = {}): Promise<Page> {
  const response = await jar.fetch(url, init);
  const html = await response.text();
  if (response.status !== 200) throw new Error(`${what} answered ${response.status}: ${html.slice(0, 200)}`);
  const alert = /role="alert"[^>]*>([^<]+)/.exec(html)?.[1];
  if (alert) throw new Error(`${what} showed an error: ${alert}`);
  return { url, html };
}

/** Posts the page's form that has a field named `field`, to the form's action, as a browser would. */
async function submit(
  page: Page,
  field: string,
  values: Record<string, string>,
  jar: CookieJar,
  what: string,
): Promise<Page> {
  const form = [...page.html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].find((f) => f[0].includes(`name="${field}"`));
  if (!form) throw new Error(`${what}: the page shows no form with a "${field}" field.`);
  const action = new URL(/action="([^"]*)"/.exec(form[0])?.[1] ?? '', page.url).href;
  return pageAt(action, jar, what, {
    method: 'POST',
    body: new URLSearchParams(values),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** Requests the callback URL like a browser would, without following the app's own redirect. */
export async function followCallback(callbackUrl: string): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(callbackUrl, { redirect: 'manual' });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/**
 * A TCP port that was free a moment ago, for tests about a fixed callback port. It is picked below Linux's
 * ephemeral range (32768+), so servers that other tests start on port 0 cannot take it in the meantime.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const free = await new Promise<boolean>((ok) => {
      server.once('error', () => ok(false));
      server.listen(port, '127.0.0.1', () => ok(true));
    });
    if (free) {
      await new Promise<void>((ok) => server.close(() => ok()));
      return port;
    }
  }
  throw new Error('No free port between 20000 and 32000.');
}

/**
 * What a browser does with a user-agent flow callback (`…/OauthRedirect#access_token=…`): requests the page
 * without the fragment (a browser never sends it), then does what the page's script does: posts the fragment
 * to the same path from the page's origin, and loads the page the answer names. Returns each step's answer.
 */
export async function deliverFragment(
  callbackUrl: string,
  options: { origin?: string | null; fragment?: string } = {},
): Promise<{
  page: { status: number; headers: Headers; body: string };
  posted: { status: number; body: unknown };
  final: string | null;
}> {
  const url = new URL(callbackUrl);
  const fragment = options.fragment ?? url.hash.slice(1);
  url.hash = '';
  const page = await followCallback(url.href);
  const origin = options.origin === undefined ? url.origin : options.origin;
  const response = await fetch(url.origin + url.pathname, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin !== null ? { origin } : {}),
    },
    body: fragment,
  });
  const body: unknown = await response.json().catch(() => null);
  const next = (body as { next?: unknown } | null)?.next;
  const final = typeof next === 'string' ? (await followCallback(new URL(next, url).href)).body : null;
  return { page, posted: { status: response.status, body }, final };
}
