/**
 * Where the listener listens and what it answers to: only loopback http callback URLs, a taken port named
 * with the fix (over a real socket), and only origin-form request targets on our own host.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { listenError, originFormTarget, parseLoopbackRedirectUri } from '../../main/oauth/loopback-address';
import { startLoopbackListener } from '../../main/oauth/loopback-listener';
import { freePort } from '../servers/browser-login';
import { errorOf } from './support';

const STATE = 'S'.repeat(43);

describe('the callback URL and its port, through the listener', () => {
  it('says which port is taken and how to fix it', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(port, '127.0.0.1', ok));
    try {
      const error = await errorOf(
        startLoopbackListener({ redirectUri: `http://localhost:${port}/OauthRedirect`, expectedState: STATE }),
      );
      expect(error.code).toBe('oauth/port_in_use');
      expect(error.message).toContain(`Port ${port}`);
      expect(error.message).toMatch(/Salesforce CLI/);
      expect(error.message).toMatch(/change the callback URL/);
    } finally {
      blocker.close();
    }
  });

  it('refuses callback URLs that are not loopback http', async () => {
    for (const uri of [
      'https://localhost:1717/cb',
      'http://example.com:1717/cb',
      'http://0.0.0.0:1717/cb',
      'http://user:pw@localhost:1717/cb',
      'not a url',
    ]) {
      const error = await errorOf(startLoopbackListener({ redirectUri: uri, expectedState: STATE }));
      expect(error.code, uri).toBe('oauth/invalid_redirect_uri');
    }
  });
});

describe('parseLoopbackRedirectUri', () => {
  it('takes loopback http callback URLs, with or without a port', () => {
    expect(parseLoopbackRedirectUri('http://localhost:1717/OauthRedirect').port).toBe('1717');
    expect(parseLoopbackRedirectUri('http://127.0.0.1/callback?x=1').pathname).toBe('/callback');
  });

  it('says why anything else is not a callback URL a desktop app can use', () => {
    const message = (uri: string) => {
      try {
        parseLoopbackRedirectUri(uri);
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).code).toBe('oauth/invalid_redirect_uri');
        return (e as AppError).message;
      }
      throw new Error(`${uri} was accepted`);
    };
    expect(message('not a url')).toMatch(/not a web address/);
    expect(message('http://localhost:1717/cb#x')).toMatch(/"http:\/\/localhost:1717" is not/);
    expect(message('http://[::1]:1717/cb')).toMatch(/must be http:\/\/localhost:<port>/);
  });
});

describe('listenError', () => {
  it('names the port and the fix for each way listening fails', () => {
    const error = (code: string) => Object.assign(new Error(`listen ${code}`), { code });
    expect(listenError(error('EADDRINUSE'), 1718, 'http://localhost:1718/OauthRedirect')).toMatchObject({
      code: 'oauth/port_in_use',
      message: expect.stringContaining('http://localhost:1719/OauthRedirect'),
    });
    expect(listenError(error('EACCES'), 80, 'http://localhost:80/cb')).toMatchObject({
      code: 'oauth/port_forbidden',
      message: expect.stringContaining('(from http://localhost:80/cb)'),
    });
    const other = listenError(error('EMFILE'), 1717, 'http://localhost:1717/cb');
    expect(other).toMatchObject({ code: 'oauth/network', message: expect.stringContaining('port 1717') });
    expect(other.cause).toMatchObject({ code: 'EMFILE' });
  });
});

describe('originFormTarget', () => {
  const host = 'localhost:1717';

  it('reads a path and query on our own host', () => {
    const url = originFormTarget('/OauthRedirect?code=a%3D&state=s', host);
    expect(url?.pathname).toBe('/OauthRedirect');
    expect(url?.searchParams.get('code')).toBe('a=');
    // Appended, not resolved: another authority is only a path here.
    expect(originFormTarget('//evil.example/OauthRedirect', host)?.pathname).toBe('//evil.example/OauthRedirect');
  });

  it('refuses every target that is not a path of ours', () => {
    for (const target of [undefined, '', '*', 'http://localhost:1717/OauthRedirect', '127.0.0.1:1717', '?a=1']) {
      expect(originFormTarget(target, host), String(target)).toBeNull();
    }
  });
});
