/**
 * The loopback listener under attack (the listener's table in docs/SECURITY.md), over real HTTP on 127.0.0.1:
 * plain fetch with `redirect: 'manual'` where a browser would do the same, node:http where a request must
 * carry a forged Host header or a method fetch will not send.
 */
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { startLoopbackListener, type ListenerOptions } from '../../main/oauth/loopback-listener';
import { freePort } from '../servers/browser-login';

const STATE = 'S'.repeat(43);

/** A raw HTTP request, so a test can send any method and Host header. */
function raw(
  url: string,
  options: { method?: string; host?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const u = new URL(url);
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: u.port,
        path: u.pathname + u.search,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? u.host },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', fail);
    req.end();
  });
}

const get = (url: string) => fetch(url, { redirect: 'manual' });

async function start(extra: Partial<ListenerOptions> = {}) {
  const port = await freePort();
  const listener = await startLoopbackListener({
    redirectUri: `http://localhost:${port}/OauthRedirect`,
    expectedState: STATE,
    ...extra,
  });
  return { listener, base: `http://localhost:${port}`, port, callback: `http://localhost:${port}/OauthRedirect` };
}

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** True when nothing accepts connections on the port any more. */
function portClosed(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), ok(false)));
    s.once('error', () => ok(true));
  });
}

