import { request } from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { startLoopbackListener } from '../../main/oauth/loopback-listener';
import { freePort } from '../servers/browser-login';

const STATE = 'a'.repeat(43);

/** A raw HTTP request, so tests can send any method and Host header. */
function raw(
  url: string,
  options: { method?: string; host?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
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
        res.on('data', (c) => (body += c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', fail);
    req.end();
  });
}

async function start(extra: { timeoutMs?: number; signal?: AbortSignal } = {}) {
  const port = await freePort();
  const listener = await startLoopbackListener({
    redirectUri: `http://localhost:${port}/OauthRedirect`,
    expectedState: STATE,
    ...extra,
  });
  return { listener, base: `http://localhost:${port}`, port };
}

describe('loopback listener', () => {
  it('binds 127.0.0.1 only, even for a localhost redirect', async () => {
    const { listener, port } = await start();
    const ipv6 = await new Promise<boolean>((ok) => {
      const s = createServer();
      s.once('error', () => ok(false));
      s.listen(port, '::1', () => s.close(() => ok(true)));
    });
    // The port on ::1 is still free: we did not bind every interface.
    expect(ipv6).toBe(true);
    listener.close();
  });

  it('ignores wrong, missing and duplicated state, and keeps waiting for the real callback', async () => {
    const { listener, base } = await start();
    for (const query of [
      '?code=x&state=wrong',
      '?code=x',
      `?code=x&state=${STATE}&state=${STATE}`,
      '?error=access_denied&state=wrong',
    ]) {
      const r = await raw(`${base}/OauthRedirect${query}`);
      expect(r.status, query).toBe(400);
    }
    const ok = await raw(`${base}/OauthRedirect?code=abc%3D%3D&state=${STATE}`);
    expect(ok.status).toBe(303);
    expect(ok.headers['location']).toBe('/done');
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    expect((await listener.callback).get('code')).toBe('abc==');
    // A second callback after success is refused.
    expect((await raw(`${base}/OauthRedirect?code=again&state=${STATE}`)).status).toBe(400);
    listener.finish({ ok: true, title: 'Signed in to Acme', detail: 'done' });
    const page = await raw(`${base}/done`);
    expect(page.body).toContain('Signed in to Acme');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.body).not.toMatch(/<script|<link|src=/);
  });

  it('answers other paths, methods and hosts with 4xx without ending the wait', async () => {
    const { listener, base } = await start();
    expect((await raw(`${base}/favicon.ico`)).status).toBe(404);
    expect((await raw(`${base}/random`)).status).toBe(404);
    expect((await raw(`${base}/OauthRedirect?state=${STATE}&code=x`, { method: 'POST' })).status).toBe(405);
    expect((await raw(`${base}/OauthRedirect?state=${STATE}&code=x`, { method: 'HEAD' })).status).toBe(405);
    expect((await raw(`${base}/OauthRedirect?state=${STATE}&code=x`, { method: 'OPTIONS' })).status).toBe(204);
    const evil = await raw(`${base}/OauthRedirect?state=${STATE}&code=x`, {
      host: `evil.example:${new URL(base).port}`,
    });
    expect(evil.status).toBe(421);
    expect((await raw(`${base}/OauthRedirect?state=${STATE}&code=real`)).status).toBe(303);
    expect((await listener.callback).get('code')).toBe('real');
    listener.close();
  });

  it('escapes an attacker-controlled error description on the error page', async () => {
    const { listener, base } = await start();
    await raw(
      `${base}/OauthRedirect?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=${STATE}`,
    );
    const params = await listener.callback;
    listener.finish({ ok: false, message: `Denied: ${params.get('error_description')}` });
    const page = await raw(`${base}/done`);
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('&#60;script&#62;');
  });

  it('times out, and cancels, closing the port', async () => {
    const { listener, base } = await start({ timeoutMs: 100 });
    await expect(listener.callback).rejects.toMatchObject({ code: 'oauth/timeout' });
    await expect(raw(`${base}/OauthRedirect`)).rejects.toThrow();

    const abort = new AbortController();
    const second = await start({ signal: abort.signal });
    abort.abort();
    await expect(second.listener.callback).rejects.toMatchObject({ code: 'oauth/cancelled' });
    await expect(raw(`${second.base}/OauthRedirect`)).rejects.toThrow();
  });

  it('says which port is busy and how to fix it', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(port, '127.0.0.1', ok));
    try {
      const error = await startLoopbackListener({
        redirectUri: `http://localhost:${port}/OauthRedirect`,
        expectedState: STATE,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('oauth/port_in_use');
      expect((error as AppError).message).toContain(`Port ${port}`);
      expect((error as AppError).message).toMatch(/callback URL/);
    } finally {
      blocker.close();
    }
  });

  it('refuses callback URLs that are not on loopback http', async () => {
    for (const uri of ['https://localhost:1717/cb', 'http://example.com:1717/cb', 'http://0.0.0.0:1717/cb']) {
      await expect(startLoopbackListener({ redirectUri: uri, expectedState: STATE })).rejects.toMatchObject({
        code: 'oauth/invalid_redirect_uri',
      });
    }
  });

  it('takes any free port for a 127.0.0.1 redirect without a port', async () => {
    const listener = await startLoopbackListener({ redirectUri: 'http://127.0.0.1/callback', expectedState: STATE });
    expect(listener.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    listener.close();
  });
});
