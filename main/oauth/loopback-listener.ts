import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AppError } from '../errors';

/** What the page in the browser says once the flow is over. */
export type Outcome = { ok: true; title: string; detail: string } | { ok: false; message: string };

export interface LoopbackListener {
  /** The redirect URI to send, with the real port when the registered one allowed any port. */
  readonly redirectUri: string;
  /** Resolves with the callback's parameters once a callback with the right `state` arrives. */
  readonly callback: Promise<URLSearchParams>;
  /** Tells the browser tab how it ended; the listener closes after showing it. */
  finish(outcome: Outcome): void;
  close(): void;
}

export interface ListenerOptions {
  redirectUri: string;
  expectedState: string;
  /** Default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export const DEFAULT_LISTENER_TIMEOUT_MS = 5 * 60_000;
const DONE_PATH = '/done';
/** Listeners whose flow is over but which still show the browser its final page, by port. */
const lingering = new Map<number, () => void>();
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'",
};

/**
 * The loopback redirect listener of RFC 8252 §7.3, per SECURITY.md items 3-9: bound to 127.0.0.1 only,
 * alive for one flow, processing only `GET` on the exact callback path with our own `Host`, checking
 * `state` before anything else, answering with a 303 to a clean page.
 */
export async function startLoopbackListener(options: ListenerOptions): Promise<LoopbackListener> {
  const registered = new URL(options.redirectUri);
  if (registered.protocol !== 'http:' || !['localhost', '127.0.0.1'].includes(registered.hostname)) {
    throw new AppError(
      'oauth/invalid_redirect_uri',
      `The callback URL must be http://localhost:<port>/… or http://127.0.0.1:<port>/… for a desktop app; "${registered.origin}" is not.`,
    );
  }
  const wantedPort = registered.port === '' ? 0 : Number(registered.port);
  // A finished flow's listener may still be showing its page on this port: the new flow wins.
  lingering.get(wantedPort)?.();
  const sockets = new Set<Socket>();
  let settle: { resolve: (p: URLSearchParams) => void; reject: (e: AppError) => void } | null = null;
  const callback = new Promise<URLSearchParams>((resolve, reject) => (settle = { resolve, reject }));
  callback.catch(() => undefined);
  let phase: 'waiting' | 'received' | 'closed' = 'waiting';
  let outcome: Outcome | null = null;
  const outcomeWaiters: ((o: Outcome) => void)[] = [];
  let host = '';

  const server = createServer((req, res) => handle(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(listenError(e, wantedPort, options.redirectUri)));
    server.listen(wantedPort, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const actual = new URL(registered.href);
  actual.port = String(port);
  host = actual.host;
  const redirectUri = actual.href;

  const fail = (error: AppError) => {
    if (phase !== 'waiting') return;
    settle?.reject(error);
    close();
  };
  const timer = setTimeout(
    () =>
      fail(
        new AppError(
          'oauth/timeout',
          'No answer came back from the browser within 5 minutes. Start the sign-in again when you are ready.',
        ),
      ),
    options.timeoutMs ?? DEFAULT_LISTENER_TIMEOUT_MS,
  );
  const onAbort = () => fail(new AppError('oauth/cancelled', 'Sign-in was cancelled.'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  function close(): void {
    if (phase === 'closed') return;
    phase = 'closed';
    if (lingering.get(port) === close) lingering.delete(port);
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    server.close();
    for (const s of sockets) s.destroy();
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (req.headers.host !== host)
      return page(res, 421, 'Wrong address', 'This page only answers on the address the app opened.');
    if (req.method === 'OPTIONS') {
      // A private-network preflight: answered politely, allowing nothing.
      res.writeHead(204, { 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (url.pathname === DONE_PATH && req.method === 'GET') return showOutcome(res);
    if (url.pathname !== registered.pathname) return page(res, 404, 'Not found', 'Nothing here.');
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return page(res, 405, 'Not allowed', 'Only the browser’s redirect is accepted here.');
    }
    if (phase !== 'waiting')
      return page(res, 400, 'Already done', 'This sign-in has already finished. You can close this tab.');
    const params = url.searchParams;
    const states = params.getAll('state');
    if (states.length !== 1 || states[0] !== options.expectedState) {
      return page(
        res,
        400,
        'Unexpected sign-in response',
        'This response does not belong to the sign-in the app started, so it was ignored.',
      );
    }
    phase = 'received';
    clearTimeout(timer);
    settle?.resolve(params);
    res.writeHead(303, { Location: DONE_PATH, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).end();
  }

  function showOutcome(res: ServerResponse): void {
    const render = (o: Outcome) => {
      if (o.ok) page(res, 200, o.title, o.detail, true);
      else page(res, 200, 'Sign-in did not finish', o.message);
      // The page is served; the listener has done its job.
      setTimeout(close, 50);
    };
    if (outcome) return render(outcome);
    if (phase === 'waiting') return page(res, 400, 'Not yet', 'The sign-in has not come back yet.');
    outcomeWaiters.push(render);
  }

  function page(res: ServerResponse, status: number, title: string, detail: string, success = false): void {
    res.writeHead(status, PAGE_HEADERS).end(renderPage(title, detail, success));
  }

  return {
    redirectUri,
    callback,
    finish(o) {
      outcome = o;
      if (phase !== 'closed') lingering.set(port, close);
      for (const w of outcomeWaiters.splice(0)) w(o);
      // If the browser never asks for the page, do not keep the port open.
      setTimeout(close, 10_000).unref();
    },
    close,
  };
}

function listenError(e: NodeJS.ErrnoException, port: number, redirectUri: string): AppError {
  if (e.code === 'EADDRINUSE') {
    return new AppError(
      'oauth/port_in_use',
      `Port ${port} is in use by another program, so the sign-in cannot receive the browser's answer. Close the other program (the Salesforce CLI also uses 1717 while it logs in), or change the callback URL of this app profile to another port (for example http://localhost:1718/OauthRedirect) and add the same URL to the app in Salesforce.`,
      { cause: e },
    );
  }
  if (e.code === 'EACCES') {
    return new AppError(
      'oauth/port_forbidden',
      `This computer does not allow the app to use port ${port} (from ${redirectUri}). Change the callback URL of this app profile to a port above 1024, and add the same URL to the app in Salesforce.`,
      { cause: e },
    );
  }
  return new AppError('oauth/network', `Could not start the sign-in listener on port ${port}. Try again.`, {
    cause: e,
  });
}

/** A small self-contained page: no external resources, everything echoed is escaped. */
export function renderPage(title: string, detail: string, success: boolean): string {
  const color = success ? '#1f7a3a' : '#b3261e';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · SF Token Inspector</title>
<style>
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#f4f6f9;color:#17202b;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;border:1px solid #d4dae2;border-top:6px solid ${color};border-radius:10px;padding:28px 36px;max-width:520px;box-shadow:0 6px 24px rgba(0,0,0,.06)}
h1{font-size:1.35rem;margin:0 0 10px;color:${color}}p{line-height:1.5;margin:8px 0}.muted{color:#55606e;font-size:.9rem}
@media (prefers-color-scheme:dark){body{background:#0f1318;color:#e6eaf0}main{background:#171c23;border-color:#323b47}.muted{color:#a3adba}}
</style></head><body><main><h1>${success ? '✓ ' : ''}${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>
<p class="muted">You can close this tab and return to SF Token Inspector.</p></main></body></html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