describe('loopback listener: binding', () => {
  it('binds the IP literal 127.0.0.1 only, even for a localhost redirect, on the registered port', async () => {
    const { listener, port } = await start();
    expect(listener.redirectUri).toBe(`http://localhost:${port}/OauthRedirect`);
    // Nothing of ours on ::1 with that port: we did not bind every interface or an unbound "localhost".
    const ipv6Free = await new Promise<boolean>((ok) => {
      const s = createServer();
      s.once('error', (e: NodeJS.ErrnoException) => ok(e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT'));
      s.listen(port, '::1', () => s.close(() => ok(true)));
    });
    expect(ipv6Free).toBe(true);
    // Another loopback address with the same port is free too: not 0.0.0.0 (Linux routes all of 127/8 to lo).
    const otherLoopbackFree = await new Promise<boolean>((ok) => {
      const s = createServer();
      s.once('error', (e: NodeJS.ErrnoException) => ok(e.code === 'EADDRNOTAVAIL'));
      s.listen(port, '127.0.0.2', () => s.close(() => ok(true)));
    });
    expect(otherLoopbackFree).toBe(true);
    listener.close();
  });

  it('takes any free port for a 127.0.0.1 redirect without a port, and reports the real redirect URI', async () => {
    const listener = await startLoopbackListener({ redirectUri: 'http://127.0.0.1/callback', expectedState: STATE });
    expect(listener.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const port = Number(new URL(listener.redirectUri).port);
    expect(port).toBeGreaterThan(0);
    expect((await get(`${listener.redirectUri}?code=c&state=${STATE}`)).status).toBe(303);
    listener.close();
  });
});

describe('loopback listener: the callback', () => {
  it('refuses a second callback during the exchange and after success, and closes after the page', async () => {
    const { listener, callback, base, port } = await start();
    expect((await get(`${callback}?code=first&state=${STATE}`)).status).toBe(303);
    await listener.waitForCallback();
    // The flow is exchanging the code now: a replayed callback is refused.
    const during = await get(`${callback}?code=second&state=${STATE}`);
    expect(during.status).toBe(400);
    expect(await during.text()).toContain('already finished');
    listener.finish({ ok: true, app: 'Inspector test app', org: 'Acme', username: 'ada@acme.example' });
    expect((await get(`${callback}?code=third&state=${STATE}`)).status).toBe(400);
    const done = await get(`${base}/done`);
    expect(done.status).toBe(200);
    await expect.poll(() => portClosed(port)).toBe(true);
  });

  it('uses the caller’s success page renderer', async () => {
    const { listener, callback, base } = await start({ successPage: (info) => `<p>custom ${info.org ?? ''}</p>` });
    await get(`${callback}?code=c&state=${STATE}`);
    listener.finish({ ok: true, org: 'Acme' });
    expect(await (await get(`${base}/done`)).text()).toBe('<p>custom Acme</p>');
  });

  it('answers other paths, methods and hosts with 4xx without ending the wait', async () => {
    const { listener, base, callback, port } = await start();
    const valid = `${callback}?state=${STATE}&code=x`;
    expect((await get(`${base}/favicon.ico`)).status).toBe(404);
    expect((await get(`${base}/random/path?state=${STATE}&code=x`)).status).toBe(404);
    expect((await get(`${base}/OauthRedirect/extra?state=${STATE}&code=x`)).status).toBe(404);
    expect((await get(`${base}/oauthredirect?state=${STATE}&code=x`)).status).toBe(404);
    const post = await fetch(valid, { method: 'POST', redirect: 'manual' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect((await raw(valid, { method: 'HEAD' })).status).toBe(405);
    expect((await raw(valid, { method: 'PUT' })).status).toBe(405);
    const preflight = await fetch(valid, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-private-network': 'true' },
    });
    expect(preflight.status).toBe(204);
    expect([...preflight.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    expect((await raw(valid, { host: `evil.example:${port}` })).status).toBe(421);
    expect((await raw(valid, { host: `127.0.0.1:${port}` })).status).toBe(421);
    expect((await raw(valid, { host: 'localhost' })).status).toBe(421);
    // Still waiting: the real callback is accepted.
    expect((await get(`${callback}?state=${STATE}&code=real`)).status).toBe(303);
    expect((await listener.waitForCallback()).get('code')).toBe('real');
    listener.close();
  });

  it('keeps the clean page apart from a callback path that is itself /done', async () => {
    const port = await freePort();
    const listener = await startLoopbackListener({
      redirectUri: `http://localhost:${port}/done`,
      expectedState: STATE,
    });
    const r = await get(`http://localhost:${port}/done?code=c&state=${STATE}`);
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/done-page');
    listener.finish({ ok: true, org: 'Acme' });
    expect(await (await get(`http://localhost:${port}/done-page`)).text()).toContain('Signed in to Acme');
  });

  it('says "not yet" for the done page before the callback', async () => {
    const { listener, base } = await start();
    expect((await get(`${base}/done`)).status).toBe(404);
    listener.close();
  });
});

describe('loopback listener: lifetime', () => {
  it('times out with oauth/timeout and closes the port', async () => {
    const { listener, port } = await start({ timeoutMs: 150 });
    const error = await errorOf(listener.waitForCallback());
    expect(error.code).toBe('oauth/timeout');
    expect(error.message).toMatch(/Start the sign-in again/);
    expect(await portClosed(port)).toBe(true);
  });

  it('cancels through an AbortSignal with oauth/cancelled, destroying open sockets', async () => {
    const abort = new AbortController();
    const { listener, port } = await start({ signal: abort.signal });
    // A browser keeps an idle keep-alive connection open: closing must not wait for it.
    const idle = connect(port, '127.0.0.1');
    await new Promise<void>((ok) => idle.once('connect', () => ok()));
    const idleClosed = new Promise<void>((ok) => idle.once('close', () => ok()));
    abort.abort();
    expect((await errorOf(listener.waitForCallback())).code).toBe('oauth/cancelled');
    await idleClosed;
    expect(await portClosed(port)).toBe(true);
  });

  it('is cancelled at once by an already aborted signal', async () => {
    const { listener } = await start({ signal: AbortSignal.abort() });
    expect((await errorOf(listener.waitForCallback())).code).toBe('oauth/cancelled');
  });

  it('lets a new flow take over a port whose finished listener still shows its page', async () => {
    const first = await start();
    await get(`${first.callback}?code=c&state=${STATE}`);
    first.listener.finish({ ok: true, org: 'Acme' });
    const second = await startLoopbackListener({ redirectUri: first.callback, expectedState: STATE });
    expect(second.redirectUri).toBe(first.callback);
    second.close();
  });
});
