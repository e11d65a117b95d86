/**
 * How a request that got no usable answer is typed: by the signals that stopped it, never by the text of
 * the platform's error. Real requests to a loopback server, and the typing itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { boundedFetch } from '../../main/net/bounded-fetch';
import { networkError, tooLarge } from '../../main/net/network-error';
import { startLoopback, type Loopback } from './loopback';

let server: Loopback | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('networkError', () => {
  it('is a cancellation when the caller’s signal aborted, whatever the platform threw', () => {
    const caller = AbortSignal.abort();
    const error = networkError('https://login.salesforce.com/x', new Error('anything'), { caller });
    expect(error.code).toBe('oauth/cancelled');
  });

  it('is a timeout when the time limit’s signal fired, even if the error does not say so', () => {
    const timeout = AbortSignal.abort();
    const error = networkError('https://login.salesforce.com/x', new Error('socket hang up'), { timeout });
    expect(error.code).toBe('oauth/network');
    expect(error.message).toMatch(/^login\.salesforce\.com did not answer in time/);
  });

  it('is an unreachable server otherwise, named by host only', () => {
    const error = networkError(new Request('https://acme.my.salesforce.com/services/data?x=1'), new TypeError('x'), {});
    expect(error.message).toMatch(/^Could not reach acme\.my\.salesforce\.com\./);
    expect(networkError('not a url', undefined, {}).message).toMatch(/^Could not reach the server\./);
  });

  it('types a connection the server drops in the middle of an answer as unreachable', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('part');
      setTimeout(() => res.destroy(), 20);
    });
    const error = await boundedFetch({ timeoutMs: 5000 })(`${server.origin}/`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'oauth/network' });
    expect((error as Error).message).toMatch(/^Could not reach 127\.0\.0\.1:\d+/);
  });
});

describe('tooLarge', () => {
  it('names the limit in MB or bytes, and the host', () => {
    expect(tooLarge('https://a.example/x', 2_000_000).message).toMatch(/^a\.example sent an answer larger than 2 MB/);
    expect(tooLarge('https://a.example/x', 512).message).toMatch(/larger than 512 bytes/);
    expect(tooLarge('https://a.example/x', 512).code).toBe('oauth/bad_response');
  });
});
