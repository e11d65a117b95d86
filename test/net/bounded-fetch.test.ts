/**
 * The one fetch every request of main goes through: time limits, body limits and no redirects, against a
 * real loopback server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { boundedFetch, DEFAULT_TIMEOUT_MS, withSignal, type Fetch } from '../../main/net/bounded-fetch';
import { startLoopback, type Loopback } from './loopback';

let server: Loopback | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('boundedFetch', () => {
  it('hands status, headers and body on as a fresh, already read Response', async () => {
    server = await startLoopback((req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-seen': req.method ?? '' });
      res.end(JSON.stringify({ ok: true }));
    });
    const response = await boundedFetch()(`${server.origin}/thing`, { method: 'POST', body: 'a=1' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-seen')).toBe('POST');
    expect(await response.json()).toEqual({ ok: true });
    expect(DEFAULT_TIMEOUT_MS).toBe(30_000);
  });

  it('gives a 204 no body', async () => {
    server = await startLoopback((_req, res) => res.writeHead(204).end());
    const response = await boundedFetch()(`${server.origin}/`);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('never follows a redirect: the caller sees the 3xx, and the target is never asked', async () => {
    const asked: string[] = [];
    server = await startLoopback((req, res) => {
      asked.push(req.url ?? '');
      if (req.url === '/token') res.writeHead(302, { location: '/elsewhere' }).end();
      else res.writeHead(200).end('followed');
    });
    const response = await boundedFetch()(`${server.origin}/token`, {
      method: 'POST',
      headers: { authorization: 'Basic c2VjcmV0' },
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/elsewhere');
    expect(asked).toEqual(['/token']);
  });

  it('refuses a body larger than the limit, whether declared or streamed', async () => {
    server = await startLoopback((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'content-length': '500' }).end('x'.repeat(500));
      else {
        // No content-length: chunked, so only counting the bytes finds out.
        res.writeHead(200);
        res.write('x'.repeat(60));
        res.end('y'.repeat(60));
      }
    });
    for (const path of ['/declared', '/streamed']) {
      const error = await errorOf(boundedFetch({ maxBytes: 100 })(`${server.origin}${path}`));
      expect(error.code).toBe('oauth/bad_response');
      expect(error.message).toMatch(/larger than 100 bytes/);
    }
    // A body of exactly the limit is read.
    const exact = await boundedFetch({ maxBytes: 500 })(`${server.origin}/declared`);
    expect(await exact.text()).toHaveLength(500);
  });

  it('names a 1 MB limit in MB', async () => {
    server = await startLoopback((_req, res) => res.writeHead(200).end('z'.repeat(1_000_001)));
    const error = await errorOf(boundedFetch()(`${server.origin}/`));
    expect(error.message).toMatch(/^127\.0\.0\.1:\d+ sent an answer larger than 1 MB/);
  });

  it('gives up on a server that does not answer, or stops in the middle of the body', async () => {
    server = await startLoopback((req, res) => {
      if (req.url === '/half') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('only part');
      }
      // '/silent': never answers.
    });
    for (const path of ['/silent', '/half']) {
      const error = await errorOf(boundedFetch({ timeoutMs: 150 })(`${server.origin}${path}?token=secret-in-query`));
      expect(error.code).toBe('oauth/network');
      expect(error.message).toMatch(/^127\.0\.0\.1:\d+ did not answer in time\. Check your network connection/);
      expect(error.message).not.toMatch(/secret-in-query|\/silent|\/half/);
    }
  });

  it('is cancelled by the caller’s signal, which is not a network failure', async () => {
    server = await startLoopback(() => undefined);
    const abort = new AbortController();
    const pending = errorOf(boundedFetch()(`${server.origin}/`, { signal: abort.signal }));
    setTimeout(() => abort.abort(), 50);
    const error = await pending;
    expect(error.code).toBe('oauth/cancelled');
    expect(error.message).toBe('The request was cancelled.');
  });

  it('ends every request of options made withSignal when that signal aborts, keeping the timeout', async () => {
    server = await startLoopback(() => undefined);
    const abort = new AbortController();
    const http = withSignal({ timeoutMs: 20_000 }, abort.signal);
    const started = Date.now();
    const pending = boundedFetch(http)(`${server.origin}/`).then(
      () => null,
      (e: unknown) => e,
    );
    setTimeout(() => abort.abort(), 50);
    expect(await pending).toBeInstanceOf(AppError);
    expect(Date.now() - started).toBeLessThan(5_000);
    // Without an abort, the timeout still applies.
    const quick = withSignal({ timeoutMs: 100 }, new AbortController().signal);
    expect((await errorOf(boundedFetch(quick)(`${server.origin}/`))).message).toMatch(/did not answer in time/);
  });

  it('says a server that is not there could not be reached, naming only its host', async () => {
    server = await startLoopback(() => undefined);
    const origin = server.origin;
    await server.close();
    server = null;
    const error = await errorOf(boundedFetch()(`${origin}/services/oauth2/token?code=abc`));
    expect(error.code).toBe('oauth/network');
    expect(error.message).toBe(
      `Could not reach ${new URL(origin).host}. Check the address and your network connection, then try again.`,
    );
    // The cause keeps the platform's error name, not its body or stack of causes.
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).cause).toBeUndefined();
  });

  it('sends the request through the injected fetch, with its own signal and redirect: manual', async () => {
    server = await startLoopback((_req, res) => res.writeHead(200).end('via injected'));
    const seen: RequestInit[] = [];
    const injected: Fetch = (input, init) => {
      seen.push(init ?? {});
      return fetch(input, init);
    };
    const response = await boundedFetch({ fetch: injected })(`${server.origin}/`);
    expect(await response.text()).toBe('via injected');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.redirect).toBe('manual');
    expect(seen[0]!.signal).toBeInstanceOf(AbortSignal);
  });
});
