import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AppError } from '../errors';
import { authorizationResponseError } from './http';

/** What the success page says: the app profile, the org and the user, or a title and detail of the caller's. */
export interface SuccessInfo {
  app?: string;
  org?: string;
  username?: string;
  title?: string;
  detail?: string;
}

/** How the flow ended, for the page the browser shows at {@link DONE_PATH}. */
export type Outcome = ({ ok: true } & SuccessInfo) | { ok: false; message: string };

export interface ListenerOptions {
  /** The registered callback URL: `http://localhost:<port>/<path>` or `http://127.0.0.1[:<port>]/<path>`. */
  redirectUri: string;
  /** The `state` sent in the authorization request. */
  expectedState: string;
  /** The `iss` the callback must carry (RFC 9207), when the server advertises it; null or absent: not checked. */
  expectedIss?: string | null;
  /** How long to wait for the browser (default 5 minutes). */
  timeoutMs?: number;
  /** Renders the success page (default {@link renderSuccessPage}). Everything it echoes must be escaped. */
  successPage?: (info: SuccessInfo) => string;
  /** Aborting cancels the wait (`oauth/cancelled`) and closes the listener. */
  signal?: AbortSignal;
}

export interface LoopbackListener {
  /** The redirect URI to send, with the real port when the registered one allowed any port. */
  readonly redirectUri: string;
  /**
   * Resolves with the callback's parameters once a callback with the right `state` (and `iss`) and a
   * `code` arrives; rejects on `error=`, a wrong `iss`, timeout or cancel.
   */
  waitForCallback(): Promise<URLSearchParams>;
  /** Tells the browser tab how the flow ended; the listener closes once the page is shown (or after 10 s). */
  finish(outcome: Outcome): void;
  /** Stops listening and destroys every socket. Idempotent. */
  close(): void;
}

export const DEFAULT_LISTENER_TIMEOUT_MS = 5 * 60_000;
/** The clean path the browser is sent to after the callback, so the code leaves the address bar. */
export const DONE_PATH = '/done';
/** After the callback, how long the listener waits for the flow to report its outcome before closing. */
const OUTCOME_TIMEOUT_MS = 2 * 60_000;
/** After the outcome, how long the page stays available to a browser that has not asked for it yet. */
const LINGER_MS = 10_000;
/** Listeners whose flow is over but which still show the browser its final page, by port. */
const lingering = new Map<number, () => void>();

/** Headers of every page the listener serves: nothing cached, no referrer, nothing loaded from anywhere. */
export const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  Connection: 'close',
} as const;

/**
 * The loopback redirect listener of RFC 8252 §7.3 and §8.3, per SECURITY.md items 3-9 (modelled on VS
 * Code's github-authentication `authServer`): bound to the IP literal 127.0.0.1 only, alive for one flow,
 * processing only `GET` on the exact callback path with our own `Host`, checking `state` before anything
 * else (RFC 9700 §4.7), then `iss` (RFC 9207 §2.4), then `error` (RFC 6749 §4.1.2.1), and answering a good
 * callback with a 303 to a clean page.
 */
