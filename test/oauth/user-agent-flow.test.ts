/**
 * The user-agent flow against the Salesforce double over real HTTP: the authorize URL asks for
 * `response_type=token`, the double sends the tokens in the callback's fragment, and the "browser" does what
 * the fragment page's script does (test/servers/browser-login.ts `deliverFragment`; the script itself runs in
 * Chromium in test/e2e/user-agent.test.ts). The listener's defences: state first, same origin only, our own
 * Host only, a size cap, and the fragment never in a log line.
 */
import type * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { beginUserAgentFlow, type UserAgentFlow, type UserAgentFlowOptions } from '../../main/oauth/user-agent-flow';
import { deliverFragment, followCallback, freePort, loginAtSalesforceDouble } from '../servers/browser-login';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type DoubleApp,
  type SalesforceDouble,
} from '../servers/salesforce-double';
import { errorOf } from './support';

let double: SalesforceDouble | null = null;
const aborts: AbortController[] = [];
afterEach(async () => {
  for (const c of aborts.splice(0)) c.abort();
  await double?.close();
  double = null;
  vi.restoreAllMocks();
});

async function start(app: Partial<DoubleApp> = {}) {
  const callbackUrl = `http://localhost:${await freePort()}/OauthRedirect`;
  double = await startSalesforceDouble({
    apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [callbackUrl], responseTypes: ['token'], ...app }],
  });
  return { callbackUrl, as: await discoverAuthorizationServer(double.loginUrl) };
}

/** Begins the flow; its "browser" logs in and hands back where it was sent (the callback with its fragment). */
async function begin(
  as: oauth.AuthorizationServer,
  redirectUri: string,
  options: Partial<UserAgentFlowOptions> & { decision?: 'allow' | 'deny' } = {},
): Promise<{ flow: UserAgentFlow; landed: Promise<string> }> {
  let landedOn!: (url: string) => void;
  const landed = new Promise<string>((ok) => (landedOn = ok));
  const controller = new AbortController();
  aborts.push(controller);
  const flow = await beginUserAgentFlow({
    as,
    clientId: DEFAULT_CLIENT_ID,
    redirectUri,
    scopes: ['api', 'refresh_token'],
    openExternal: (url) =>
      void loginAtSalesforceDouble(url, {
        username: DEFAULT_USER.username,
        password: DEFAULT_USER.password,
        decision: options.decision ?? 'allow',
      }).then((r) => landedOn(r.callbackUrl)),
    signal: controller.signal,
    ...options,
  });
  return { flow, landed };
}

