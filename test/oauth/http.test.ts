/**
 * How an OAuth failure becomes the typed error the window shows: oauth4webapi's real errors, produced by
 * processing real HTTP answers from a loopback server, read by toOAuthError; and the request options every
 * OAuth call uses (plain http only on loopback, bounded, cancellable).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { authorizationResponseError, oauthOptions, toOAuthError } from '../../main/oauth/http';
import { errorText } from './support';

/** A token endpoint that answers with the status, body and headers given in the request's own form. */
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      if (form.get('hang')) return;
      const headers: Record<string, string> = { 'content-type': form.get('type') ?? 'application/json' };
      if (form.get('challenge')) headers['www-authenticate'] = form.get('challenge')!;
      res.writeHead(Number(form.get('status')), headers);
      res.end(form.get('body') ?? '');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});

/** The error oauth4webapi throws for this answer of the token endpoint. */
async function failure(answer: { status: number; body?: unknown; type?: string; challenge?: string }, http = {}) {
  const as: oauth.AuthorizationServer = { issuer: base, token_endpoint: `${base}/token` };
  const client: oauth.Client = { client_id: 'client' };
  const parameters: Record<string, string> = { status: String(answer.status) };
  if (answer.body !== undefined)
    parameters['body'] = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  if (answer.type) parameters['type'] = answer.type;
  if (answer.challenge) parameters['challenge'] = answer.challenge;
  try {
    const response = await oauth.genericTokenEndpointRequest(
      as,
      client,
      oauth.None(),
      'urn:test',
      parameters,
      oauthOptions(as.token_endpoint, http),
    );
    await oauth.processGenericTokenEndpointResponse(as, client, response);
  } catch (e) {
    return e;
  }
  throw new Error('expected the request to fail');
}

const read = async (answer: Parameters<typeof failure>[0], request = {}) =>
  toOAuthError(await failure(answer), 'doing the thing', [], request);

describe('toOAuthError', () => {
  it('passes an AppError through as it is', () => {
    const e = new AppError('oauth/cancelled', 'Cancelled.');
    expect(toOAuthError(e, 'doing the thing')).toBe(e);
  });

  it('reads OAuth error bodies by their code, naming the action', async () => {
    expect(await read({ status: 400, body: { error: 'invalid_grant', error_description: 'expired' } })).toMatchObject({
      code: 'oauth/invalid_grant',
      message: expect.stringMatching(/refused doing the thing \(invalid_grant: expired\)/),
    });
    expect(await read({ status: 400, body: { error: 'invalid_grant' } }, { grant: 'the refresh token' })).toMatchObject(
      {
        code: 'oauth/invalid_grant',
        message: expect.stringMatching(/refused the refresh token .*Sign in to this org again/),
      },
    );
    expect((await read({ status: 400, body: { error: 'invalid_token' } })).code).toBe('oauth/invalid_grant');
    expect((await read({ status: 401, body: { error: 'invalid_client' } })).code).toBe('oauth/invalid_client');
    expect((await read({ status: 400, body: { error: 'unsupported_token_type' } })).code).toBe(
      'oauth/unsupported_token_type',
    );
    expect((await read({ status: 400, body: { error: 'redirect_uri_mismatch' } })).code).toBe(
      'oauth/invalid_redirect_uri',
    );
    expect((await read({ status: 503, body: { error: 'temporarily_unavailable' } })).code).toBe('oauth/server_error');
    expect((await read({ status: 400, body: { error: 'something_new' } })).code).toBe('oauth/authorization_error');
  });

  it('recognises what Salesforce says about unapproved users and My Domain-only flows', async () => {
    const unapproved = { error: 'invalid_grant', error_description: 'user is not admin approved to access this app' };
    expect((await read({ status: 400, body: unapproved })).code).toBe('oauth/app_not_approved');
    const myDomain = { error: 'invalid_grant', error_description: 'request not supported on this domain' };
    expect((await read({ status: 400, body: myDomain })).code).toBe('oauth/invalid_login_host');
  });

  it('lets the flow’s own hints win over the general reading', async () => {
    const e = await failure({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'authentication failure' },
    });
    const hint = {
      match: /authentication failure/,
      code: 'oauth/invalid_grant' as const,
      message: 'Check the password.',
    };
    expect(toOAuthError(e, 'signing in', [hint]).message).toBe(
      'Check the password. (invalid_grant: authentication failure)',
    );
  });

  it('cleans what the server wrote before putting it in a message', async () => {
    const secret = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJlc2lnbmF0dXJl';
    const e = await read({
      status: 400,
      body: { error: 'invalid_grant', error_description: `bad\u0000token ${secret} ${'x'.repeat(500)}` },
    });
    expect(e.message).not.toContain('\u0000');
    expect(errorText(e)).not.toContain(secret);
    expect(e.message.length).toBeLessThan(400);
  });

  it('reads answers without an OAuth body by their status', async () => {
    expect((await read({ status: 400 }, { grant: 'the refresh token' })).code).toBe('oauth/invalid_grant');
    expect((await read({ status: 400 })).code).toBe('oauth/authorization_error');
    expect((await read({ status: 401 }, { grant: 'the refresh token', clientAuthenticated: true })).code).toBe(
      'oauth/invalid_client',
    );
    expect((await read({ status: 401, challenge: 'Basic realm="oauth"' })).code).toBe('oauth/invalid_client');
    expect((await read({ status: 403, body: '<html>no</html>', type: 'text/html' })).message).toMatch(
      /forbidden \(HTTP 403, a web page/,
    );
    expect((await read({ status: 502, body: '<html>down</html>', type: 'text/html' })).code).toBe('oauth/server_error');
    expect((await read({ status: 200, body: '<html>login</html>', type: 'text/html' })).message).toMatch(
      /web page instead of JSON/,
    );
    expect((await read({ status: 200, body: { token_type: 'bearer' } })).message).toMatch(/had no access_token/);
  });

  it('gives anything else a general message without its text', () => {
    expect(toOAuthError(new TypeError('x is undefined'), 'doing the thing')).toMatchObject({
      code: 'oauth/bad_response',
      message: expect.stringMatching(/could not be used/),
    });
    expect(toOAuthError('a string with a secret', 'doing the thing').message).toBe(
      'Something unexpected happened while doing the thing. Try again.',
    );
  });
});

