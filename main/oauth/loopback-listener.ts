import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AppError } from '../errors';
import { renderErrorPage, renderSuccessPage, sendPage, type SuccessInfo } from './callback-page';
import { judgeCallback } from './callback-response';
import type { ServerRef } from './server-wording';
import { listenError, originFormTarget, parseLoopbackRedirectUri } from './loopback-address';

export type { SuccessInfo } from './callback-page';

/** How the flow ended, for the page the browser shows at {@link DONE_PATH}. */
export type Outcome = ({ ok: true } & SuccessInfo) | { ok: false; message: string };

export interface ListenerOptions {
  /** The registered callback URL: `http://localhost:<port>/<path>` or `http://127.0.0.1[:<port>]/<path>`. */
  redirectUri: string;
  /** The `state` sent in the authorization request. */
  expectedState: string;
  /** The `iss` the callback must carry (RFC 9207), when the server advertises it; null or absent: not checked. */
  expectedIss?: string | null;
  /** The server the flow talks to (its wording for an `error=` callback). */
  server?: ServerRef | undefined;
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
const DONE_PATH = '/done';
/** After the callback, how long the listener waits for the flow to report its outcome before closing. */
const OUTCOME_TIMEOUT_MS = 2 * 60_000;
/** After the outcome, how long the page stays available to a browser that has not asked for it yet. */
const LINGER_MS = 10_000;
/** Listeners whose flow is over but which still show the browser its final page, by port. */
const lingering = new Map<number, () => void>();

/**
 * The loopback redirect listener of RFC 8252 §7.3 and §8.3, against the attacks docs/SECURITY.md lists
 * (modelled on VS Code's github-authentication `authServer`): bound to the IP literal 127.0.0.1 only, alive
 * for one flow, processing only `GET` on the exact callback path with our own `Host`, checking the callback
 * as callback-response.ts does (`state` before anything else), and answering a good callback with a 303 to
 * a clean page.
 */
export async function startLoopbackListener(options: ListenerOptions): Promise<LoopbackListener> {
  const registered = parseLoopbackRedirectUri(options.redirectUri);
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
    // Only the origin form "/path?query": see originFormTarget.
    const url = originFormTarget(req.url, host);
    if (!url)
      return sendPage(res, 400, renderErrorPage('Bad request', 'This page only answers the browser’s redirect.'));
    // Exactly one Host (RFC 9112 §3.2): req.headers.host would keep only the first of several.
    const hosts = req.headersDistinct.host ?? [];
    if (hosts.length !== 1) {
      return sendPage(res, 400, renderErrorPage('Bad request', 'This page only answers the browser’s redirect.'));
    }
    // DNS rebinding: a page at evil.example resolving to 127.0.0.1 sends its own Host.
    if (hosts[0] !== host) {
      return sendPage(
        res,
        421,
        renderErrorPage('Wrong address', 'This page only answers on the address the app opened.'),
      );
    }
    if (req.method === 'OPTIONS') {
      // A CORS / private network access preflight: answered politely, allowing nothing.
      res.writeHead(204, { 'Cache-Control': 'no-store', Connection: 'close' }).end();
      return;
    }
    if (url.pathname === donePath && req.method === 'GET') return showOutcome(res);
    if (url.pathname !== registered.pathname)
      return sendPage(res, 404, renderErrorPage('Not found', 'There is nothing here.'));
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return sendPage(res, 405, renderErrorPage('Not allowed', 'Only the browser’s redirect is accepted here.'));
    }
    if (phase !== 'waiting') {
      return sendPage(
        res,
        400,
        renderErrorPage('Already finished', 'This sign-in has already finished. You can close this tab.'),
      );
    }
    receive(url.searchParams, res);
  }

  /** A bug of ours while answering a request: a 500, and the listener keeps waiting for the real callback. */
  function unexpected(res: ServerResponse, e: unknown): void {
    // Only the error's name: its message or properties may quote the request target, code and all.
    console.error('Unexpected error in the sign-in listener:', e instanceof Error ? e.name : typeof e);
    try {
      if (!res.headersSent) {
        return sendPage(
          res,
          500,
          renderErrorPage('Something went wrong', 'Return to the app and start the sign-in again.'),
        );
      }
    } catch {
      // Fall through: the connection is dropped instead.
    }
    res.destroy();
  }

  function receive(params: URLSearchParams, res: ServerResponse): void {
    const verdict = judgeCallback(params, {
      state: options.expectedState,
      iss: options.expectedIss,
      server: options.server,
    });
    // A wrong state does not end the wait for the real callback.
    if (verdict.kind === 'foreign') {
      return sendPage(
        res,
        400,
        renderErrorPage(
          'Unexpected sign-in response',
          'This response does not belong to the sign-in the app started, so it was ignored. If you started a sign-in, finish it in the tab the app opened.',
        ),
      );
    }
    if (verdict.kind === 'failed') return reject(res, verdict.error);
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
    // 303 to a clean URL: the code leaves the address bar and the history entry.
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
    sendPage(res, 400, renderErrorPage('Sign-in did not finish', error.message));
  }

  function showOutcome(res: ServerResponse): void {
    const render = (o: Outcome) => {
      if (phase === 'closed') return;
      res.on('finish', close);
      // Also called from finish(), outside the request handler: the caller's renderer must not throw there.
      try {
        if (o.ok) sendPage(res, 200, (options.successPage ?? renderSuccessPage)(o));
        else sendPage(res, 200, renderErrorPage('Sign-in did not finish', o.message));
      } catch (e) {
        unexpected(res, e);
      }
    };
    if (outcome) return render(outcome);
    if (phase === 'waiting') {
      return sendPage(
        res,
        404,
        renderErrorPage('Not yet', 'The sign-in has not come back yet. Finish it in the tab the app opened.'),
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

function duration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  if (ms >= 1000) return `${Math.round(ms / 1000)} seconds`;
  return `${ms} ms`;
}