export async function startLoopbackListener(options: ListenerOptions): Promise<LoopbackListener> {
  const registered = parseRedirectUri(options.redirectUri);
  // The clean page must not be the callback path itself (a callback URL registered as …/done).
  const donePath = registered.pathname === DONE_PATH ? `${DONE_PATH}-page` : DONE_PATH;
  const wantedPort = registered.port === '' ? 0 : Number(registered.port);
  // A finished flow's listener may still be showing its page on this port: the new flow wins.
  if (wantedPort !== 0) lingering.get(wantedPort)?.();

  const sockets = new Set<Socket>();
  let settle!: { resolve: (p: URLSearchParams) => void; reject: (e: AppError) => void };
  const callback = new Promise<URLSearchParams>((resolve, reject) => (settle = { resolve, reject }));
  callback.catch(() => undefined);
  let phase: 'waiting' | 'received' | 'finished' | 'closed' = 'waiting';
  let outcome: Outcome | null = null;
  const outcomeWaiters: ((o: Outcome) => void)[] = [];
  const timers: NodeJS.Timeout[] = [];
  const expected = Buffer.from(options.expectedState, 'utf8');

  const server = createServer((req, res) => {
    // Nothing a local process sends may throw out of here: under Node that would end the app.
    try {
      handle(req, res);
    } catch (e) {
      unexpected(res, e);
    }
  });
  server.requestTimeout = 15_000;
  // node:http silently drops the headers past its count limit (about a thousand by default), and with them
  // a second Host: keep them all (the 16 KiB header size limit still bounds a request).
  server.maxHeadersCount = 0;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(listenError(e, wantedPort, options.redirectUri)));
    // Never 0.0.0.0 and never an unbound "localhost": only the loopback IP literal (RFC 8252 §8.3).
    server.listen({ port: wantedPort, host: '127.0.0.1', exclusive: true }, () => resolve());
  });
  server.on('error', () => undefined);
  const port = (server.address() as AddressInfo).port;
  const actual = new URL(registered.href);
  actual.port = String(port);
  const host = actual.host;
  const redirectUri = actual.href;

  const timeoutMs = options.timeoutMs ?? DEFAULT_LISTENER_TIMEOUT_MS;
  const fail = (error: AppError) => {
    if (phase !== 'waiting') return;
    settle.reject(error);
    close();
  };
  timers.push(
    setTimeout(
      () =>
        fail(
          new AppError(
            'oauth/timeout',
            `No answer came back from the browser within ${duration(timeoutMs)}. Start the sign-in again when you are ready.`,
          ),
        ),
      timeoutMs,
    ),
  );
  const onAbort = () => fail(new AppError('oauth/cancelled', 'The sign-in was cancelled.'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  function close(): void {
    if (phase === 'closed') return;
    phase = 'closed';
    if (lingering.get(port) === close) lingering.delete(port);
    for (const t of timers) clearTimeout(t);
    options.signal?.removeEventListener('abort', onAbort);
    server.close();
    for (const s of sockets) s.destroy();
    sockets.clear();
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    // Only the origin form "/path?query" (RFC 9112 §3.2.1), which is all a browser sends to a server that
    // is not a proxy: absolute-form ("http://a:99999/x", whose authority would override Host), authority-form
    // and asterisk-form ("*") targets, and anything that does not parse, are refused.
    const url = originFormTarget(req.url);
    if (!url) return page(res, 400, errorPage('Bad request', 'This page only answers the browser’s redirect.'));
    // Exactly one Host (RFC 9112 §3.2): req.headers.host would keep only the first of several.
    const hosts = req.headersDistinct.host ?? [];
    if (hosts.length !== 1) {
      return page(res, 400, errorPage('Bad request', 'This page only answers the browser’s redirect.'));
    }
    // DNS rebinding: a page at evil.example resolving to 127.0.0.1 sends its own Host.
    if (hosts[0] !== host) {
      return page(res, 421, errorPage('Wrong address', 'This page only answers on the address the app opened.'));
    }
    if (req.method === 'OPTIONS') {
      // A CORS / private network access preflight: answered politely, allowing nothing.
      res.writeHead(204, { 'Cache-Control': 'no-store', Connection: 'close' }).end();
      return;
    }
    if (url.pathname === donePath && req.method === 'GET') return showOutcome(res);
    if (url.pathname !== registered.pathname) return page(res, 404, errorPage('Not found', 'There is nothing here.'));
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return page(res, 405, errorPage('Not allowed', 'Only the browser’s redirect is accepted here.'));
    }
    if (phase !== 'waiting') {
      return page(
        res,
        400,
        errorPage('Already finished', 'This sign-in has already finished. You can close this tab.'),
      );
    }
    receive(url.searchParams, res);
  }

  /** The request target as a URL on our own origin, or null when it is not a path that parses. */
  function originFormTarget(target: string | undefined): URL | null {
    if (target === undefined || !target.startsWith('/')) return null;
    let url: URL;
    try {
      // Appended, not resolved against a base: "//evil.example/x" is the path "//evil.example/x" here.
      url = new URL(`http://${host}${target}`);
    } catch {
      return null;
    }
    return url.host === host ? url : null;
  }

  /** A bug of ours while answering a request: a 500, and the listener keeps waiting for the real callback. */
  function unexpected(res: ServerResponse, e: unknown): void {
    // Only the error's name: its message or properties may quote the request target, code and all.
    console.error('Unexpected error in the sign-in listener:', e instanceof Error ? e.name : typeof e);
    try {
      if (!res.headersSent) {
        return page(res, 500, errorPage('Something went wrong', 'Return to the app and start the sign-in again.'));
      }
    } catch {
      // Fall through: the connection is dropped instead.
    }
    res.destroy();
  }

  function receive(params: URLSearchParams, res: ServerResponse): void {
    // 1. state, before anything else, error included. A wrong one does not end the wait for the real one.
    const states = params.getAll('state');
    if (states.length !== 1 || !sameState(states[0]!)) {
      return page(
        res,
        400,
        errorPage(
          'Unexpected sign-in response',
          'This response does not belong to the sign-in the app started, so it was ignored. If you started a sign-in, finish it in the tab the app opened.',
        ),
      );
    }
    // The state is single use from here on: whatever follows ends this flow.
    const duplicated = ['code', 'error', 'iss'].find((name) => params.getAll(name).length > 1);
    if (duplicated) {
      return reject(
        res,
        new AppError(
          'oauth/authorization_error',
          `The browser came back with a malformed answer (more than one "${duplicated}"). Start the sign-in again.`,
        ),
      );
    }
    // 2. iss, when the server advertises it: a mix-up defence.
    if (options.expectedIss && params.get('iss') !== options.expectedIss) {
      return reject(
        res,
        new AppError(
          'oauth/iss_mismatch',
          params.has('iss')
            ? 'The browser came back from a different server than the one the app asked (the "iss" did not match). The sign-in was stopped; try again.'
            : 'The browser came back without saying which server sent it (no "iss"), although the server promises to. The sign-in was stopped; try again.',
        ),
      );
    }
    // 3. error.
    const error = params.get('error');
    if (error !== null) return reject(res, authorizationResponseError(error, params.get('error_description')));
    if (!params.get('code')) {
      return reject(
        res,
        new AppError(
          'oauth/bad_response',
          'The browser came back without an authorization code. Start the sign-in again.',
        ),
      );
    }
    phase = 'received';
    for (const t of timers.splice(0)) clearTimeout(t);
    // If the flow never reports how it ended, do not keep the port open.
    const unreported = setTimeout(
      () =>
        finish({
          ok: true,
          title: 'Back to the app',
          detail: 'The app received the answer from the sign-in page. Return to the app to see how it went.',
        }),
      OUTCOME_TIMEOUT_MS,
    );
    unreported.unref();
    timers.push(unreported);
    settle.resolve(params);
    // 303 to a clean URL: the code leaves the address bar and the history entry (SECURITY.md item 9).
    res
      .writeHead(303, {
        Location: donePath,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        Connection: 'close',
      })
      .end();
  }

  /** Ends the flow from a callback: the error page is shown right here, then the listener closes. */
  function reject(res: ServerResponse, error: AppError): void {
    phase = 'finished';
    outcome = { ok: false, message: error.message };
    for (const t of timers.splice(0)) clearTimeout(t);
    settle.reject(error);
    res.on('finish', close);
    page(res, 400, errorPage('Sign-in did not finish', error.message));
  }

  function sameState(received: string): boolean {
    const got = Buffer.from(received, 'utf8');
    return got.length === expected.length && timingSafeEqual(got, expected);
  }

  function showOutcome(res: ServerResponse): void {
    const render = (o: Outcome) => {
      if (phase === 'closed') return;
      res.on('finish', close);
      // Also called from finish(), outside the request handler: the caller's renderer must not throw there.
      try {
        if (o.ok) page(res, 200, (options.successPage ?? renderSuccessPage)(o));
        else page(res, 200, errorPage('Sign-in did not finish', o.message));
      } catch (e) {
        unexpected(res, e);
      }
    };
    if (outcome) return render(outcome);
    if (phase === 'waiting') {
      return page(
        res,
        404,
        errorPage('Not yet', 'The sign-in has not come back yet. Finish it in the tab the app opened.'),
      );
    }
    outcomeWaiters.push(render);
  }

  function finish(o: Outcome): void {
    if (phase === 'closed' || outcome) return;
    if (phase === 'waiting') {
      // The flow gave up before the browser came back: nothing to show.
      settle.reject(new AppError('oauth/cancelled', 'The sign-in was cancelled.'));
      return close();
    }
    outcome = o;
    phase = 'finished';
    for (const t of timers.splice(0)) clearTimeout(t);
    lingering.set(port, close);
    for (const w of outcomeWaiters.splice(0)) w(o);
    // If the browser never asks for the page, do not keep the port open.
    const linger = setTimeout(close, LINGER_MS);
    linger.unref();
    timers.push(linger);
  }

  return { redirectUri, waitForCallback: () => callback, finish, close };
}

