/**
 * A faithful Salesforce authorization server for tests (a fixture, not product code). It follows
 * shared/SALESFORCE.md: no `expires_in`, `issued_at` in epoch ms, `instance_url` and `id` in token
 * responses, opaque `00D…!…` or JWT-based access tokens per app, refresh-token rotation per app, a real
 * login page with Allow/Deny, revocation that takes access tokens with their refresh token, and
 * Salesforce's error bodies. Several orgs, users and My Domains run in one double, each My Domain on its
 * own 127.0.0.1 port.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface DoubleUser {
  userId: string;
  username: string;
  password: string;
  displayName: string;
  email: string;
}

export interface DoubleOrgConfig {
  orgId: string;
  name: string;
  /** My Domain name, e.g. 'acme' (→ acme.my.salesforce.com in real life; a loopback port here). */
  myDomain: string;
  sandbox?: boolean;
  /** Access tokens expire this long after issue. */
  sessionTimeoutSeconds?: number;
  users: DoubleUser[];
}

export interface DoubleApp {
  clientId: string;
  clientSecret?: string;
  /** Require the secret at the token endpoint (otherwise a public client with PKCE is fine). */
  requireSecret?: boolean;
  callbackUrls: string[];
  rotateRefreshTokens?: boolean;
  tokenFormat?: 'opaque' | 'jwt';
  requirePkce?: boolean;
  /** false: "user is not admin approved to access this app". */
  approved?: boolean;
  /** Client credentials flow: the username of the app's integration ("run as") user. */
  clientCredentialsUser?: string;
}

export interface DoubleConfig {
  orgs?: DoubleOrgConfig[];
  apps?: DoubleApp[];
  initialAccessToken?: string;
  now?: () => number;
  /** Send `iss` in the authorization response and advertise it (Salesforce does not). */
  issInAuthorizationResponse?: boolean;
}

export type FaultEndpoint = 'token' | 'revoke' | 'introspect' | 'userinfo';
export type Fault = 'html' | 'http500' | 'hang' | 'no-access-token' | 'huge' | null;

export interface DoubleOrg extends DoubleOrgConfig {
  myDomainUrl: string;
}

export interface SalesforceDouble {
  loginUrl: string;
  sandboxLoginUrl: string;
  orgs: DoubleOrg[];
  apps: DoubleApp[];
  /** Moves the double's clock forward. */
  advance(ms: number): void;
  setFault(endpoint: FaultEndpoint, fault: Fault): void;
  isTokenActive(token: string): boolean;
  /** Method and path of every request, never a body. */
  requests: string[];
  /** How many `refresh_token` grants were answered successfully. */
  refreshGrants(): number;
  close(): Promise<void>;
}

// Defaults: one org with one user, one public app with the Salesforce CLI's callback on port 0-able hosts.
export const DEFAULT_ORG_ID = '00D5g000004XYZAEA4';
export const DEFAULT_USER: DoubleUser = {
  userId: '0055g00000AbCdEAAV',
  username: 'admin@acme.example',
  password: 'correct horse battery staple',
  displayName: 'Ada Admin',
  email: 'ada@acme.example',
};
export const DEFAULT_CLIENT_ID = '3MVG9double.consumer.key';
export const DEFAULT_CALLBACK = 'http://localhost:1717/OauthRedirect';

