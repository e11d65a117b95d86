/**
 * A code by hand against the Salesforce double and oidc-provider over real HTTP: the browser logs in and is
 * sent to a callback page that is not on this computer (never requested: no test touches the internet), and
 * the test pastes that address, or only its code, as the user would. Every refusal is a typed error that says
 * what to do, and the ones a second paste can fix leave the flow waiting.
 */
import type * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import {
  beginManualCodeFlow,
  readPastedResponse,
  type ManualCodeFlow,
  type ManualCodeFlowOptions,
} from '../../main/oauth/manual-code-flow';
import { loginAtSalesforceDouble } from '../servers/browser-login';
import { HAND_CLIENT_ID, HAND_REDIRECT_URI, loginAtOidcPeer, startOidcPeer, type OidcPeer } from '../servers/oidc-peer';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type SalesforceDouble,
} from '../servers/salesforce-double';
import { errorOf } from './support';

const SUCCESS_PAGE = 'https://login.salesforce.com/services/oauth2/success';
const EXAMPLE = 'https://www.example.com';

let double: SalesforceDouble | null = null;
let peer: OidcPeer | null = null;
afterEach(async () => {
  for (const c of aborts.splice(0)) c.abort();
  await double?.close();
  await peer?.close();
  double = null;
  peer = null;
});
const aborts: AbortController[] = [];

async function startDouble(callbackUrls = [SUCCESS_PAGE, EXAMPLE]) {
  double = await startSalesforceDouble({ apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls }] });
  return { double, as: await discoverAuthorizationServer(double.loginUrl) };
}

/** Begins a flow whose "browser" logs in at the double and records where it was sent (not requesting it). */
async function begin(
  as: oauth.AuthorizationServer,
  options: Partial<ManualCodeFlowOptions> & { decision?: 'allow' | 'deny' } = {},
): Promise<{ flow: ManualCodeFlow; landed: Promise<string>; opened: string[] }> {
  const opened: string[] = [];
  let landedOn!: (url: string) => void;
  const landed = new Promise<string>((ok) => (landedOn = ok));
  const controller = new AbortController();
  aborts.push(controller);
  const flow = await beginManualCodeFlow({
    as,
    clientId: DEFAULT_CLIENT_ID,
    redirectUri: SUCCESS_PAGE,
    scopes: ['api', 'refresh_token'],
    openExternal: (url) => {
      opened.push(url);
      void loginAtSalesforceDouble(url, {
        username: DEFAULT_USER.username,
        password: DEFAULT_USER.password,
        decision: options.decision ?? 'allow',
      }).then((r) => landedOn(r.callbackUrl));
    },
    http: { timeoutMs: 5000 },
    signal: controller.signal,
    ...options,
  });
  return { flow, landed, opened };
}

const codeIn = (url: string) => /[?&]code=([^&]+)/.exec(url)![1]!;
const tokenRequests = () => double!.requests.filter((r) => r === 'POST /services/oauth2/token').length;

