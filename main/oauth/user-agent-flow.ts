/**
 * Salesforce's "OAuth 2.0 User-Agent Flow": the implicit grant (RFC 6749 §4.2, `response_type=token`) for an
 * app that allows nothing else. RFC 9700 §2.1.2 says not to use it (the tokens travel in a URL, and no PKCE
 * binds them to this app), so the wizard says so and recommends the web server flow. The tokens come back in
 * the fragment of the loopback callback, which the browser never sends: the listener serves the fragment
 * page (fragment-page.ts), whose script posts it back. The listener keeps the loopback listener's defences
 * (loopback-listener.ts): 127.0.0.1 only, our own Host only, one flow, `state` checked first, a wrong state
 * does not end the wait, closed on success, error, timeout or cancel. The fragment is never logged.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import { renderErrorPage, renderSuccessPage, sendPage } from './callback-page';
import { judgeCallback } from './callback-response';
import { sendFragmentPage } from './fragment-page';
import { listenError, originFormTarget, parseLoopbackRedirectUri } from './loopback-address';
import { DEFAULT_LISTENER_TIMEOUT_MS, type Outcome } from './loopback-listener';
import { parseTokenResponse, type TokenSet } from './token-set';

export interface UserAgentFlowOptions {
  as: oauth.AuthorizationServer;
  clientId: string;
  /** The registered loopback callback URL (a fixed port for Salesforce). */
  redirectUri: string;
  scopes: readonly string[];
  /** `login` by default; null: none. */
  prompt?: string | null;
  openExternal: (url: string) => Promise<void> | void;
  /** How long to wait for the browser (default 5 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  now?: () => number;
}

export interface UserAgentFlow {
  flowId: string;
  authorizeUrl: string;
  redirectUri: string;
  expiresAt: number;
  /** The tokens of the fragment. */
  result: Promise<TokenSet>;
  /** Tells the browser tab how it ended; the listener then closes. */
  finish(outcome: Outcome): void;
}

/** The largest fragment the listener reads: access, refresh and ID tokens with room to spare. */
const MAX_FRAGMENT_BYTES = 64 * 1024;
const DONE_PATH = '/done';
const LINGER_MS = 10_000;
/** Listeners of finished flows still showing their last page, by port: a new flow on the port wins. */
const lingering = new Map<number, () => void>();