function parseRedirectUri(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError(
      'oauth/invalid_redirect_uri',
      'The callback URL is not a web address. Use http://localhost:1717/OauthRedirect unless your app lists another.',
    );
  }
  if (
    url.protocol !== 'http:' ||
    !['localhost', '127.0.0.1'].includes(url.hostname) ||
    url.username !== '' ||
    url.password !== '' ||
    url.hash !== ''
  ) {
    throw new AppError(
      'oauth/invalid_redirect_uri',
      `A desktop app receives the sign-in on this computer: the callback URL must be http://localhost:<port>/… or http://127.0.0.1:<port>/…, and "${url.origin}" is not.`,
    );
  }
  return url;
}

function listenError(e: NodeJS.ErrnoException, port: number, redirectUri: string): AppError {
  if (e.code === 'EADDRINUSE') {
    return new AppError(
      'oauth/port_in_use',
      `Port ${port} is in use by another program, so the sign-in cannot receive the browser's answer. Close the other program (the Salesforce CLI also uses port 1717 while it logs in), or change the callback URL of this app profile to another port (for example http://localhost:${port === 1718 ? 1719 : 1718}/OauthRedirect) and add the same callback URL to the app in Salesforce.`,
      { cause: e },
    );
  }
  if (e.code === 'EACCES') {
    return new AppError(
      'oauth/port_forbidden',
      `This computer does not allow the app to listen on port ${port} (from ${redirectUri}). Change the callback URL of this app profile to a port above 1024 (for example http://localhost:1717/OauthRedirect), and add the same callback URL to the app in Salesforce.`,
      { cause: e },
    );
  }
  return new AppError('oauth/network', `Could not start the sign-in listener on port ${port}. Try again.`, {
    cause: e,
  });
}