describe('user-agent flow against the Salesforce double', () => {
  it('asks for response_type=token and takes the tokens the page posts from the fragment', async () => {
    const { as, callbackUrl } = await start();
    const logged = vi.spyOn(console, 'error');
    const { flow, landed } = await begin(as, callbackUrl);
    const authorize = new URL(flow.authorizeUrl);
    expect(authorize.searchParams.get('response_type')).toBe('token');
    expect(authorize.searchParams.get('redirect_uri')).toBe(callbackUrl);
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(authorize.searchParams.get('prompt')).toBe('login');
    expect(authorize.searchParams.has('code_challenge')).toBe(false);

    const back = new URL(await landed);
    expect(back.search).toBe('');
    const fragment = new URLSearchParams(back.hash.slice(1));
    expect(fragment.get('access_token')).toMatch(/^00D/);
    expect(fragment.get('refresh_token')).toMatch(/^5Aep861/);

    const { page, posted, final } = await (async () => {
      const delivered = deliverFragment(back.href);
      const tokens = await flow.result;
      flow.finish({ ok: true, title: 'Signed in to Acme', detail: 'Done.' });
      return { ...(await delivered), tokens };
    })();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'; /);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.body).not.toContain(fragment.get('access_token'));
    expect(posted).toEqual({ status: 200, body: { next: '/done' } });
    expect(final).toContain('Signed in to Acme');

    const tokens = await flow.result;
    expect(tokens.accessToken).toBe(fragment.get('access_token'));
    expect(tokens.refreshToken).toBe(fragment.get('refresh_token'));
    expect(tokens.instanceUrl).toBe(double!.orgs[0]!.myDomainUrl);
    expect(tokens.identityUrl).toBe(fragment.get('id'));
    expect(tokens.issuedAt).toBe(Number(fragment.get('issued_at')));
    expect(tokens.scopes).toEqual(['api', 'refresh_token']);
    expect(double!.isTokenActive(tokens.accessToken)).toBe(true);
    expect(logged).not.toHaveBeenCalled();
    // The listener is gone once the page was shown.
    await expect(fetch(callbackUrl)).rejects.toThrow();
  });

  it('gets no refresh token without the refresh_token scope', async () => {
    const { as, callbackUrl } = await start();
    const { flow, landed } = await begin(as, callbackUrl, { scopes: ['api'] });
    const back = await landed;
    expect(back).not.toContain('refresh_token');
    void deliverFragment(back);
    const tokens = await flow.result;
    expect(tokens.refreshToken).toBeNull();
    flow.finish({ ok: true });
  });

  it('ignores a fragment with another state, or from another origin, and keeps waiting for the real one', async () => {
    const { as, callbackUrl } = await start();
    const { flow, landed } = await begin(as, callbackUrl);
    const back = await landed;
    const forged = new URLSearchParams(new URL(back).hash.slice(1));
    forged.set('state', 'not-the-state');
    const wrongState = await deliverFragment(back, { fragment: forged.toString() });
    expect(wrongState.posted.status).toBe(400);
    expect(wrongState.posted.body).toEqual({ message: expect.stringMatching(/does not belong to the sign-in/) });
    for (const origin of [null, 'http://evil.example']) {
      const elsewhere = await deliverFragment(back, { origin });
      expect(elsewhere.posted.status).toBe(403);
    }
    const real = deliverFragment(back);
    expect((await flow.result).accessToken).toMatch(/^00D/);
    flow.finish({ ok: true });
    expect((await real).posted.status).toBe(200);
  });

  it('answers only its own Host, and refuses an oversized body', async () => {
    const { as, callbackUrl } = await start();
    const { flow } = await begin(as, callbackUrl);
    const url = new URL(callbackUrl);
    const otherHost = await new Promise<number>((ok) => {
      void import('node:http').then(({ request }) => {
        const req = request(
          { host: '127.0.0.1', port: url.port, path: url.pathname, headers: { host: `evil.example:${url.port}` } },
          (res) => {
            res.resume();
            ok(res.statusCode ?? 0);
          },
        );
        req.end();
      });
    });
    expect(otherHost).toBe(421);
    const huge = await fetch(callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url.origin },
      body: 'a='.padEnd(70_000, 'x'),
    });
    expect(huge.status).toBe(413);
    // Still waiting: the wait ends when the sign-in is cancelled.
    aborts.at(-1)!.abort();
    expect((await errorOf(flow.result)).code).toBe('oauth/cancelled');
  });

  it('ends with access_denied when the user presses Deny, shown in the browser too', async () => {
    const { as, callbackUrl } = await start();
    const { flow, landed } = await begin(as, callbackUrl, { decision: 'deny' });
    const back = await landed;
    expect(new URL(back).hash).toContain('error=access_denied');
    const delivered = await deliverFragment(back);
    expect(delivered.posted.status).toBe(400);
    expect(delivered.posted.body).toEqual({ message: expect.stringMatching(/Access was denied/) });
    expect((await errorOf(flow.result)).code).toBe('oauth/access_denied');
  });

  it('says so when the app does not allow the user-agent flow', async () => {
    const { as, callbackUrl } = await start({ responseTypes: ['code'] });
    const { flow, landed } = await begin(as, callbackUrl);
    void deliverFragment(await landed);
    const error = await errorOf(flow.result);
    expect(error.code).toBe('oauth/authorization_error');
    expect(error.message).toMatch(/unsupported_response_type/);
  });

  it('serves the page only while waiting, and times out', async () => {
    const { as, callbackUrl } = await start();
    const { flow } = await begin(as, callbackUrl, { timeoutMs: 300 });
    expect((await followCallback(`${new URL(callbackUrl).origin}/done`)).status).toBe(404);
    expect((await followCallback(`${new URL(callbackUrl).origin}/favicon.ico`)).status).toBe(404);
    const error = await errorOf(flow.result);
    expect(error.code).toBe('oauth/timeout');
  });

  it('needs a callback URL on this computer', async () => {
    const { as } = await start();
    const error = await errorOf(begin(as, 'https://www.example.com'));
    expect(error.code).toBe('oauth/invalid_redirect_uri');
  });
});
