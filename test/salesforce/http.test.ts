/**
 * getJson, the one way main calls a Salesforce REST resource with an access token: against a loopback server
 * that answers each path the way Salesforce answers that case.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { getJson } from '../../main/salesforce/http';

const TOKEN = '00D5g000004XYZA!AQtokenvalue';
const ANSWERS: Record<string, { status: number; body: string; type?: string; location?: string }> = {
  '/ok': { status: 200, body: '{"sobjects":[]}' },
  '/expired': { status: 401, body: '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]' },
  '/bad-oauth': { status: 403, body: 'Bad_OAuth_Token', type: 'text/plain' },
  '/forbidden': { status: 403, body: '[{"message":"no access","errorCode":"INSUFFICIENT_ACCESS"}]' },
  '/moved': { status: 302, body: '', location: 'https://login.salesforce.com/' },
  '/oauth-error': { status: 400, body: '{"error":"invalid_request","error_description":"bad request"}' },
  '/html': { status: 500, body: '<html><body><h1>Maintenance</h1></body></html>', type: 'text/html' },
  '/not-json': { status: 200, body: '<html>login</html>', type: 'text/html' },
};

let server: Server;
let base: string;
const seen: IncomingHttpHeaders[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    const answer = ANSWERS[req.url ?? ''] ?? { status: 404, body: '' };
    res.writeHead(answer.status, {
      'content-type': answer.type ?? 'application/json',
      ...(answer.location ? { location: answer.location } : {}),
    });
    res.end(answer.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});

const get = (path: string) => getJson(`${base}${path}`, TOKEN, { timeoutMs: 2000 }, 'the test call');
const failure = (path: string) =>
  get(path).then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(AppError);
      return e as AppError;
    },
  );

describe('getJson', () => {
  it('sends the token as a bearer header, asks for JSON and returns the parsed body', async () => {
    expect(await get('/ok')).toEqual({ sobjects: [] });
    expect(seen.at(-1)).toMatchObject({ authorization: `Bearer ${TOKEN}`, accept: 'application/json' });
  });

  it('never sends the token over plain http to a host that is not loopback', async () => {
    const before = seen.length;
    const error = await getJson('http://acme.my.salesforce.com/services/data', TOKEN, {}, 'x').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'sf/api_error', message: expect.stringMatching(/not an https address/) });
    expect(seen.length).toBe(before);
  });

  it('a 401, or a 403 that only says Bad_OAuth_Token, is the session expired', async () => {
    expect(await failure('/expired')).toMatchObject({
      code: 'sf/session_expired',
      message: expect.stringContaining('INVALID_SESSION_ID: Session expired or invalid'),
    });
    expect((await failure('/bad-oauth')).code).toBe('sf/session_expired');
  });

  it('another 403 is forbidden, a redirect is a wrong instance URL, and other errors say what Salesforce said', async () => {
    expect(await failure('/forbidden')).toMatchObject({
      code: 'sf/forbidden',
      message: expect.stringMatching(/refused the test call \(INSUFFICIENT_ACCESS: no access\)/),
    });
    expect(await failure('/moved')).toMatchObject({
      code: 'sf/api_error',
      message: expect.stringMatching(/redirected the test call \(HTTP 302\)/),
    });
    expect((await failure('/oauth-error')).message).toBe(
      'Salesforce answered 400 to the test call: invalid_request: bad request.',
    );
    expect((await failure('/html')).message).toBe('Salesforce answered 500 to the test call: Maintenance.');
    expect(await failure('/not-json')).toMatchObject({
      code: 'sf/api_error',
      message: expect.stringMatching(/was not JSON/),
    });
  });

  it('never puts the token in an error message', async () => {
    for (const path of Object.keys(ANSWERS).filter((p) => p !== '/ok')) {
      expect((await failure(path)).message).not.toContain(TOKEN);
    }
  });
});
