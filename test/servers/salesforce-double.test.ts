/** The double itself honours the Salesforce facts the product relies on (shared/SALESFORCE.md). */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, loginAtSalesforceDouble } from './browser-login';
import { to18 } from '../../main/tokens/org-id';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_ORG_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type SalesforceDouble,
} from './salesforce-double';

let double: SalesforceDouble;
let callback: string;
beforeEach(async () => {
  callback = `http://localhost:${await freePort()}/OauthRedirect`;
  double = await startSalesforceDouble({
    apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [callback] }],
    initialAccessToken: 'iat-secret',
  });
});
afterEach(() => double.close());

const form = (o: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(o),
});

async function codeWith(verifier: string): Promise<string> {
  const url = new URL(`${double.loginUrl}/services/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: DEFAULT_CLIENT_ID,
    redirect_uri: callback,
    state: 's',
    scope: 'api refresh_token',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const { callbackUrl } = await loginAtSalesforceDouble(url.href, {
    username: DEFAULT_USER.username,
    password: DEFAULT_USER.password,
  });
  return new URL(callbackUrl).searchParams.get('code')!;
}

async function tokens(): Promise<{ access_token: string; refresh_token: string; instance_url: string }> {
  const verifier = 'v'.repeat(50);
  const code = await codeWith(verifier);
  const r = await fetch(
    `${double.loginUrl}/services/oauth2/token`,
    form({
      grant_type: 'authorization_code',
      code,
      client_id: DEFAULT_CLIENT_ID,
      redirect_uri: callback,
      code_verifier: verifier,
    }),
  );
  return (await r.json()) as { access_token: string; refresh_token: string; instance_url: string };
}

describe('Salesforce double', () => {
  it('uses real 18-character IDs: the case-safe suffix matches the first 15 characters', () => {
    for (const id of [DEFAULT_ORG_ID, DEFAULT_USER.userId]) expect(to18(id.slice(0, 15))).toBe(id);
  });

  it('rejects a PKCE verifier containing "~", as Salesforce does', async () => {
    const verifier = `${'a'.repeat(45)}~x`;
    const code = await codeWith(verifier);
    const r = await fetch(
      `${double.loginUrl}/services/oauth2/token`,
      form({
        grant_type: 'authorization_code',
        code,
        client_id: DEFAULT_CLIENT_ID,
        redirect_uri: callback,
        code_verifier: verifier,
      }),
    );
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: 'invalid_grant', error_description: 'invalid code verifier' });
  });

  it('answers a redirect_uri mismatch with an error page, not a redirect', async () => {
    const r = await fetch(
      `${double.loginUrl}/services/oauth2/authorize?response_type=code&client_id=${DEFAULT_CLIENT_ID}&redirect_uri=http://localhost:1/evil`,
      { redirect: 'manual' },
    );
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('redirect_uri_mismatch');
  });

  it('sends no expires_in, and issued_at in epoch milliseconds', async () => {
    const verifier = 'w'.repeat(50);
    const code = await codeWith(verifier);
    const body = (await (
      await fetch(
        `${double.loginUrl}/services/oauth2/token`,
        form({
          grant_type: 'authorization_code',
          code,
          client_id: DEFAULT_CLIENT_ID,
          redirect_uri: callback,
          code_verifier: verifier,
        }),
      )
    ).json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('expires_in');
    expect(Math.abs(Number(body['issued_at']) - Date.now())).toBeLessThan(5000);
    expect(body['access_token']).toMatch(/^00D\w{12}!/);
  });

  it('answers API calls on the login host with URL_NOT_RESET, and expired sessions with INVALID_SESSION_ID / 403', async () => {
    const t = await tokens();
    const onLogin = await fetch(`${double.loginUrl}/services/data/`, {
      headers: { Authorization: `Bearer ${t.access_token}` },
    });
    expect((await onLogin.json()) as unknown).toEqual([expect.objectContaining({ errorCode: 'URL_NOT_RESET' })]);
    double.advance(3 * 3600_000);
    const expired = await fetch(`${t.instance_url}/services/data/v62.0/limits`, {
      headers: { Authorization: `Bearer ${t.access_token}` },
    });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const single = await fetch(`${t.instance_url}/services/oauth2/singleaccess`, {
      headers: { Authorization: `Bearer ${t.access_token}` },
    });
    expect(single.status).toBe(403);
  });

  it('registers clients with the initial access token only', async () => {
    const register = (auth: string) =>
      fetch(`${double.loginUrl}/services/oauth2/register`, {
        method: 'POST',
        headers: { Authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'New app', redirect_uris: ['http://localhost:1717/OauthRedirect'] }),
      });
    expect((await register('Bearer wrong')).status).toBe(401);
    const ok = await register('Bearer iat-secret');
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({
      client_id: expect.any(String),
      client_secret: expect.any(String),
      client_name: 'New app',
    });
  });
});
