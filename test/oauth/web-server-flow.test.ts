/**
 * The web server flow's fault cases (SECURITY.md): a token endpoint that answers HTML, a 500, nothing
 * (timeout), a body without access_token, a huge body; a replayed code. Real HTTP against the double.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { normalizeLoginHost, orgTypeFromHost } from '../../main/oauth/login-host';
import { beginWebServerFlow } from '../../main/oauth/web-server-flow';
import { followCallback, freePort, loginAtSalesforceDouble } from '../servers/browser-login';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type Fault,
  type SalesforceDouble,
} from '../servers/salesforce-double';

let double: SalesforceDouble;
let callback: string;

beforeEach(async () => {
  callback = `http://localhost:${await freePort()}/OauthRedirect`;
  double = await startSalesforceDouble({ apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [callback] }] });
});
afterEach(() => double.close());

/** Runs a whole flow; the "browser" logs in and follows the redirect. Returns the flow result. */
async function runFlow(options: { timeoutMs?: number; replay?: boolean } = {}) {
  const as = await discoverAuthorizationServer(double.loginUrl);
  let seenCallback = '';
  const flow = await beginWebServerFlow({
    as,
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: null,
    redirectUri: callback,
    scopes: ['api', 'refresh_token'],
    http: { timeoutMs: options.timeoutMs ?? 5000 },
    openExternal: async (url) => {
      void (async () => {
        const { callbackUrl } = await loginAtSalesforceDouble(url, {
          username: DEFAULT_USER.username,
          password: DEFAULT_USER.password,
        });
        seenCallback = callbackUrl;
        await followCallback(callbackUrl);
      })();
    },
  });
  try {
    return { tokens: await flow.result, callbackUrl: seenCallback };
  } finally {
    flow.finish({ ok: true, title: 'done', detail: '' });
  }
}

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('web server flow', () => {
  it('gets Salesforce-shaped tokens: instance_url, id, issued_at, and no expires_in', async () => {
    const { tokens, callbackUrl } = await runFlow();
    expect(callbackUrl).toMatch(/code=[^&]+%3D%3D/);
    expect(tokens.instanceUrl).toBe(double.orgs[0]!.myDomainUrl);
    expect(tokens.identityUrl).toMatch(/\/id\/00D\w{15}\/005\w{15}$/);
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.expiresAt).toBeNull();
    expect(tokens.tokenFormat).toBe('opaque');
  });

  it.each<[Fault, string, RegExp]>([
    ['html', 'oauth/bad_response', /web page instead of JSON/],
    ['http500', 'oauth/server_error', /HTTP 500/],
    ['no-access-token', 'oauth/bad_response', /access_token|access token/],
    ['huge', 'oauth/bad_response', /larger than 1 MB/],
  ])('a token endpoint fault "%s" gives %s with a message that says what to do', async (fault, code, message) => {
    double.setFault('token', fault);
    const error = await errorOf(runFlow());
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('gives up on a token endpoint that never answers', async () => {
    double.setFault('token', 'hang');
    const error = await errorOf(runFlow({ timeoutMs: 300 }));
    expect(error.code).toBe('oauth/network');
    expect(error.message).toMatch(/did not answer in time/);
  });

  it('refuses a replayed authorization code', async () => {
    const { callbackUrl } = await runFlow();
    const code = new URL(callbackUrl).searchParams.get('code')!;
    const response = await fetch(`${double.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: DEFAULT_CLIENT_ID,
        redirect_uri: callback,
        code_verifier: 'x'.repeat(43),
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('never puts a token in an error message', async () => {
    double.setFault('token', 'no-access-token');
    const error = await errorOf(runFlow());
    expect(error.message).not.toMatch(/00D\w{12,15}!/);
  });
});

describe('login hosts', () => {
  it('normalizes what people type and refuses what is not a login host', () => {
    expect(normalizeLoginHost('production')).toBe('https://login.salesforce.com');
    expect(normalizeLoginHost('sandbox')).toBe('https://test.salesforce.com');
    expect(normalizeLoginHost('  acme.my.salesforce.com/lightning/setup/Home  ')).toBe(
      'https://acme.my.salesforce.com',
    );
    expect(normalizeLoginHost('https://acme--dev.sandbox.my.salesforce.com/?x=1#y')).toBe(
      'https://acme--dev.sandbox.my.salesforce.com',
    );
    expect(normalizeLoginHost('http://127.0.0.1:8080/path')).toBe('http://127.0.0.1:8080');
    for (const bad of [
      '',
      'http://acme.my.salesforce.com',
      'ftp://acme.example',
      'https://user:pw@acme.my.salesforce.com',
      'acme',
      'not a host',
    ]) {
      expect(() => normalizeLoginHost(bad), bad).toThrow(expect.objectContaining({ code: 'oauth/invalid_login_host' }));
    }
  });

  it('guesses the org type from the host', () => {
    expect(orgTypeFromHost('https://acme--uat.sandbox.my.salesforce.com')).toBe('sandbox');
    expect(orgTypeFromHost('https://test.salesforce.com')).toBe('sandbox');
    expect(orgTypeFromHost('https://fun-dog-123.scratch.my.salesforce.com')).toBe('scratch');
    expect(orgTypeFromHost('https://acme-dev-ed.develop.my.salesforce.com')).toBe('developer');
    expect(orgTypeFromHost('https://acme.my.salesforce.com')).toBe('production');
    expect(orgTypeFromHost('http://127.0.0.1:3000')).toBe('unknown');
  });
});