interface AccessRecord {
  kind: 'access';
  org: DoubleOrg;
  user: DoubleUser;
  app: DoubleApp;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  refresh: string | null;
  jti: string;
}
interface RefreshRecord {
  kind: 'refresh';
  org: DoubleOrg;
  user: DoubleUser;
  app: DoubleApp;
  scopes: string[];
  issuedAt: number;
  revoked: boolean;
}
interface CodeRecord {
  app: DoubleApp;
  redirectUri: string;
  challenge: string | null;
  scopes: string[];
  org: DoubleOrg;
  user: DoubleUser;
  expiresAt: number;
  used: boolean;
  nonce: string | null;
}
interface PendingLogin {
  app: DoubleApp;
  params: URLSearchParams;
  host: HostInfo;
}
interface HostInfo {
  url: string;
  /** null for login.salesforce.com / test.salesforce.com: users of any org log in there. */
  org: DoubleOrg | null;
  sandbox: boolean;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

const oauthError = (status: number, error: string, description: string) =>
  new HttpError(status, { error, error_description: description });
const restError = (status: number, errorCode: string, message: string) =>
  new HttpError(status, [{ message, errorCode }]);

export async function startSalesforceDouble(config: DoubleConfig = {}): Promise<SalesforceDouble> {
  let offset = 0;
  const baseNow = config.now ?? Date.now;
  const now = () => baseNow() + offset;
  const apps: DoubleApp[] = config.apps ?? [
    { clientId: DEFAULT_CLIENT_ID, callbackUrls: [DEFAULT_CALLBACK], rotateRefreshTokens: false },
  ];
  const orgConfigs = config.orgs ?? [{ orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [DEFAULT_USER] }];
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'double-1';
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };

  const faults = new Map<FaultEndpoint, Fault>();
  const requests: string[] = [];
  const tokens = new Map<string, AccessRecord | RefreshRecord>();
  const codes = new Map<string, CodeRecord>();
  const pending = new Map<string, PendingLogin>();
  const sessions = new Map<string, { org: DoubleOrg; user: DoubleUser }>();
  const otps = new Set<string>();
  const hanging = new Set<ServerResponse>();
  let refreshGrants = 0;

  const servers: Server[] = [];
  async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const hosts: HostInfo[] = [];
  const orgs: DoubleOrg[] = [];
  const makeHandler = (host: () => HostInfo) => (req: IncomingMessage, res: ServerResponse) =>
    void handle(host(), req, res);
  const login: HostInfo = { url: '', org: null, sandbox: false };
  const sandbox: HostInfo = { url: '', org: null, sandbox: true };
  login.url = await listen(makeHandler(() => login));
  sandbox.url = await listen(makeHandler(() => sandbox));
  hosts.push(login, sandbox);
  for (const oc of orgConfigs) {
    const org: DoubleOrg = { ...oc, myDomainUrl: '' };
    const info: HostInfo = { url: '', org, sandbox: !!oc.sandbox };
    org.myDomainUrl = info.url = await listen(makeHandler(() => info));
    orgs.push(org);
    hosts.push(info);
  }

  const identityUrl = (org: DoubleOrg, user: DoubleUser) => `${login.url}/id/${org.orgId}/${user.userId}`;
  const random = (n = 24) => randomBytes(n).toString('base64url');

  async function issueAccess(
    app: DoubleApp,
    org: DoubleOrg,
    user: DoubleUser,
    scopes: string[],
    refresh: string | null,
    issuer: string,
  ): Promise<string> {
    const issuedAt = now();
    const expiresAt = issuedAt + (org.sessionTimeoutSeconds ?? 7200) * 1000;
    const jti = randomUUID();
    let token: string;
    if (app.tokenFormat === 'jwt') {
      token = await new SignJWT({ scp: scopes, client_id: app.clientId, mty: 'oauth', sty: 'web' })
        .setProtectedHeader({
          alg: 'RS256',
          typ: 'JWT',
          kid,
          tty: 'sfdc-core-token',
          tnk: `core/prod/${org.orgId}`,
          ver: '1.0',
        })
        .setIssuer(issuer)
        .setSubject(`uid:${user.userId}`)
        .setAudience(org.myDomainUrl)
        .setIssuedAt(Math.floor(issuedAt / 1000))
        .setNotBefore(Math.floor(issuedAt / 1000))
        .setExpirationTime(Math.floor(expiresAt / 1000))
        .setJti(jti)
        .sign(privateKey as CryptoKey);
    } else {
      token = `${org.orgId.slice(0, 15)}!AR${random(60).replace(/[-_]/g, '.')}`;
    }
    tokens.set(token, { kind: 'access', org, user, app, scopes, issuedAt, expiresAt, revoked: false, refresh, jti });
    return token;
  }

