/**
 * The loopback listener against malformed requests from any local process, over a real socket with raw
 * HTTP bytes (fetch cannot send absolute-form targets or a second Host): each bad request gets a 4xx (or a
 * 500 for a bug of ours), never an exception out of the request handler, and after each one the listener
 * still completes the real callback.
 */
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLoopbackListener, type ListenerOptions } from '../../main/oauth/loopback-listener';

const STATE = 'h4rdened-state-h4rdened-state-h4rdened-sta';
const CODE = 'aPrx-secret-code==';

interface RawResponse {
  /** The status of the first response, or null when the connection closed (or timed out) without one. */
  status: number | null;
  text: string;
  timedOut: boolean;
}

/** Writes `bytes` on one TCP connection and reads until the listener closes it (or `timeoutMs` passes). */
function sendRaw(port: number, bytes: string, timeoutMs = 3000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), socket.destroy()), timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3}) /.exec(text)?.[1];
      resolve({ status: status ? Number(status) : null, text, timedOut });
    });
    socket.write(bytes, 'latin1');
  });
}

async function start(extra: Partial<ListenerOptions> = {}) {
  // No port in the redirect URI: the listener takes port 0 and reports the real one.
  const listener = await startLoopbackListener({
    redirectUri: 'http://127.0.0.1/OauthRedirect',
    expectedState: STATE,
    ...extra,
  });
  const url = new URL(listener.redirectUri);
  const request = (target: string, headers = `Host: ${url.host}\r\n`, method = 'GET') =>
    sendRaw(Number(url.port), `${method} ${target} HTTP/1.1\r\n${headers}\r\n`);
  let settled = false;
  void listener.waitForCallback().then(
    () => (settled = true),
    () => (settled = true),
  );
  /** The real callback, as the browser sends it: accepted with a 303, its code handed to the flow. */
  const completesRealCallback = async () => {
    expect(settled, 'the bad request must not have ended the wait').toBe(false);
    const r = await request(`/OauthRedirect?code=${encodeURIComponent(CODE)}&state=${STATE}`);
    expect(r.status).toBe(303);
    expect((await listener.waitForCallback()).get('code')).toBe(CODE);
    listener.close();
  };
  return { listener, host: url.host, port: Number(url.port), request, completesRealCallback };
}

const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => void uncaught.push(e);
beforeEach(() => {
  uncaught.length = 0;
  process.on('uncaughtException', onUncaught);
});
afterEach(() => {
  process.off('uncaughtException', onUncaught);
  vi.restoreAllMocks();
  expect(uncaught, 'an exception escaped the request handler').toEqual([]);
});

describe('loopback listener hardening: request targets', () => {
  it.each(['http://a:99999/x', 'http://[/x', 'http://%zz/x'])(
    'answers the unparseable absolute-form target %s with 400 and keeps waiting',
    async (target) => {
      const { request, completesRealCallback } = await start();
      const r = await request(target);
      expect(r.timedOut).toBe(false);
      expect(r.status).toBe(400);
      await completesRealCallback();
    },
  );

  it('refuses an absolute-form target even when it names our own callback with the right state', async () => {
    const { host, request, completesRealCallback } = await start();
    // Its authority would override Host (RFC 9112 §3.2.2): only a proxy takes absolute-form.
    expect((await request(`http://${host}/OauthRedirect?code=x&state=${STATE}`)).status).toBe(400);
    await completesRealCallback();
  });

  it.each(['GET', 'OPTIONS'])('refuses the asterisk-form target of %s * with 400', async (method) => {
    const { request, completesRealCallback } = await start();
    expect((await request('*', undefined, method)).status).toBe(400);
    await completesRealCallback();
  });

  it('gets 400 for the other targets that are not a path, which the HTTP parser refuses before us', async () => {
    const { request, completesRealCallback } = await start();
    for (const target of [
      `OauthRedirect?code=x&state=${STATE}`,
      `?code=x&state=${STATE}`,
      '127.0.0.1:1717',
      `http:/OauthRedirect?code=x&state=${STATE}`,
      `\\OauthRedirect?code=x&state=${STATE}`,
      'http://a b/x',
    ]) {
      expect((await request(target)).status, target).toBe(400);
    }
    await completesRealCallback();
  });

  it('treats "//evil.example/OauthRedirect" as a path, not as another authority with our callback path', async () => {
    const { request, completesRealCallback } = await start();
    expect((await request(`//evil.example/OauthRedirect?code=x&state=${STATE}`)).status).toBe(404);
    await completesRealCallback();
  });
});