describe('a code by hand at the Salesforce double', () => {
  it('opens the authorize URL with PKCE, state and the exact redirect_uri, and exchanges the pasted address', async () => {
    const { as } = await startDouble();
    const { flow, landed, opened } = await begin(as);
    const authorize = new URL(opened[0]!);
    expect(opened).toEqual([flow.authorizeUrl]);
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('redirect_uri')).toBe(SUCCESS_PAGE);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(authorize.searchParams.get('prompt')).toBe('login');
    expect(flow.expiresAt).toBeGreaterThan(Date.now() + 14 * 60_000);

    const address = await landed;
    // The address bar shows the code URL-encoded, as Salesforce sends it.
    expect(address).toMatch(new RegExp(`^${SUCCESS_PAGE}\\?code=aPrx[^&]+%3D%3D&state=`));
    await flow.submit(`  ${address}\n`);
    const tokens = await flow.result;
    expect(tokens.accessToken).toMatch(/^00D5g000004XYZA!AR/);
    expect(tokens.refreshToken).toMatch(/^5Aep861/);
    expect(tokens.instanceUrl).toBe(double!.orgs[0]!.myDomainUrl);
  });

  it('takes only the code, URL-encoded or already decoded, and decodes it exactly once', async () => {
    const { as } = await startDouble();
    const first = await begin(as);
    const encoded = codeIn(await first.landed);
    expect(encoded).toMatch(/%3D%3D$/);
    await first.flow.submit(encoded);
    expect((await first.flow.result).accessToken).toMatch(/^00D/);

    const second = await begin(as);
    const decoded = decodeURIComponent(codeIn(await second.landed));
    expect(decoded).toMatch(/==$/);
    await second.flow.submit(`code=${decoded}`);
    expect((await second.flow.result).accessToken).toMatch(/^00D/);
  });

  it('sends a callback URL without a path exactly as registered, with no slash added', async () => {
    const { as } = await startDouble([EXAMPLE]);
    const { flow, landed, opened } = await begin(as, { redirectUri: EXAMPLE });
    expect(new URL(opened[0]!).searchParams.get('redirect_uri')).toBe(EXAMPLE);
    await flow.submit(await landed);
    expect((await flow.result).accessToken).toMatch(/^00D/);
    // The double compares redirect_uri character by character at both endpoints.
    expect(double!.requests).toContain('POST /services/oauth2/token');
  });

  it('refuses an address from another attempt (state) and keeps waiting for its own', async () => {
    const { as } = await startDouble();
    const other = await begin(as);
    const mine = await begin(as);
    const otherAddress = await other.landed;
    const error = await errorOf(mine.flow.submit(otherAddress));
    expect(error.code).toBe('oauth/state_mismatch');
    expect(error.message).toMatch(/another sign-in attempt/);
    expect(tokenRequests()).toBe(0);
    await mine.flow.submit(await mine.landed);
    expect((await mine.flow.result).accessToken).toMatch(/^00D/);
  });

  it('ends with access_denied when the pasted address carries error=', async () => {
    const { as } = await startDouble();
    const { flow, landed } = await begin(as, { decision: 'deny' });
    const address = await landed;
    expect(address).toContain('error=access_denied');
    const error = await errorOf(flow.submit(address));
    expect(error.code).toBe('oauth/access_denied');
    expect((await errorOf(flow.result)).code).toBe('oauth/access_denied');
    expect((await errorOf(flow.submit(address))).code).toBe('oauth/flow_not_found');
  });

  it('says a code older than 15 minutes has expired, and ends the flow', async () => {
    const { as } = await startDouble();
    const { flow, landed } = await begin(as);
    const address = await landed;
    double!.advance(15 * 60_000 + 1000);
    const error = await errorOf(flow.submit(address));
    expect(error.code).toBe('oauth/code_expired');
    expect(error.message).toMatch(/15 minutes/);
    expect(error.message).toMatch(/expired authorization code/);
    expect((await errorOf(flow.result)).code).toBe('oauth/code_expired');
  });

  it('says a code already used was refused, keeps waiting, and does not send the same code twice', async () => {
    const { as } = await startDouble();
    const first = await begin(as);
    const usedCode = codeIn(await first.landed);
    await first.flow.submit(usedCode);
    await first.flow.result;

    const second = await begin(as);
    const before = tokenRequests();
    const refused = await errorOf(second.flow.submit(usedCode));
    expect(refused.code).toBe('oauth/code_reused');
    expect(refused.message).toMatch(/works only once/);
    expect(tokenRequests()).toBe(before + 1);
    // The same code again is refused here, without asking the server.
    const again = await errorOf(second.flow.submit(usedCode));
    expect(again.code).toBe('oauth/code_reused');
    expect(tokenRequests()).toBe(before + 1);
    await second.flow.submit(await second.landed);
    expect((await second.flow.result).accessToken).toMatch(/^00D/);
  });

  it('says so when the code was issued for another redirect_uri', async () => {
    const { as } = await startDouble();
    // A code issued for https://www.example.com, pasted into a sign-in that sends the success page.
    const elsewhere = await begin(as, { redirectUri: EXAMPLE });
    const { flow } = await begin(as);
    const error = await errorOf(flow.submit(codeIn(await elsewhere.landed)));
    expect(error.code).toBe('oauth/invalid_redirect_uri');
    expect(error.message).toMatch(/callback URL/);
    expect((await errorOf(flow.result)).code).toBe('oauth/invalid_redirect_uri');
  });

  it('refuses text without a code and keeps waiting', async () => {
    const { as } = await startDouble();
    const { flow, landed } = await begin(as);
    for (const pasted of [
      SUCCESS_PAGE,
      `${SUCCESS_PAGE}?foo=bar`,
      'two words',
      '%E0%A4%A',
      `${SUCCESS_PAGE}?code=%E0%A4%A`,
    ]) {
      expect((await errorOf(flow.submit(pasted))).code, pasted).toBe('oauth/no_code');
    }
    expect(tokenRequests()).toBe(0);
    await flow.submit(await landed);
    expect((await flow.result).accessToken).toMatch(/^00D/);
  });

  it('ends on cancel and on timeout', async () => {
    const { as } = await startDouble();
    const controller = new AbortController();
    const cancelled = await begin(as, { signal: controller.signal });
    controller.abort();
    expect((await errorOf(cancelled.flow.result)).code).toBe('oauth/cancelled');
    expect((await errorOf(cancelled.flow.submit(await cancelled.landed))).code).toBe('oauth/flow_not_found');

    const slow = await begin(as, { timeoutMs: 50 });
    const timedOut = await errorOf(slow.flow.result);
    expect(timedOut.code).toBe('oauth/timeout');
    expect(timedOut.message).toMatch(/Start the sign-in again/);
  });

  it('says so when the browser cannot be opened', async () => {
    const { as } = await startDouble();
    const error = await errorOf(
      beginManualCodeFlow({
        as,
        clientId: DEFAULT_CLIENT_ID,
        redirectUri: SUCCESS_PAGE,
        scopes: ['api'],
        openExternal: () => Promise.reject(new Error('no browser')),
      }),
    );
    expect(error.code).toBe('oauth/network');
  });
});