function duration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  if (ms >= 1000) return `${Math.round(ms / 1000)} seconds`;
  return `${ms} ms`;
}

function page(res: ServerResponse, status: number, html: string): void {
  if (res.headersSent) return;
  res.writeHead(status, PAGE_HEADERS).end(html);
}

/** The default success page: which org, which user, through which app, and that the tab can be closed. */
export function renderSuccessPage(info: SuccessInfo): string {
  const title = info.title ?? (info.org ? `Signed in to ${info.org}` : 'Signed in');
  const detail =
    info.detail ??
    `${info.username ?? 'Your user'} is connected${info.app ? ` through ${info.app}` : ''}. SF Token Inspector has the tokens now.`;
  return renderPage(title, detail, true);
}

function errorPage(title: string, detail: string): string {
  return renderPage(title, detail, false);
}

/** A small self-contained page: inline CSS only, no script, no external resources, everything echoed escaped. */
export function renderPage(title: string, detail: string, success: boolean): string {
  const accent = success ? '#2e844a' : '#ba0517';
  const mark = success ? '✓' : '!';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · SF Token Inspector</title>
<style>
:root{color-scheme:light dark;--bg:#f3f3f3;--card:#fff;--text:#181818;--muted:#5c5c5c;--line:#e5e5e5;--accent:${accent}}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--card:#1c1f24;--text:#eceff3;--muted:#a9b1bc;--line:#2c313a}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;padding:24px;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
main{width:min(520px,100%);background:var(--card);border:1px solid var(--line);border-radius:14px;padding:32px 36px;box-shadow:0 10px 30px rgba(0,0,0,.08);text-align:center}
.mark{width:56px;height:56px;margin:0 auto 16px;border-radius:50%;display:grid;place-items:center;font-size:28px;font-weight:700;color:#fff;background:var(--accent)}
h1{font-size:1.3rem;margin:0 0 8px}
p{margin:8px 0;overflow-wrap:anywhere}
.muted{color:var(--muted);font-size:.92rem;margin-top:20px;padding-top:16px;border-top:1px solid var(--line)}
</style></head>
<body><main><div class="mark" aria-hidden="true">${mark}</div><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>
<p class="muted">You can close this tab and return to SF Token Inspector.</p></main></body></html>`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}
