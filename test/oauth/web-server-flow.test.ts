/**
 * The web server flow with PKCE against the Salesforce double over real HTTP: the authorize URL, the
 * code exchange, Salesforce's response shape, and the fault cases of SECURITY.md (token endpoint answering
 * HTML, a 500, nothing, no access_token, a huge body; a replayed code; a second callback during the
 * exchange; denial; timeout; cancel).
 */
import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { clientOf } from '../../main/oauth/authorization-server';
import { beginWebServerFlow, exchangeAuthorizationCode } from '../../main/oauth/web-server-flow';
import { followCallback } from '../servers/browser-login';
import { DEFAULT_CLIENT_ID, DEFAULT_USER, type Fault } from '../servers/salesforce-double';
import { errorOf, errorText, signInAtDouble, startDoubleWorld, systemBrowser, type DoubleWorld } from './support';

let world: DoubleWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('web server flow against the Salesforce double', () => {
  it('opens the browser with PKCE S256, state and prompt=login, and gets Salesforce-shaped tokens', async () => {
    world = await startDoubleWorld();
    const { tokens, flow, seen } = await signInAtDouble(world);

    const authorize = new URL(flow.authorizeUrl);
    expect(seen.opened).toEqual([flow.authorizeUrl]);
    expect(authorize.origin + authorize.pathname).toBe(`${world.double.loginUrl}/services/oauth2/authorize`);
    const q = authorize.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(DEFAULT_CLIENT_ID);
    expect(q.get('redirect_uri')).toBe(world.callbackUrl);
    expect(q.get('prompt')).toBe('login');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // 32 random bytes of state, base64url: 256 bits, well over the 128 required.
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(q.get('scope')).toBe('api refresh_token openid id');
    expect(flow.redirectUri).toBe(world.callbackUrl);
    expect(flow.expiresAt).toBeGreaterThan(Date.now() + 4 * 60_000);

    // Salesforce codes end in "==" and travel URL-encoded.
    expect(seen.callbacks[0]).toMatch(/code=[^&]+%3D%3D/);
    expect(seen.callbackStatus).toEqual([303]);
    expect(seen.pages[0]).toContain('Signed in to Acme');

    expect(tokens.accessToken).toMatch(/^00D5g000004XYZA!AR/);
    expect(tokens.refreshToken).toMatch(/^5Aep861/);
    expect(tokens.idToken).toMatch(/^eyJ/);
    expect(tokens.instanceUrl).toBe(world.double.orgs[0]!.myDomainUrl);
    expect(tokens.identityUrl).toBe(`${world.double.loginUrl}/id/00D5g000004XYZAEA4/0055g00000AbCdEAAV`);
    expect(tokens.scopes).toEqual(['api', 'refresh_token', 'openid', 'id']);
    expect(tokens.tokenFormat).toBe('opaque');
    // No expires_in at Salesforce: the expiry of an opaque token is unknown until introspection.
    expect(tokens.expiresAt).toBeNull();
    expect(Math.abs(tokens.issuedAt - Date.now())).toBeLessThan(10_000);
    expect(Object.keys(tokens).sort()).toEqual(
      [
        'accessToken',
        'apiInstanceUrl',
        'expiresAt',
        'expirySource',
        'identityUrl',
        'idToken',
        'idTokenValidation',
        'instanceUrl',
        'issuedAt',
        'refreshToken',
        'scopes',
        'tokenFormat',
      ].sort(),
    );
    expect(world.double.requests).toContain('POST /services/oauth2/token');
    // The ID token's signature was checked against the issuer's keys (id-token-validation.ts).
    expect(world.double.requests).toContain('GET /id/keys');
    expect(tokens.idTokenValidation?.checks.every((c) => c.outcome === 'passed' || c.outcome === 'absent')).toBe(true);
  });

  it('makes a fresh verifier and state for every flow', async () => {
    world = await startDoubleWorld();
    const a = new URL((await signInAtDouble(world)).flow.authorizeUrl).searchParams;
    const b = new URL((await signInAtDouble(world)).flow.authorizeUrl).searchParams;
    expect(a.get('state')).not.toBe(b.get('state'));
    expect(a.get('code_challenge')).not.toBe(b.get('code_challenge'));
  });

  it('uses a PKCE verifier Salesforce accepts: base64url only, never "~"', () => {
    for (let i = 0; i < 500; i++) expect(oauth.generateRandomCodeVerifier()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gets a JWT-based access token whose expiry comes from its exp', async () => {
    world = await startDoubleWorld({ app: { tokenFormat: 'jwt' } });
    const { tokens } = await signInAtDouble(world);
    expect(tokens.tokenFormat).toBe('jwt');
    expect(tokens.apiInstanceUrl).toBe(world.double.orgs[0]!.myDomainUrl);
    const exp = (JSON.parse(Buffer.from(tokens.accessToken.split('.')[1]!, 'base64url').toString()) as { exp: number })
      .exp;
    expect(tokens.expiresAt).toBe(exp * 1000);
    expect(tokens.expiresAt! - Date.now()).toBeGreaterThan(7000 * 1000);
  });

  it('signs in at a My Domain login host', async () => {
    world = await startDoubleWorld();
    const myDomain = world.double.orgs[0]!.myDomainUrl;
    const { tokens, flow } = await signInAtDouble(world, { loginHost: myDomain });
    expect(flow.authorizeUrl.startsWith(`${myDomain}/services/oauth2/authorize?`)).toBe(true);
    expect(tokens.instanceUrl).toBe(myDomain);
  });

  it('authenticates with client_secret_post when the profile has a secret', async () => {
    world = await startDoubleWorld({ app: { clientSecret: 'top-secret-value', requireSecret: true } });
    const { tokens } = await signInAtDouble(world, { clientSecret: 'top-secret-value' });
    expect(tokens.accessToken).toBeTruthy();
    const error = await errorOf(signInAtDouble(world, { clientSecret: 'wrong-secret-value' }));
    expect(error.code).toBe('oauth/invalid_client');
    expect(error.message).toMatch(/consumer key and secret/);
    expect(errorText(error)).not.toContain('wrong-secret-value');
  });

  it('reports Deny in the browser as oauth/access_denied, and shows it on the page', async () => {
    world = await startDoubleWorld();
    const { openExternal, seen } = systemBrowser({ decision: 'deny' });
    const flow = await beginWebServerFlow({
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      redirectUri: world.callbackUrl,
      scopes: ['api'],
      openExternal,
    });
    const error = await errorOf(flow.result);
    expect(error.code).toBe('oauth/access_denied');
    expect(error.message).toContain('end-user denied authorization');
    await seen.idle();
    expect(seen.callbackStatus).toEqual([400]);
    expect(seen.pages[0]).toContain('Sign-in did not finish');
  });

  it('explains an app the user is not approved for, with the fix', async () => {
    world = await startDoubleWorld({ app: { approved: false } });
    const error = await errorOf(signInAtDouble(world));
    expect(error.code).toBe('oauth/app_not_approved');
    expect(error.message).toMatch(/admin must pre-authorize/);
    expect(error.message).toMatch(/All users may self-authorize/);
  });

  it('times out when the browser never comes back, and can be cancelled, closing the listener', async () => {
    world = await startDoubleWorld();
    const timedOut = await errorOf(signInAtDouble(world, { browser: { closeTab: true }, timeoutMs: 300 }));
    expect(timedOut.code).toBe('oauth/timeout');

    const { openExternal } = systemBrowser({ closeTab: true });
    const flow = await beginWebServerFlow({
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      redirectUri: world.callbackUrl,
      scopes: ['api'],
      openExternal,
    });
    flow.cancel();
    expect((await errorOf(flow.result)).code).toBe('oauth/cancelled');
    await expect(fetch(`${world.callbackUrl}?code=x&state=y`)).rejects.toThrow();

    const abort = new AbortController();
    const second = await beginWebServerFlow({
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      redirectUri: world.callbackUrl,
      scopes: ['api'],
      openExternal,
      signal: abort.signal,
    });
    abort.abort();
    expect((await errorOf(second.result)).code).toBe('oauth/cancelled');
  });

  it('says why the browser did not open: no browser, or an address the app refuses to open', async () => {
    world = await startDoubleWorld();
    const begin = (openExternal: () => Promise<void>) =>
      beginWebServerFlow({
        as: world!.as,
        clientId: DEFAULT_CLIENT_ID,
        redirectUri: world!.callbackUrl,
        scopes: ['api'],
        openExternal,
      });
    const noBrowser = await errorOf(begin(() => Promise.reject(new Error('xdg-open: no method available'))));
    expect([noBrowser.code, noBrowser.message]).toEqual(['oauth/network', expect.stringMatching(/default browser/)]);
    const refused = await errorOf(
      begin(() => Promise.reject(new AppError('oauth/bad_response', 'The app does not open this address.'))),
    );
    expect([refused.code, refused.message]).toEqual(['oauth/bad_response', 'The app does not open this address.']);
    await expect(fetch(`${world.callbackUrl}?code=x&state=y`)).rejects.toThrow();
  });

  it('refuses a second callback while the code is being exchanged', async () => {
    world = await startDoubleWorld();
    let second: { status: number; body: string } | null = null;
    const { openExternal, seen } = systemBrowser();
    const slowFetch: typeof fetch = async (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith('/services/oauth2/token')) {
        // The attacker (or a double-clicking user) replays the callback while the exchange runs.
        second = await followCallback(seen.callbacks[0]!);
      }
      return fetch(input, init);
    };
    const flow = await beginWebServerFlow({
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      redirectUri: world.callbackUrl,
      scopes: ['api'],
      openExternal,
      fetch: slowFetch,
    });
    const tokens = await flow.result;
    expect(tokens.accessToken).toBeTruthy();
    expect(second).not.toBeNull();
    expect(second!.status).toBe(400);
    expect(second!.body).toContain('already finished');
    flow.finish({ ok: true, org: 'Acme' });
  });

  it('refuses a replayed authorization code with oauth/invalid_grant', async () => {
    world = await startDoubleWorld();
    const sent: URLSearchParams[] = [];
    const recording: typeof fetch = async (input, init) => {
      if (init?.body instanceof URLSearchParams) sent.push(new URLSearchParams(init.body));
      return fetch(input, init);
    };
    const { tokens, seen } = await signInAtDouble(world, { http: { fetch: recording } });
    expect(tokens.accessToken).toBeTruthy();
    const first = sent.find((b) => b.get('grant_type') === 'authorization_code')!;
    expect(first.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.get('redirect_uri')).toBe(world.callbackUrl);
    // The same code, verifier and redirect URI again: the code is single use.
    const params = new URL(seen.callbacks[0]!).searchParams;
    const { client, auth } = clientOf(DEFAULT_CLIENT_ID, null);
    const error = await errorOf(
      exchangeAuthorizationCode({
        as: world.as,
        client,
        auth,
        params,
        state: params.get('state')!,
        redirectUri: world.callbackUrl,
        verifier: first.get('code_verifier')!,
        scopes: ['api'],
        http: {},
      }),
    );
    expect(error.code).toBe('oauth/invalid_grant');
    expect(error.message).toMatch(/sign in to this org again/);
  });

  it.each<[Fault, string, RegExp]>([
    ['html', 'oauth/bad_response', /web page instead of JSON.*Check the login host/],
    ['http500', 'oauth/server_error', /HTTP 500/],
    ['no-access-token', 'oauth/bad_response', /no access_token/],
    ['huge', 'oauth/bad_response', /larger than 1 MB/],
  ])('a token endpoint fault "%s" gives %s with a message that says what to do', async (fault, code, message) => {
    world = await startDoubleWorld();
    world.double.setFault('token', fault);
    const { openExternal, seen } = systemBrowser();
    const flow = await beginWebServerFlow({
      as: world.as,
      clientId: DEFAULT_CLIENT_ID,
      redirectUri: world.callbackUrl,
      scopes: ['api', 'refresh_token', 'openid'],
      openExternal,
    });
    const error = await errorOf(flow.result);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    // The browser is told, too.
    await seen.idle();
    expect(seen.pages[0]).toContain('Sign-in did not finish');
    // With no-access-token the body still held a refresh and an ID token: none may leak into the error.
    expect(errorText(error)).not.toMatch(/5Aep861|eyJ|00D5g000004XYZA!/);
  });

  it('gives up on a token endpoint that never answers (AbortSignal.timeout)', async () => {
    world = await startDoubleWorld();
    world.double.setFault('token', 'hang');
    const started = Date.now();
    const error = await errorOf(signInAtDouble(world, { http: { timeoutMs: 300 } }));
    expect(error.code).toBe('oauth/network');
    expect(error.message).toMatch(/did not answer in time/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('never puts the user’s password or a token in the authorize URL', async () => {
    world = await startDoubleWorld();
    const { flow, tokens } = await signInAtDouble(world);
    expect(flow.authorizeUrl).not.toContain(DEFAULT_USER.password);
    expect(flow.authorizeUrl).not.toContain(tokens.accessToken);
  });
});