describe('authorizationResponseError', () => {
  it('reads what the browser was sent back with', () => {
    expect(authorizationResponseError('access_denied', 'end-user denied authorization').code).toBe(
      'oauth/access_denied',
    );
    expect(authorizationResponseError('invalid_app_access', null).code).toBe('oauth/app_not_approved');
    expect(authorizationResponseError('invalid_request', 'OAUTH_APP_BLOCKED').code).toBe('oauth/app_not_approved');
    expect(authorizationResponseError('invalid_scope', 'bad\nscope')).toMatchObject({
      code: 'oauth/authorization_error',
      message: expect.stringContaining('(invalid_scope: bad scope)'),
    });
  });
});

describe('oauthOptions', () => {
  it('allows plain http only for a loopback endpoint', () => {
    expect(oauthOptions(`${base}/token`, {})[oauth.allowInsecureRequests]).toBe(true);
    expect(oauthOptions('https://login.salesforce.com/services/oauth2/token', {})[oauth.allowInsecureRequests]).toBe(
      false,
    );
    expect(oauthOptions('http://login.example.com/token', {})[oauth.allowInsecureRequests]).toBe(false);
    expect(oauthOptions(undefined, {})[oauth.allowInsecureRequests]).toBe(false);
  });

  it('bounds each request in time, and passes the signal on', async () => {
    const hang = async (http: object, signal?: AbortSignal) => {
      const as: oauth.AuthorizationServer = { issuer: base, token_endpoint: `${base}/token` };
      const response = oauth.genericTokenEndpointRequest(
        as,
        { client_id: 'c' },
        oauth.None(),
        'urn:test',
        { hang: '1' },
        oauthOptions(as.token_endpoint, http, signal),
      );
      return toOAuthError(
        await response.then(
          () => null,
          (e: unknown) => e,
        ),
        'waiting',
      );
    };
    expect((await hang({ timeoutMs: 100 })).code).toBe('oauth/network');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await hang({ timeoutMs: 10_000 }, controller.signal);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