/** Starts the listener, opens the authorize URL with `response_type=token`, and waits for the fragment. */
export async function beginUserAgentFlow(options: UserAgentFlowOptions): Promise<UserAgentFlow> {
  const now = options.now ?? Date.now;
  const { as } = options;
  if (!as.authorization_endpoint) {
    throw new AppError(
      'oauth/bad_response',
      'The server does not publish an authorization endpoint. Check the login host.',
    );
  }
  const registered = parseLoopbackRedirectUri(options.redirectUri);
  const state = oauth.generateRandomState();
  const expectedIss = as.authorization_response_iss_parameter_supported === true ? as.issuer : null;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LISTENER_TIMEOUT_MS;
  const donePath = registered.pathname === DONE_PATH ? `${DONE_PATH}-page` : DONE_PATH;
  const wantedPort = registered.port === '' ? 0 : Number(registered.port);
  if (wantedPort !== 0) lingering.get(wantedPort)?.();

  let settle!: { resolve: (p: URLSearchParams) => void; reject: (e: AppError) => void };
  const answer = new Promise<URLSearchParams>((resolve, reject) => (settle = { resolve, reject }));
  answer.catch(() => undefined);
  let phase: 'waiting' | 'received' | 'finished' | 'closed' = 'waiting';
  let outcome: Outcome | null = null;
  const outcomeWaiters: ((o: Outcome) => void)[] = [];
  const timers: NodeJS.Timeout[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      // Only the error's name: anything else may quote the fragment.
      console.error('Unexpected error in the sign-in listener:', e instanceof Error ? e.name : typeof e);
      if (!res.headersSent) sendPage(res, 500, renderErrorPage('Something went wrong', 'Return to the app.'));
      else res.destroy();
    }
  });
  server.requestTimeout = 15_000;
  server.maxHeadersCount = 0;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(listenError(e, wantedPort, options.redirectUri)));
    server.listen({ port: wantedPort, host: '127.0.0.1', exclusive: true }, () => resolve());
  });
  server.on('error', () => undefined);
  const port = (server.address() as AddressInfo).port;
  const actual = new URL(registered.href);
  actual.port = String(port);
  const host = actual.host;
  const redirectUri = actual.href;

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
            `No answer came back from the browser within ${Math.round(timeoutMs / 1000)} seconds. Start the sign-in again when you are ready.`,
          ),
        ),
      timeoutMs,
    ),
  );
  const onAbort = () => fail(new AppError('oauth/cancelled', 'The sign-in was cancelled.'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = originFormTarget(req.url, host);
    const hosts = req.headersDistinct.host ?? [];
    if (!url || hosts.length !== 1) {
      return sendPage(res, 400, renderErrorPage('Bad request', 'This page only answers the browser’s redirect.'));
    }
    if (hosts[0] !== host) {
      return sendPage(
        res,
        421,
        renderErrorPage('Wrong address', 'This page only answers on the address the app opened.'),
      );
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Cache-Control': 'no-store', Connection: 'close' }).end();
      return;
    }
    if (url.pathname === donePath && req.method === 'GET') return showOutcome(res);
    if (url.pathname !== registered.pathname) {
      return sendPage(res, 404, renderErrorPage('Not found', 'There is nothing here.'));
    }
    if (phase !== 'waiting') {
      return sendPage(
        res,
        400,
        renderErrorPage('Already finished', 'This sign-in has already finished. You can close this tab.'),
      );
    }
    if (req.method === 'GET') return sendFragmentPage(res);
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'GET, POST');
      return sendPage(res, 405, renderErrorPage('Not allowed', 'Only the browser’s redirect is accepted here.'));
    }
    // Only the fragment page itself posts here: same origin, a form body.
    if (
      req.headers.origin !== `http://${host}` ||
      !/^application\/x-www-form-urlencoded\b/.test(req.headers['content-type'] ?? '')
    ) {
      return reply(res, 403, { message: 'This request does not come from the sign-in page.' });
    }
    readBody(req, res);
  }

  function readBody(req: IncomingMessage, res: ServerResponse): void {
    if (Number(req.headers['content-length'] ?? 0) > MAX_FRAGMENT_BYTES) {
      return reply(res, 413, { message: 'The answer is too large.' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FRAGMENT_BYTES) {
        reply(res, 413, { message: 'The answer is too large.' });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_FRAGMENT_BYTES || phase !== 'waiting') return;
      receive(new URLSearchParams(Buffer.concat(chunks).toString('utf8')), res);
    });
  }

  function receive(params: URLSearchParams, res: ServerResponse): void {
    const verdict = judgeCallback(params, { state, iss: expectedIss, server: as, response: 'token' });
    if (verdict.kind === 'foreign') {
      return reply(res, 400, {
        message:
          'This response does not belong to the sign-in the app started, so it was ignored. If you started a sign-in, finish it in the tab the app opened.',
      });
    }
    if (verdict.kind === 'failed') {
      phase = 'finished';
      outcome = { ok: false, message: verdict.error.message };
      for (const t of timers.splice(0)) clearTimeout(t);
      settle.reject(verdict.error);
      res.on('finish', close);
      return reply(res, 400, { message: verdict.error.message });
    }
    phase = 'received';
    for (const t of timers.splice(0)) clearTimeout(t);
    // If the flow never reports how it ended, do not keep the port open.
    const unreported = setTimeout(
      () => finish({ ok: true, title: 'Back to the app', detail: 'Return to the app to see how the sign-in went.' }),
      2 * 60_000,
    );
    unreported.unref();
    timers.push(unreported);
    settle.resolve(params);
    reply(res, 200, { next: donePath });
  }

  function reply(res: ServerResponse, status: number, body: { next?: string; message?: string }): void {
    if (res.headersSent) return;
    res
      .writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
        Connection: 'close',
      })
      .end(JSON.stringify(body));
  }

  function showOutcome(res: ServerResponse): void {
    const render = (o: Outcome) => {
      if (phase === 'closed') return;
      res.on('finish', close);
      if (o.ok) sendPage(res, 200, renderSuccessPage(o));
      else sendPage(res, 200, renderErrorPage('Sign-in did not finish', o.message));
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
      settle.reject(new AppError('oauth/cancelled', 'The sign-in was cancelled.'));
      return close();
    }
    outcome = o;
    phase = 'finished';
    for (const t of timers.splice(0)) clearTimeout(t);
    lingering.set(port, close);
    for (const w of outcomeWaiters.splice(0)) w(o);
    const linger = setTimeout(close, LINGER_MS);
    linger.unref();
    timers.push(linger);
  }

  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('response_type', 'token');
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', options.scopes.join(' '));
  url.searchParams.set('state', state);
  const prompt = options.prompt === undefined ? 'login' : options.prompt;
  if (prompt) url.searchParams.set('prompt', prompt);

  const result = (async () => {
    const params = await answer;
    try {
      return tokensOf(params, now(), options.scopes);
    } catch (e) {
      finish({ ok: false, message: e instanceof AppError ? e.message : 'The sign-in failed.' });
      throw e;
    }
  })();
  result.catch(() => undefined);

  try {
    await options.openExternal(url.href);
  } catch (cause) {
    close();
    settle.reject(new AppError('oauth/cancelled', 'The sign-in was cancelled.'));
    if (cause instanceof AppError) throw cause;
    throw new AppError(
      'oauth/network',
      'Could not open your web browser. Set a default browser for your system, then try again.',
      { cause },
    );
  }

  return {
    flowId: randomUUID(),
    authorizeUrl: url.href,
    redirectUri,
    expiresAt: now() + timeoutMs,
    result,
    finish,
  };
}

/**
 * The fragment's tokens (RFC 6749 §4.2.2, with Salesforce's `instance_url`, `id`, `issued_at`), parsed the
 * way a token endpoint response is (token-set.ts). The token type must be Bearer.
 */
function tokensOf(params: URLSearchParams, receivedAt: number, scopes: readonly string[]): TokenSet {
  const tokenType = params.get('token_type');
  if (tokenType === null || tokenType.toLowerCase() !== 'bearer') {
    throw new AppError(
      'oauth/bad_response',
      'The server sent a token that is not a Bearer token, which this app cannot use. Check the login host.',
    );
  }
  const body: Record<string, string> = {};
  for (const name of [
    'access_token',
    'refresh_token',
    'id_token',
    'instance_url',
    'id',
    'issued_at',
    'scope',
    'token_type',
  ]) {
    const value = params.get(name);
    if (value !== null) body[name] = value;
  }
  const expiresIn = Number(params.get('expires_in'));
  const response = {
    ...body,
    token_type: 'bearer' as const,
    ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expires_in: expiresIn } : {}),
  } as oauth.TokenEndpointResponse;
  return parseTokenResponse(response, receivedAt, scopes);
}
