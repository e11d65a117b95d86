/**
 * The callback's parameters checked in order: `state` before anything else (a wrong one is ignored and the
 * wait goes on), then repeated parameters, `iss` when the server promises it, `error=`, and a `code`.
 * Over real HTTP on 127.0.0.1 through the listener, and on the parameters directly.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { judgeCallback } from '../../main/oauth/callback-response';
import { startLoopbackListener, type ListenerOptions } from '../../main/oauth/loopback-listener';
import { freePort } from '../servers/browser-login';
import { errorOf } from './support';

const STATE = 'S'.repeat(43);
const get = (url: string) => fetch(url, { redirect: 'manual' });

async function start(extra: Partial<ListenerOptions> = {}) {
  const port = await freePort();
  const listener = await startLoopbackListener({
    redirectUri: `http://localhost:${port}/OauthRedirect`,
    expectedState: STATE,
    ...extra,
  });
  return { listener, base: `http://localhost:${port}`, port, callback: `http://localhost:${port}/OauthRedirect` };
}

/** True when nothing accepts connections on the port any more. */
function portClosed(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), ok(false)));
    s.once('error', () => ok(true));
  });
}

describe('the callback, through the listener', () => {
  it('answers wrong, missing and duplicated state with 400 and keeps waiting for the real callback', async () => {
    const { listener, callback } = await start();
    for (const query of [
      '?code=x&state=wrong',
      '?code=x',
      `?code=x&state=${STATE}x`,
      `?code=x&state=${STATE}&state=${STATE}`,
      '?error=access_denied&error_description=nope&state=wrong',
      '?error=access_denied',
    ]) {
      const r = await get(`${callback}${query}`);
      expect(r.status, query).toBe(400);
      expect(await r.text(), query).toContain('does not belong to the sign-in');
    }
    const ok = await get(`${callback}?code=abc%3D%3D&state=${STATE}`);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/done');
    expect(ok.headers.get('referrer-policy')).toBe('no-referrer');
    expect(ok.headers.get('cache-control')).toBe('no-store');
    // The code arrives decoded, "==" and all.
    expect((await listener.waitForCallback()).get('code')).toBe('abc==');
    listener.close();
  });

  it('fails the flow on error=access_denied with the right state, escaping the description on the page', async () => {
    const { listener, callback, port } = await start();
    const r = await get(
      `${callback}?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=${STATE}`,
    );
    const html = await r.text();
    expect(r.status).toBe(400);
    expect(r.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    const error = await errorOf(listener.waitForCallback());
    expect(error.code).toBe('oauth/access_denied');
    expect(error.message).toContain('<script>alert(1)</script>');
    await expect.poll(() => portClosed(port)).toBe(true);
  });

  it('fails the flow on another error= with the server’s description', async () => {
    const { listener, callback } = await start();
    await get(
      `${callback}?error=invalid_request&error_description=missing%20required%20code%20challenge&state=${STATE}`,
    );
    const error = await errorOf(listener.waitForCallback());
    expect(error.code).toBe('oauth/authorization_error');
    expect(error.message).toContain('missing required code challenge');
  });

  it('explains "not admin approved" with the fix', async () => {
    const { listener, callback } = await start();
    await get(
      `${callback}?error=access_denied&error_description=user%20is%20not%20admin%20approved%20to%20access%20this%20app&state=${STATE}`,
    );
    const error = await errorOf(listener.waitForCallback());
    expect(error.code).toBe('oauth/app_not_approved');
    expect(error.message).toMatch(/All users may self-authorize/);
  });

  it('checks iss when the server promises it: wrong or missing iss stops the flow', async () => {
    const iss = 'http://127.0.0.1:4444';
    for (const query of [`&iss=${encodeURIComponent('http://127.0.0.1:1/evil')}`, '']) {
      const { listener, callback } = await start({ expectedIss: iss });
      const r = await get(`${callback}?code=c&state=${STATE}${query}`);
      expect(r.status).toBe(400);
      const error = await errorOf(listener.waitForCallback());
      expect(error.code).toBe('oauth/iss_mismatch');
    }
    const { listener, callback } = await start({ expectedIss: iss });
    expect((await get(`${callback}?code=c&state=${STATE}&iss=${encodeURIComponent(iss)}`)).status).toBe(303);
    expect((await listener.waitForCallback()).get('iss')).toBe(iss);
    listener.close();
  });

  it('checks iss before error=', async () => {
    const { listener, callback } = await start({ expectedIss: 'http://127.0.0.1:4444' });
    await get(`${callback}?error=access_denied&state=${STATE}&iss=${encodeURIComponent('http://evil.example')}`);
    expect((await errorOf(listener.waitForCallback())).code).toBe('oauth/iss_mismatch');
  });
});

describe('judgeCallback', () => {
  const judge = (query: string, iss?: string | null) =>
    judgeCallback(new URLSearchParams(query), { state: STATE, iss });

  it('ignores a callback whose state is not ours, whatever else it carries', () => {
    for (const query of ['code=x', 'code=x&state=', `code=x&state=${STATE.slice(1)}`, `state=${STATE}&state=x`]) {
      expect(judge(query), query).toEqual({ kind: 'foreign' });
    }
    expect(judge(`error=access_denied&iss=x&state=${STATE}x`, 'y')).toEqual({ kind: 'foreign' });
  });

  it('ends the flow on a repeated code, error or iss, and on a callback without a code', () => {
    for (const name of ['code', 'error', 'iss']) {
      const verdict = judge(`state=${STATE}&code=c&${name}=a&${name}=b`);
      expect(verdict).toMatchObject({
        kind: 'failed',
        error: { code: 'oauth/authorization_error', message: expect.stringContaining(`more than one "${name}"`) },
      });
    }
    expect(judge(`state=${STATE}&code=`)).toMatchObject({ kind: 'failed', error: { code: 'oauth/bad_response' } });
  });

  it('takes a code with our state, and the promised iss when there is one', () => {
    expect(judge(`state=${STATE}&code=c`)).toEqual({ kind: 'code' });
    expect(judge(`state=${STATE}&code=c&iss=https://a.example`, 'https://a.example')).toEqual({ kind: 'code' });
    expect(judge(`state=${STATE}&code=c&iss=https://b.example`, null)).toEqual({ kind: 'code' });
  });

  it('takes an access token instead of a code in the user-agent flow, the same checks first', () => {
    const token = (query: string) => judgeCallback(new URLSearchParams(query), { state: STATE, response: 'token' });
    expect(token(`state=${STATE}&access_token=t&token_type=Bearer`)).toEqual({ kind: 'code' });
    expect(token(`state=x&access_token=t`)).toEqual({ kind: 'foreign' });
    expect(token(`state=${STATE}&code=c`)).toMatchObject({
      kind: 'failed',
      error: { code: 'oauth/bad_response', message: expect.stringContaining('without an access token') },
    });
    expect(token(`state=${STATE}&access_token=a&access_token=b`)).toMatchObject({
      kind: 'failed',
      error: { message: expect.stringContaining('more than one "access_token"') },
    });
  });
});