describe('loopback listener hardening: Host', () => {
  it.each([
    ['ours then evil', (h: string) => `Host: ${h}\r\nHost: evil.example\r\n`],
    ['ours twice', (h: string) => `Host: ${h}\r\nHost: ${h}\r\n`],
    ['ours then empty', (h: string) => `Host: ${h}\r\nHost: \r\n`],
    ['ours in two casings', (h: string) => `host: ${h}\r\nHOST: ${h}\r\n`],
    ['evil then ours', (h: string) => `Host: evil.example\r\nHost: ${h}\r\n`],
  ])('refuses duplicate Host headers (%s) with 400, even on a valid callback', async (_, headers) => {
    const { host, request, completesRealCallback } = await start();
    const r = await request(`/OauthRedirect?code=x&state=${STATE}`, headers(host));
    expect(r.status).toBe(400);
    await completesRealCallback();
  });

  it('sees a second Host hidden behind 2,000 other headers (node:http drops headers past its count limit)', async () => {
    const { host, request, completesRealCallback } = await start();
    const filler = 'a:b\r\n'.repeat(2000);
    const r = await request(`/OauthRedirect?code=x&state=${STATE}`, `Host: ${host}\r\n${filler}Host: evil.example\r\n`);
    expect(r.status).toBe(400);
    await completesRealCallback();
  });

  it('refuses an HTTP/1.0 request without Host with 400', async () => {
    const { port, completesRealCallback } = await start();
    const r = await sendRaw(port, `GET /OauthRedirect?code=x&state=${STATE} HTTP/1.0\r\n\r\n`);
    expect(r.status).toBe(400);
    await completesRealCallback();
  });
});

describe('loopback listener hardening: unexpected exceptions', () => {
  it('answers an exception inside the handler with 500, logs no secret and keeps waiting', async () => {
    const { request, completesRealCallback } = await start();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // A bug of ours, with the request target (code and state) in its message, as URL errors have.
    vi.spyOn(URLSearchParams.prototype, 'getAll').mockImplementationOnce(() => {
      throw new TypeError(`cannot read /OauthRedirect?code=${CODE}&state=${STATE}`);
    });
    const r = await request(`/OauthRedirect?code=${CODE}&state=${STATE}`);
    expect(r.status).toBe(500);
    expect(r.text).not.toContain(CODE);
    expect(logged).toHaveBeenCalled();
    const log = JSON.stringify(logged.mock.calls);
    expect(log).not.toContain(CODE);
    expect(log).not.toContain(STATE);
    vi.restoreAllMocks();
    await completesRealCallback();
  });

  it('answers a success page renderer that throws with 500, whether the page was asked before or after finish()', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const successPage = () => {
      throw new Error('renderer bug');
    };
    for (const order of ['page first', 'finish first']) {
      const { listener, request } = await start({ successPage });
      expect((await request(`/OauthRedirect?code=c&state=${STATE}`)).status).toBe(303);
      await listener.waitForCallback();
      let page: Promise<RawResponse>;
      if (order === 'page first') {
        page = request('/done');
        await new Promise((r) => setTimeout(r, 50));
        expect(() => listener.finish({ ok: true, org: 'Acme' })).not.toThrow();
      } else {
        listener.finish({ ok: true, org: 'Acme' });
        page = request('/done');
      }
      expect((await page).status, order).toBe(500);
      listener.close();
    }
  });
});
