/** The double itself honours the Salesforce facts the product relies on (as Salesforce's help pages describe them). */
import { createHash } from 'node:crypto';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { approveDeviceAtSalesforceDouble, freePort, loginAtSalesforceDouble } from './browser-login';
import { to18 } from '../../main/tokens/org-id';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_ORG_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type DoubleUser,
  type SalesforceDouble,
} from './salesforce-double';

let double: SalesforceDouble;
let callback: string;
beforeEach(async () => {
  callback = `http://localhost:${await freePort()}/OauthRedirect`;
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
  beforeEach(async () => {
    double = await startSalesforceDouble({
      apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [callback] }],
      initialAccessToken: 'iat-secret',
    });
  });

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

// ---- Device, JWT bearer, username-password and token exchange flows ----

const DEVICE_APP = '3MVG9double.device';
const JWT_APP = '3MVG9double.jwt';
const PASSWORD_APP = '3MVG9double.password';
const EXCHANGE_APP = '3MVG9double.exchange';
const IDP = { issuer: 'https://idp.example', audience: 'sf-double' };
const INTEGRATION: DoubleUser = {
  userId: to18('0055g00000Integ'),
  username: 'integration@acme.example',
  password: 'integration password',
  displayName: 'Ian Integration',
  email: 'ian@acme.example',
  securityToken: 'TOKEN123',
};
const SANDBOX_USER: DoubleUser = {
  ...DEFAULT_USER,
  userId: to18('0057F000002uatA'),
  username: 'admin@acme.example.uat',
};

let jwtKeys: { privateKey: CryptoKey; publicKey: CryptoKey };
let idpKeys: { privateKey: CryptoKey; publicKey: CryptoKey };
let strangerKey: CryptoKey;
beforeAll(async () => {
  [jwtKeys, idpKeys] = await Promise.all([
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('RS256', { extractable: true }),
  ]);
  strangerKey = (await generateKeyPair('RS256')).privateKey;
});

