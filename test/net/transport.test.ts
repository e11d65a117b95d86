/** Which URLs may carry a token: https anywhere, plain http only to this machine. */
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopbackUrl, isSafeTransport } from '../../main/net/transport';
import { startLoopback, type Loopback } from './loopback';

let server: Loopback | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('isLoopbackUrl and isSafeTransport', () => {
  it('take a real loopback server’s http address as safe', async () => {
    server = await startLoopback((_req, res) => res.end('ok'));
    expect(isLoopbackUrl(server.origin)).toBe(true);
    expect(isSafeTransport(new URL('/services/oauth2/token', server.origin))).toBe(true);
    expect(await (await fetch(server.origin)).text()).toBe('ok');
  });

  it.each([
    ['https://acme.my.salesforce.com/services/data', false, true],
    ['http://127.0.0.1:1717/OauthRedirect', true, true],
    ['http://localhost/callback', true, true],
    ['http://[::1]:8080/x', true, true],
    ['http://acme.my.salesforce.com/services/data', false, false],
    // A name that merely starts like a loopback address is another host.
    ['http://127.0.0.1.example.com/', false, false],
    ['http://localhost.example.com/', false, false],
    ['ftp://127.0.0.1/file', true, false],
    ['file:///etc/passwd', false, false],
    ['app://renderer/index.html', false, false],
  ])('%s: loopback %s, safe %s', (url, loopback, safe) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
    expect(isSafeTransport(url)).toBe(safe);
  });

  it('throws on something that is not a URL, so no caller mistakes it for safe', () => {
    expect(() => isSafeTransport('not a url')).toThrow(TypeError);
  });
});