  async function tokenResponse(
    app: DoubleApp,
    org: DoubleOrg,
    user: DoubleUser,
    scopes: string[],
    issuer: string,
    refresh: string | null,
    newRefresh: boolean,
    nonce: string | null,
  ) {
    const access = await issueAccess(app, org, user, scopes, refresh, issuer);
    const issuedAt = String(now());
    const id = identityUrl(org, user);
    const body: Record<string, unknown> = {
      access_token: access,
      signature: createHmac('sha256', app.clientSecret ?? random())
        .update(id + issuedAt)
        .digest('base64'),
      scope: scopes.join(' '),
      instance_url: org.myDomainUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
    if (refresh && newRefresh) body['refresh_token'] = refresh;
    if (app.tokenFormat === 'jwt') {
      body['token_format'] = 'jwt';
      body['api_instance_url'] = org.myDomainUrl;
    }
    if (scopes.includes('openid')) {
      const jwt = new SignJWT({
        at_hash: createHash('sha256').update(access).digest().subarray(0, 16).toString('base64url'),
        name: user.displayName,
        email: user.email,
        preferred_username: user.username,
        ...(nonce ? { nonce } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(issuer)
        .setSubject(id)
        .setAudience(app.clientId)
        .setIssuedAt(Math.floor(now() / 1000))
        .setExpirationTime(Math.floor(now() / 1000) + 300);
      body['id_token'] = await jwt.sign(privateKey as CryptoKey);
    }
    return body;
  }

  function findApp(clientId: string | null): DoubleApp | undefined {
    return apps.find((a) => a.clientId === clientId);
  }

  function activeAccess(req: IncomingMessage): AccessRecord | null {
    const auth = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(auth);
    const rec = m?.[1] ? tokens.get(m[1]) : undefined;
    if (!rec || rec.kind !== 'access' || rec.revoked || rec.expiresAt <= now()) return null;
    return rec;
  }

  function isActive(rec: AccessRecord | RefreshRecord | undefined): boolean {
    if (!rec || rec.revoked) return false;
    return rec.kind === 'refresh' || rec.expiresAt > now();
  }

  /** Client authentication: Basic header or body; a secret is checked when the app requires one. */
  function clientOf(req: IncomingMessage, form: URLSearchParams): DoubleApp {
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic?.[1]) {
      const [u, p] = Buffer.from(basic[1], 'base64').toString().split(':');
      id = decodeURIComponent(u ?? '');
      secret = decodeURIComponent(p ?? '');
    }
    const app = findApp(id);
    if (!app) throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
    if ((app.requireSecret || secret !== null) && app.clientSecret !== undefined && secret !== app.clientSecret) {
      throw oauthError(400, 'invalid_client', 'invalid client credentials');
    }
    if (app.requireSecret && secret === null) throw oauthError(400, 'invalid_client', 'invalid client credentials');
    return app;
  }

  async function handle(host: HostInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', host.url);
    requests.push(`${req.method} ${url.pathname}`);
    try {
      const body = req.method === 'POST' ? await readBody(req) : '';
      await route(host, req, res, url, body);
    } catch (e) {
      if (e instanceof HttpError) return send(res, e.status, e.body);
      send(res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: String(e) }]);
    }
  }

  function applyFault(endpoint: FaultEndpoint, res: ServerResponse): boolean {
    const fault = faults.get(endpoint) ?? null;
    if (fault === null || fault === 'no-access-token') return false;
    if (fault === 'hang') {
      hanging.add(res);
      return true;
    }
    if (fault === 'http500') {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal Server Error');
      return true;
    }
    if (fault === 'html') {
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end('<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>');
      return true;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ access_token: 'x', padding: 'p'.repeat(5_000_000) }));
    return true;
  }

  async function route(
    host: HostInfo,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: string,
  ): Promise<void> {
    const path = url.pathname;
    const form = new URLSearchParams(body);

    if (path === '/.well-known/openid-configuration') {
      const o = host.url;
      return send(res, 200, {
        issuer: o,
        authorization_endpoint: `${o}/services/oauth2/authorize`,
        token_endpoint: `${o}/services/oauth2/token`,
        revocation_endpoint: `${o}/services/oauth2/revoke`,
        userinfo_endpoint: `${o}/services/oauth2/userinfo`,
        introspection_endpoint: `${o}/services/oauth2/introspect`,
        registration_endpoint: `${o}/services/oauth2/register`,
        jwks_uri: `${o}/id/keys`,
        response_types_supported: ['code', 'token', 'token id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: [
          'id',
          'api',
          'web',
          'full',
          'chatter_api',
          'visualforce',
          'refresh_token',
          'openid',
          'profile',
          'email',
          'address',
          'phone',
          'offline_access',
        ],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
        code_challenge_methods_supported: ['S256'],
        ...(config.issInAuthorizationResponse ? { authorization_response_iss_parameter_supported: true } : {}),
      });
    }

    if (path === '/services/oauth2/authorize' && req.method === 'GET')
      return authorize(host, req, res, url.searchParams);
    if (path === '/login' && req.method === 'POST') return loginPost(host, res, form);
    if (path === '/services/oauth2/token' && req.method === 'POST') {
      if (applyFault('token', res)) return;
      return token(host, req, res, form);
    }
    if (path === '/services/oauth2/revoke') {
      if (applyFault('revoke', res)) return;
      const t = req.method === 'GET' ? url.searchParams.get('token') : form.get('token');
      const rec = t ? tokens.get(t) : undefined;
      if (!t || !rec) throw oauthError(400, 'invalid_token', 'invalid token');
      rec.revoked = true;
      if (rec.kind === 'refresh')
        for (const other of tokens.values()) if (other.kind === 'access' && other.refresh === t) other.revoked = true;
      res.writeHead(200).end();
      return;
    }
    if (path === '/services/oauth2/introspect' && req.method === 'POST') {
      if (applyFault('introspect', res)) return;
      let app: DoubleApp;
      try {
        app = clientOf(req, form);
      } catch {
        throw oauthError(401, 'invalid_client', 'invalid client credentials');
      }
      const rec = tokens.get(form.get('token') ?? '');
      if (!rec || !isActive(rec) || rec.app.clientId !== app.clientId) return send(res, 200, { active: false });
      return send(res, 200, {
        active: true,
        scope: rec.scopes.join(' '),
        client_id: rec.app.clientId,
        username: rec.user.username,
        sub: identityUrl(rec.org, rec.user),
        token_type: rec.kind === 'access' ? 'access_token' : 'refresh_token',
        exp: rec.kind === 'access' ? Math.floor(rec.expiresAt / 1000) : undefined,
        iat: Math.floor(rec.issuedAt / 1000),
        nbf: Math.floor(rec.issuedAt / 1000),
      });
    }
    if (path === '/services/oauth2/userinfo') {
      if (applyFault('userinfo', res)) return;
      const rec = activeAccess(req);
      if (!rec) return sendText(res, 403, 'Bad_OAuth_Token');
      return send(res, 200, {
        sub: identityUrl(rec.org, rec.user),
        user_id: rec.user.userId,
        organization_id: rec.org.orgId,
        preferred_username: rec.user.username,
        nickname: rec.user.username.split('@')[0],
        name: rec.user.displayName,
        email: rec.user.email,
        email_verified: true,
        zoneinfo: 'Europe/London',
        locale: 'en_GB',
        urls: urlsOf(rec.org, rec.user),
        user_type: 'STANDARD',
        is_app_installed: true,
      });
    }
    if (path === '/id/keys') return send(res, 200, { keys: [jwk] });
    const idMatch = /^\/id\/(00D[A-Za-z0-9]{15})\/(005[A-Za-z0-9]{15})$/.exec(path);
    if (idMatch) {
      const rec = activeAccess(req);
      if (!rec) return sendText(res, 403, 'Bad_OAuth_Token');
      if (rec.org.orgId !== idMatch[1] || rec.user.userId !== idMatch[2]) return sendText(res, 403, 'Bad_Id');
      return send(res, 200, {
        id: identityUrl(rec.org, rec.user),
        asserted_user: true,
        user_id: rec.user.userId,
        organization_id: rec.org.orgId,
        username: rec.user.username,
        nick_name: rec.user.username.split('@')[0],
        display_name: rec.user.displayName,
        email: rec.user.email,
        active: true,
        user_type: 'STANDARD',
        urls: urlsOf(rec.org, rec.user),
        is_lightning_login_user: false,
      });
    }
    if (path === '/services/oauth2/register' && req.method === 'POST') {
      if (!config.initialAccessToken || req.headers.authorization !== `Bearer ${config.initialAccessToken}`) {
        throw oauthError(401, 'invalid_token', 'the initial access token is missing or invalid');
      }
      let meta: Record<string, unknown>;
      try {
        meta = JSON.parse(body) as Record<string, unknown>;
      } catch {
        throw oauthError(400, 'invalid_client_metadata', 'the body is not JSON');
      }
      const redirectUris = Array.isArray(meta['redirect_uris']) ? (meta['redirect_uris'] as string[]) : [];
      const app: DoubleApp = {
        clientId: `3MVG9reg.${random(12)}`,
        clientSecret: random(32),
        callbackUrls: redirectUris,
      };
      apps.push(app);
      return send(res, 201, {
        ...meta,
        client_id: app.clientId,
        client_secret: app.clientSecret,
        client_id_issued_at: Math.floor(now() / 1000),
        client_secret_expires_at: 0,
      });
    }

    // Instance endpoints: only on an org's own host (My Domain / instance URL).
    if (path.startsWith('/services/data') || path === '/services/oauth2/singleaccess') {
      if (!host.org)
        throw restError(400, 'URL_NOT_RESET', 'Destination URL not reset. The URL returned from login must be set');
      const rec = activeAccess(req);
      if (path === '/services/oauth2/singleaccess') {
        if (!rec || rec.org !== host.org) throw oauthError(403, 'invalid_token', 'expired or invalid access token');
        const otp = random(24);
        otps.add(otp);
        const to = url.searchParams.get('redirect_uri');
        return send(res, 200, {
          frontdoor_uri: `${host.url}/secur/frontdoor.jsp?otp=${otp}${to ? `&startURL=${encodeURIComponent(to)}` : ''}`,
        });
      }
      if (!rec || rec.org !== host.org) throw restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
      if (path === '/services/data' || path === '/services/data/') {
        return send(
          res,
          200,
          ['60.0', '61.0', '62.0'].map((v) => ({ label: `Release ${v}`, url: `/services/data/v${v}`, version: v })),
        );
      }
      if (/^\/services\/data\/v\d+\.0\/limits\/?$/.test(path)) {
        return send(res, 200, {
          DailyApiRequests: { Max: 15000, Remaining: 14998 },
          DataStorageMB: { Max: 1024, Remaining: 1020 },
          FileStorageMB: { Max: 2048, Remaining: 2047 },
          DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
        });
      }
      throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    if (path === '/secur/frontdoor.jsp') {
      const otp = url.searchParams.get('otp') ?? '';
      if (!otps.delete(otp)) return sendText(res, 400, 'This link has expired.');
      return sendHtml(res, 200, '<!DOCTYPE html><title>Salesforce</title><h1>Home</h1>');
    }
    throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  function authorize(host: HostInfo, req: IncomingMessage, res: ServerResponse, params: URLSearchParams): void {
    const app = findApp(params.get('client_id'));
    if (!app) return sendHtml(res, 400, errorPage('OAUTH_EC_APP_NOT_FOUND', 'client identifier invalid'));
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!app.callbackUrls.includes(redirectUri))
      return sendHtml(res, 400, errorPage('redirect_uri_mismatch', 'redirect_uri must match configuration'));
    const back = (extra: Record<string, string>) => {
      const u = new URL(redirectUri);
      for (const [k, v] of Object.entries(extra)) u.searchParams.set(k, v);
      if (params.get('state') !== null) u.searchParams.set('state', params.get('state')!);
      if (config.issInAuthorizationResponse) u.searchParams.set('iss', host.url);
      res.writeHead(302, { Location: u.href }).end();
    };
    if (params.get('response_type') !== 'code')
      return back({ error: 'unsupported_response_type', error_description: 'response type not supported' });
    const challenge = params.get('code_challenge');
    if (challenge && params.get('code_challenge_method') !== 'S256')
      return back({ error: 'invalid_request', error_description: 'invalid code_challenge_method' });
    if (!challenge && app.requirePkce)
      return back({ error: 'invalid_request', error_description: 'missing required code challenge' });
    const sid = cookieOf(req, 'sid');
    const session = sid ? sessions.get(sid) : undefined;
    if (session && params.get('prompt') !== 'login' && (!host.org || host.org === session.org)) {
      const code = issueCode(app, redirectUri, challenge, params, session.org, session.user);
      return back({ code });
    }
    const reqId = random(16);
    pending.set(reqId, { app, params, host });
    sendHtml(res, 200, loginPage(reqId, null));
  }

  function loginPost(host: HostInfo, res: ServerResponse, form: URLSearchParams): void {
    const reqId = form.get('request_id') ?? '';
    const p = pending.get(reqId);
    if (!p)
      return sendHtml(res, 400, errorPage('invalid_request', 'Your login session expired. Start again from the app.'));
    const redirectUri = p.params.get('redirect_uri')!;
    const back = (extra: Record<string, string>) => {
      pending.delete(reqId);
      const u = new URL(redirectUri);
      for (const [k, v] of Object.entries(extra)) u.searchParams.set(k, v);
      if (p.params.get('state') !== null) u.searchParams.set('state', p.params.get('state')!);
      if (config.issInAuthorizationResponse) u.searchParams.set('iss', host.url);
      res.writeHead(302, { Location: u.href }).end();
    };
    if (form.get('decision') === 'deny')
      return back({ error: 'access_denied', error_description: 'end-user denied authorization' });
    const candidates = host.org ? [host.org] : orgs.filter((o) => !!o.sandbox === host.sandbox);
    let found: { org: DoubleOrg; user: DoubleUser } | null = null;
    for (const org of candidates) {
      const user = org.users.find((u) => u.username === form.get('username') && u.password === form.get('password'));
      if (user) found = { org, user };
    }
    if (!found)
      return sendHtml(
        res,
        200,
        loginPage(
          reqId,
          'Please check your username and password. If you still can’t log in, contact your Salesforce administrator.',
        ),
      );
    if (p.app.approved === false)
      return back({ error: 'access_denied', error_description: 'user is not admin approved to access this app' });
    const sid = random(16);
    sessions.set(sid, found);
    res.setHeader('Set-Cookie', `sid=${sid}; Path=/; HttpOnly; SameSite=Lax`);
    back({ code: issueCode(p.app, redirectUri, p.params.get('code_challenge'), p.params, found.org, found.user) });
  }

  function issueCode(
    app: DoubleApp,
    redirectUri: string,
    challenge: string | null,
    params: URLSearchParams,
    org: DoubleOrg,
    user: DoubleUser,
  ): string {
    // Salesforce codes end in "==" and travel URL-encoded (%3D%3D).
    const code = `aPrx${random(30)}==`;
    const requested = (params.get('scope') ?? 'api refresh_token').split(' ').filter(Boolean);
    codes.set(code, {
      app,
      redirectUri,
      challenge,
      scopes: requested,
      org,
      user,
      expiresAt: now() + 15 * 60_000,
      used: false,
      nonce: params.get('nonce'),
    });
    return code;
  }

  async function token(
    host: HostInfo,
    req: IncomingMessage,
    res: ServerResponse,
    form: URLSearchParams,
  ): Promise<void> {
    const grant = form.get('grant_type');
    const issuer = host.url;
    const finish = (body: Record<string, unknown>) => {
      if (faults.get('token') === 'no-access-token') delete body['access_token'];
      send(res, 200, body);
    };
    if (grant === 'authorization_code') {
      const app = clientOf(req, form);
      const code = codes.get(form.get('code') ?? '');
      if (!code || code.app !== app) throw oauthError(400, 'invalid_grant', 'invalid authorization code');
      if (code.used || code.expiresAt <= now()) {
        throw oauthError(400, 'invalid_grant', code.used ? 'invalid authorization code' : 'expired authorization code');
      }
      if (form.get('redirect_uri') !== code.redirectUri)
        throw oauthError(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
      if (code.challenge !== null) {
        const verifier = form.get('code_verifier') ?? '';
        if (!/^[A-Za-z0-9\-._]{43,128}$/.test(verifier))
          throw oauthError(400, 'invalid_grant', 'invalid code verifier');
        if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge)
          throw oauthError(400, 'invalid_grant', 'invalid code verifier');
      }
      code.used = true;
      const wantsRefresh = code.scopes.includes('refresh_token') || code.scopes.includes('offline_access');
      let refresh: string | null = null;
      if (wantsRefresh) {
        refresh = `5Aep861${random(60).replace(/[-_]/g, '.')}`;
        tokens.set(refresh, {
          kind: 'refresh',
          org: code.org,
          user: code.user,
          app,
          scopes: code.scopes,
          issuedAt: now(),
          revoked: false,
        });
      }
      return finish(await tokenResponse(app, code.org, code.user, code.scopes, issuer, refresh, true, code.nonce));
    }
    if (grant === 'client_credentials') {
      const app = clientOf(req, form);
      if (
        !app.clientSecret ||
        (form.get('client_secret') === null && !/^Basic /.test(req.headers.authorization ?? ''))
      ) {
        throw oauthError(400, 'invalid_client', 'invalid client credentials');
      }
      // Salesforce runs this flow only on an org's My Domain, never on login.salesforce.com.
      if (!host.org) throw oauthError(400, 'invalid_grant', 'request not supported on this domain');
      const user = host.org.users.find((u) => u.username === app.clientCredentialsUser);
      if (!user) throw oauthError(400, 'invalid_grant', 'no client credentials user enabled');
      return finish(await tokenResponse(app, host.org, user, ['api'], issuer, null, false, null));
    }
    if (grant === 'refresh_token') {
      const app = clientOf(req, form);
      const old = tokens.get(form.get('refresh_token') ?? '');
      if (!old || old.kind !== 'refresh' || old.revoked || old.app !== app)
        throw oauthError(400, 'invalid_grant', 'expired access/refresh token');
      let refresh = form.get('refresh_token')!;
      if (app.rotateRefreshTokens) {
        old.revoked = true;
        refresh = `5Aep861${random(60).replace(/[-_]/g, '.')}`;
        tokens.set(refresh, { ...old, issuedAt: now(), revoked: false });
      }
      refreshGrants++;
      return finish(
        await tokenResponse(app, old.org, old.user, old.scopes, issuer, refresh, !!app.rotateRefreshTokens, null),
      );
    }
    throw oauthError(400, 'unsupported_grant_type', 'grant type not supported');
  }

  function urlsOf(org: DoubleOrg, user: DoubleUser): Record<string, string> {
    const o = org.myDomainUrl;
    return {
      enterprise: `${o}/services/Soap/c/{version}/${org.orgId}`,
      partner: `${o}/services/Soap/u/{version}/${org.orgId}`,
      rest: `${o}/services/data/v{version}/`,
      sobjects: `${o}/services/data/v{version}/sobjects/`,
      profile: `${o}/${user.userId}`,
      custom_domain: o,
    };
  }

  return {
    loginUrl: login.url,
    sandboxLoginUrl: sandbox.url,
    orgs,
    apps,
    advance: (ms) => void (offset += ms),
    setFault: (endpoint, fault) => void faults.set(endpoint, fault),
    isTokenActive: (t) => isActive(tokens.get(t)),
    requests,
    refreshGrants: () => refreshGrants,
    async close() {
      for (const res of hanging) res.destroy();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((ok) => {
              s.closeAllConnections();
              s.close(() => ok());
            }),
        ),
      );
    },
  };
}

function loginPage(reqId: string, error: string | null): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Login | Salesforce</title></head><body>
<main><h1>Log in to Salesforce (test double)</h1>
${error ? `<p role="alert" id="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="request_id" value="${escapeHtml(reqId)}">
<label for="username">Username</label> <input id="username" name="username" type="email" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form></main></body></html>`;
}

function errorPage(code: string, description: string): string {
  return `<!DOCTYPE html><html><head><title>Error</title></head><body><h1>error=${escapeHtml(code)}</h1><p>${escapeHtml(description)}</p></body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === name) return v;
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-store' })
    .end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain' }).end(text);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html;charset=UTF-8' }).end(html);
}