/** POSTs a form to the token endpoint of `host` and returns status and JSON body. */
async function tokenCall(
  body: Record<string, string>,
  host = double.loginUrl,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${host}/services/oauth2/token`, form(body));
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

const rejected = (error: string, description: string) => ({
  status: 400,
  body: { error, error_description: description },
});

describe('Salesforce double: device, JWT bearer, username-password and token exchange flows', () => {
  beforeEach(async () => {
    double = await startSalesforceDouble({
      orgs: [
        { orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [DEFAULT_USER, INTEGRATION] },
        {
          orgId: to18('00D7F000000uatA'),
          name: 'Acme UAT',
          myDomain: 'acme--uat',
          sandbox: true,
          users: [SANDBOX_USER],
        },
      ],
      apps: [
        { clientId: DEFAULT_CLIENT_ID, callbackUrls: [callback] },
        { clientId: DEVICE_APP, callbackUrls: [], deviceFlow: true },
        {
          clientId: JWT_APP,
          callbackUrls: [callback],
          jwtPublicKeyPem: await exportSPKI(jwtKeys.publicKey),
          preAuthorizedUsers: [INTEGRATION.username, SANDBOX_USER.username],
        },
        { clientId: PASSWORD_APP, clientSecret: 'pw-secret', callbackUrls: [], passwordFlow: true },
        { clientId: EXCHANGE_APP, clientSecret: 'tx-secret', callbackUrls: [], tokenExchange: true },
      ],
      externalIdp: { ...IDP, publicKey: idpKeys.publicKey },
    });
  });

  describe('device flow', () => {
    const start = (clientId = DEVICE_APP, scope = 'api refresh_token openid') =>
      tokenCall({ response_type: 'device_code', client_id: clientId, scope });
    const poll = (code: string) => tokenCall({ grant_type: 'device', client_id: DEVICE_APP, code });
    const started = async () => {
      const { body } = await start();
      return body as { device_code: string; user_code: string; verification_uri: string; interval: number };
    };
    const approve = (d: { verification_uri: string; user_code: string }, decision: 'allow' | 'deny' = 'allow') =>
      approveDeviceAtSalesforceDouble(d.verification_uri, d.user_code, { ...DEFAULT_USER, decision });

    it('starts without expires_in, waits for the user, then issues tokens once', async () => {
      const { status, body } = await start();
      expect(status).toBe(200);
      expect(Object.keys(body).sort()).toEqual(['device_code', 'interval', 'user_code', 'verification_uri']);
      expect(body).toMatchObject({ interval: 5, verification_uri: `${double.loginUrl}/setup/connect` });
      expect(body['user_code']).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ2456789]{8}$/);
      const d = body as { device_code: string; user_code: string; verification_uri: string };

      expect(await poll(d.device_code)).toEqual(rejected('authorization_pending', 'authorization pending'));
      // People type codes in lower case, with a dash: the page accepts it.
      const typed = `${d.user_code.slice(0, 4)}-${d.user_code.slice(4)}`.toLowerCase();
      const { page } = await approve({ ...d, user_code: typed });
      expect(page).toContain("You're connected. Return to your app.");

      const granted = await poll(d.device_code);
      expect(granted.status).toBe(200);
      expect(granted.body).not.toHaveProperty('expires_in');
      expect(granted.body).toMatchObject({
        access_token: expect.stringMatching(/^00D\w{12}!/),
        refresh_token: expect.any(String),
        id_token: expect.any(String),
        scope: 'api refresh_token openid',
        instance_url: double.orgs[0]!.myDomainUrl,
        issued_at: expect.any(String),
      });
      expect(await poll(d.device_code)).toEqual(rejected('invalid_grant', 'invalid device code'));
      expect(double.devicePolls()).toBe(3);
      const refreshed = await tokenCall({
        grant_type: 'refresh_token',
        client_id: DEVICE_APP,
        refresh_token: String(granted.body['refresh_token']),
      });
      expect(refreshed.status).toBe(200);
    });

    it('answers slow_down for as many polls as asked, then authorization_pending again', async () => {
      const d = await started();
      double.slowDownNextPolls(2);
      expect(await poll(d.device_code)).toEqual(rejected('slow_down', 'slow down'));
      expect(await poll(d.device_code)).toEqual(rejected('slow_down', 'slow down'));
      expect(await poll(d.device_code)).toEqual(rejected('authorization_pending', 'authorization pending'));
    });

    it('tells the device when the user denied access', async () => {
      const d = await started();
      expect((await approve(d, 'deny')).page).toContain('Access denied');
      expect(await poll(d.device_code)).toEqual(rejected('access_denied', 'end-user denied authorization'));
    });

    it('expires codes: polls get expired_token and the verification page refuses the user code', async () => {
      const d = await started();
      double.advance(601_000);
      expect(await poll(d.device_code)).toEqual(rejected('expired_token', 'the device code has expired'));
      await expect(approve(d)).rejects.toThrow(/invalid or has expired/);
    });

    it('shows the login error on a wrong password, and rejects unknown device codes', async () => {
      const d = await started();
      await expect(
        approveDeviceAtSalesforceDouble(d.verification_uri, d.user_code, { ...DEFAULT_USER, password: 'wrong' }),
      ).rejects.toThrow(/check your username and password/);
      expect(await poll('no-such-code')).toEqual(rejected('invalid_grant', 'invalid device code'));
    });

    it('refuses apps without device flow and unknown clients', async () => {
      expect(await start(DEFAULT_CLIENT_ID)).toEqual(
        rejected('invalid_request', 'device flow is not enabled for this app'),
      );
      expect(await start('3MVG9nobody')).toEqual(rejected('invalid_client_id', 'client identifier invalid'));
    });
  });

  describe('JWT bearer flow', () => {
    const assertion = async (claims: JWTPayload = {}, key: CryptoKey = jwtKeys.privateKey) =>
      new SignJWT({
        iss: JWT_APP,
        sub: INTEGRATION.username,
        aud: double.loginUrl,
        exp: Math.floor(Date.now() / 1000) + 120,
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256' })
        .sign(key);
    const bearer = async (claims: JWTPayload = {}, key?: CryptoKey, host?: string) =>
      tokenCall(
        { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: await assertion(claims, key) },
        host,
      );

    it('issues an access token without a refresh token for a pre-authorized user', async () => {
      const { status, body } = await bearer();
      expect(status).toBe(200);
      expect(body).toMatchObject({ scope: 'api', instance_url: double.orgs[0]!.myDomainUrl, token_type: 'Bearer' });
      expect(body).not.toHaveProperty('refresh_token');
      expect(body).not.toHaveProperty('expires_in');
      // The org's My Domain is a valid audience too, and sandbox users use the sandbox login host.
      expect((await bearer({ aud: double.orgs[0]!.myDomainUrl })).status).toBe(200);
      const uat = { sub: SANDBOX_USER.username, aud: double.sandboxLoginUrl };
      expect((await bearer(uat, undefined, double.sandboxLoginUrl)).status).toBe(200);
    });

    it('rejects bad assertions with Salesforce’s errors', async () => {
      const invalid = rejected('invalid_grant', 'invalid assertion');
      expect(await tokenCall({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'x.y' })).toEqual(
        invalid,
      );
      expect(await bearer({}, strangerKey)).toEqual(invalid);
      expect(await bearer({ iss: '3MVG9nobody' })).toEqual(rejected('invalid_client_id', 'client identifier invalid'));
      expect(await bearer({ iss: DEFAULT_CLIENT_ID })).toEqual(
        rejected('invalid_client_id', 'client identifier invalid'),
      );
      expect(await bearer({ aud: 'https://login.example' })).toEqual(rejected('invalid_grant', 'audience is invalid'));
      expect(await bearer({ aud: double.sandboxLoginUrl })).toEqual(rejected('invalid_grant', 'audience is invalid'));
      expect(await bearer({ exp: Math.floor(Date.now() / 1000) - 10 })).toEqual(
        rejected('invalid_grant', 'expired assertion'),
      );
      expect(await bearer({ exp: Math.floor(Date.now() / 1000) + 3600 })).toEqual(invalid);
      expect(await bearer({ sub: 'nobody@acme.example' })).toEqual(rejected('invalid_grant', 'user not found'));
      expect(await bearer({ sub: SANDBOX_USER.username })).toEqual(rejected('invalid_grant', 'user not found'));
    });

    it('judges expiry by the double’s clock', async () => {
      const signed = await assertion();
      double.advance(5 * 60_000);
      expect(await tokenCall({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: signed })).toEqual(
        rejected('invalid_grant', 'expired assertion'),
      );
    });

    it('requires approval: pre-authorized, or Allow once in a web-server login', async () => {
      const notApproved = rejected('invalid_grant', "user hasn't approved this consumer");
      expect(await bearer({ sub: DEFAULT_USER.username })).toEqual(notApproved);
      const url = new URL(`${double.loginUrl}/services/oauth2/authorize`);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: JWT_APP,
        redirect_uri: callback,
      }).toString();
      const { callbackUrl } = await loginAtSalesforceDouble(url.href, DEFAULT_USER);
      expect(new URL(callbackUrl).searchParams.get('code')).toBeTruthy();
      expect((await bearer({ sub: DEFAULT_USER.username })).status).toBe(200);
    });
  });

  describe('username-password flow', () => {
    const password = (overrides: Record<string, string> = {}, host?: string) =>
      tokenCall(
        {
          grant_type: 'password',
          client_id: PASSWORD_APP,
          client_secret: 'pw-secret',
          username: INTEGRATION.username,
          password: INTEGRATION.password + INTEGRATION.securityToken,
          ...overrides,
        },
        host,
      );

    it('logs in with password + security token, without a refresh token', async () => {
      const { status, body } = await password();
      expect(status).toBe(200);
      expect(body).toMatchObject({ scope: 'api', instance_url: double.orgs[0]!.myDomainUrl });
      expect(body).not.toHaveProperty('refresh_token');
      const uat = { username: SANDBOX_USER.username, password: SANDBOX_USER.password };
      expect((await password(uat, double.sandboxLoginUrl)).status).toBe(200);
    });

    it('fails without the security token, with a wrong password or on the wrong login host', async () => {
      const failure = rejected('invalid_grant', 'authentication failure');
      expect(await password({ password: INTEGRATION.password })).toEqual(failure);
      expect(await password({ password: 'wrong' + INTEGRATION.securityToken })).toEqual(failure);
      expect(await password({}, double.sandboxLoginUrl)).toEqual(failure);
    });

    it('is blocked unless the app allows it, and needs the client secret', async () => {
      expect(await password({ client_id: DEFAULT_CLIENT_ID })).toEqual(
        rejected('invalid_client', 'invalid client credentials'),
      );
      double.apps.push({ clientId: '3MVG9double.newapp', clientSecret: 's', callbackUrls: [] });
      expect(await password({ client_id: '3MVG9double.newapp', client_secret: 's' })).toEqual(
        rejected('unsupported_grant_type', 'grant type not supported'),
      );
      const withoutSecret = {
        grant_type: 'password',
        client_id: PASSWORD_APP,
        username: INTEGRATION.username,
        password: INTEGRATION.password + INTEGRATION.securityToken,
      };
      expect(await tokenCall(withoutSecret)).toEqual(rejected('invalid_client', 'invalid client credentials'));
    });
  });

  describe('token exchange', () => {
    const subjectToken = (claims: JWTPayload = {}, key: CryptoKey = idpKeys.privateKey) =>
      new SignJWT({ iss: IDP.issuer, aud: IDP.audience, sub: 'idp-user-1', email: DEFAULT_USER.email, ...claims })
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key);
    const exchange = async (token: string, extra: Record<string, string> = {}) =>
      tokenCall({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        client_id: EXCHANGE_APP,
        client_secret: 'tx-secret',
        subject_token: token,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        ...extra,
      });

    it('exchanges an external IdP token for a Salesforce token of the matching user', async () => {
      const { status, body } = await exchange(await subjectToken(), { scope: 'api refresh_token' });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        scope: 'api refresh_token',
        refresh_token: expect.any(String),
        id: expect.stringContaining(DEFAULT_USER.userId),
      });
      expect(double.isTokenActive(String(body['refresh_token']))).toBe(true);
      const plain = await exchange(await subjectToken({ email: undefined, preferred_username: INTEGRATION.username }));
      expect(plain.body).toMatchObject({ scope: 'api', id: expect.stringContaining(INTEGRATION.userId) });
      expect(plain.body).not.toHaveProperty('refresh_token');
    });

    it('rejects tokens the IdP did not issue for this audience, and users it cannot map', async () => {
      const invalid = rejected('invalid_grant', 'the subject token is invalid or expired');
      expect(await exchange(await subjectToken({}, strangerKey))).toEqual(invalid);
      expect(await exchange(await subjectToken({ aud: 'someone-else' }))).toEqual(invalid);
      expect(await exchange('not-a-jwt')).toEqual(invalid);
      expect(await exchange(await subjectToken({ email: 'stranger@elsewhere.example' }))).toEqual(
        rejected('invalid_grant', 'no user matches the subject token'),
      );
    });

    it('accepts only JWT-like subject token types, and only for apps with token exchange', async () => {
      expect(
        await exchange(await subjectToken(), { subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' }),
      ).toEqual(rejected('invalid_request', 'unsupported subject_token_type'));
      double.apps.push({ clientId: '3MVG9double.plain', clientSecret: 's', callbackUrls: [] });
      expect(await exchange(await subjectToken(), { client_id: '3MVG9double.plain', client_secret: 's' })).toEqual(
        rejected('unsupported_grant_type', 'grant type not supported'),
      );
    });
  });

  it('records only the names of the last token request’s parameters', async () => {
    expect(double.lastTokenRequest()).toBeNull();
    await fetch(
      `${double.loginUrl}/services/oauth2/token?client_id=${PASSWORD_APP}`,
      form({ grant_type: 'password', client_secret: 'pw-secret', username: 'u', password: 'p' }),
    );
    const shape = double.lastTokenRequest();
    expect(shape).toEqual({
      grantType: 'password',
      responseType: null,
      queryKeys: ['client_id'],
      bodyKeys: ['grant_type', 'client_secret', 'username', 'password'],
    });
    expect(JSON.stringify(shape)).not.toContain('pw-secret');
  });
});

describe('the user-agent flow (response_type=token)', () => {
  const authorizeUrl = (scope: string, extra: Record<string, string> = {}) => {
    const url = new URL(`${double.loginUrl}/services/oauth2/authorize`);
    url.search = new URLSearchParams({
      response_type: 'token',
      client_id: DEFAULT_CLIENT_ID,
      redirect_uri: callback,
      state: 'st',
      scope,
      ...extra,
    }).toString();
    return url.href;
  };
  const login = (url: string) =>
    loginAtSalesforceDouble(url, { username: DEFAULT_USER.username, password: DEFAULT_USER.password });

  it('sends the tokens in the fragment, with a refresh token only for the refresh_token scope', async () => {
    double = await startSalesforceDouble({
      apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [callback], responseTypes: ['token'] }],
    });
    const back = new URL((await login(authorizeUrl('api refresh_token'))).callbackUrl);
    expect(back.origin + back.pathname).toBe(callback);
    expect(back.search).toBe('');
    const f = new URLSearchParams(back.hash.slice(1));
    expect(f.get('state')).toBe('st');
    expect(f.get('token_type')).toBe('Bearer');
    expect(f.get('access_token')).toMatch(/^00D5g000004XYZA!AR/);
    expect(f.get('refresh_token')).toMatch(/^5Aep861/);
    expect(f.get('instance_url')).toBe(double.orgs[0]!.myDomainUrl);
    expect(f.get('issued_at')).toMatch(/^\d{13}$/);
    expect(f.get('scope')).toBe('api refresh_token');
    expect(double.isTokenActive(f.get('access_token')!)).toBe(true);

    const noRefresh = new URLSearchParams(new URL((await login(authorizeUrl('api'))).callbackUrl).hash.slice(1));
    expect(noRefresh.get('access_token')).toMatch(/^00D/);
    expect(noRefresh.has('refresh_token')).toBe(false);
  });

  it('refuses it, in the fragment, for an app that allows only the web server flow (the default)', async () => {
    double = await startSalesforceDouble({ apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [callback] }] });
    const page = await fetch(authorizeUrl('api'), { redirect: 'manual' });
    const back = new URL(page.headers.get('location')!);
    expect(Object.fromEntries(new URLSearchParams(back.hash.slice(1)))).toEqual({
      error: 'unsupported_response_type',
      error_description: 'response type not supported',
      state: 'st',
    });
  });

  it('refuses the web server flow for an app that allows only the user-agent flow', async () => {
    double = await startSalesforceDouble({
      apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [callback], responseTypes: ['token'] }],
    });
    const page = await fetch(authorizeUrl('api', { response_type: 'code' }), { redirect: 'manual' });
    expect(new URL(page.headers.get('location')!).searchParams.get('error')).toBe('unsupported_response_type');
  });
});

describe('authorization codes at the token endpoint', () => {
  const exchange = (code: string, verifier: string, redirectUri = callback) =>
    fetch(
      `${double.loginUrl}/services/oauth2/token`,
      form({
        grant_type: 'authorization_code',
        code,
        client_id: DEFAULT_CLIENT_ID,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    );
  const verifier = 'w'.repeat(50);

  it('expire after 15 minutes, work once, and need the exact redirect_uri', async () => {
    double = await startSalesforceDouble({ apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [callback] }] });
    const expired = await codeWith(verifier);
    double.advance(15 * 60_000 + 1);
    expect(await (await exchange(expired, verifier)).json()).toEqual({
      error: 'invalid_grant',
      error_description: 'expired authorization code',
    });

    const code = await codeWith(verifier);
    const slash = await exchange(code, verifier, `${callback}/`);
    expect(await slash.json()).toEqual({
      error: 'redirect_uri_mismatch',
      error_description: 'redirect_uri must match configuration',
    });
    expect((await exchange(code, verifier)).status).toBe(200);
    expect(await (await exchange(code, verifier)).json()).toEqual({
      error: 'invalid_grant',
      error_description: 'invalid authorization code',
    });
  });
});