describe('a code by hand at oidc-provider', () => {
  async function beginAtPeer() {
    peer = await startOidcPeer();
    const as = await discoverAuthorizationServer(peer.issuer);
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
    let landedOn!: (url: string) => void;
    const landed = new Promise<string>((ok) => (landedOn = ok));
    const controller = new AbortController();
    aborts.push(controller);
    const flow = await beginManualCodeFlow({
      as,
      clientId: HAND_CLIENT_ID,
      redirectUri: HAND_REDIRECT_URI,
      scopes: ['openid', 'offline_access'],
      prompt: 'login consent',
      openExternal: (url) => void loginAtOidcPeer(url).then((r) => landedOn(r.callbackUrl)),
      signal: controller.signal,
    });
    return { flow, landed, as };
  }

  it('exchanges the pasted address, iss checked, for tokens with a refresh token', async () => {
    const { flow, landed } = await beginAtPeer();
    const address = await landed;
    expect(address.startsWith(`${HAND_REDIRECT_URI}?code=`)).toBe(true);
    expect(new URL(address).searchParams.get('iss')).toBe(peer!.issuer);
    await flow.submit(address);
    const tokens = await flow.result;
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.idToken).toBeTruthy();
    expect(tokens.idTokenValidation?.checks.some((c) => c.outcome === 'failed')).toBe(false);
  });

  it('takes only the code, which PKCE binds to this attempt', async () => {
    const { flow, landed } = await beginAtPeer();
    await flow.submit(new URL(await landed).searchParams.get('code')!);
    expect((await flow.result).accessToken).toBeTruthy();
  });

  it('refuses an address whose iss is another server', async () => {
    const { flow, landed } = await beginAtPeer();
    const address = new URL(await landed);
    address.searchParams.set('iss', 'https://evil.example');
    const error = await errorOf(flow.submit(address.href));
    expect(error.code).toBe('oauth/iss_mismatch');
  });
});

describe('reading what was pasted', () => {
  const expected = { state: 'S', iss: null };

  it('decodes each value once and keeps "+" as it is', () => {
    expect(readPastedResponse('https://x.example/cb?code=a%2Bb%3D%3D&state=S', expected).get('code')).toBe('a+b==');
    expect(readPastedResponse('https://x.example/cb?code=a+b==&state=S', expected).get('code')).toBe('a+b==');
    // %253D is a percent sign followed by 3D: decoded once, it stays "%3D".
    expect(readPastedResponse('https://x.example/cb?code=a%253D&state=S', expected).get('code')).toBe('a%3D');
    expect(readPastedResponse('abc%3D%3D', expected).get('code')).toBe('abc==');
    expect(readPastedResponse('abc==', expected).get('code')).toBe('abc==');
    expect(readPastedResponse('?code=abc%3D%3D', expected).get('code')).toBe('abc==');
  });

  it('gives a bare code the state of this attempt, since PKCE binds it instead', () => {
    const params = readPastedResponse('abc', { state: 'S', iss: 'https://issuer.example' });
    expect(Object.fromEntries(params)).toEqual({ code: 'abc', state: 'S', iss: 'https://issuer.example' });
  });

  it('refuses an address without a state or with two', () => {
    for (const pasted of ['https://x.example/cb?code=abc', 'https://x.example/cb?code=abc&state=S&state=S']) {
      expect(() => readPastedResponse(pasted, expected)).toThrow(
        expect.objectContaining({ code: 'oauth/state_mismatch' }),
      );
    }
  });
});
