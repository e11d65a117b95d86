/**
 * A faithful Salesforce authorization server for tests (a fixture, not product code). It follows
 * the Salesforce help pages: no `expires_in`, `issued_at` in epoch ms, `instance_url` and `id` in token
 * responses, opaque `00D…!…` or JWT-based access tokens per app, refresh-token rotation per app, a real
 * login page with Allow/Deny, revocation that takes access tokens with their refresh token, and
 * Salesforce's error bodies. Several orgs, users and My Domains run in one double, each My Domain on its
 * own 127.0.0.1 port. Besides the web server flow it answers client credentials, refresh, Salesforce's device
 * flow (with its /setup/connect verification page), the JWT bearer flow, the legacy username-password flow
 * and token exchange with subject tokens of an external identity provider.
 */
import {
  createHash,
  createHmac,
  createPublicKey,
  randomBytes,
  randomInt,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { serveDataApi } from './salesforce-data-api';
import { selfSignedCertificate, type SelfSignedCertificate } from './self-signed';
import { createOauthTokens, type SeededGrants } from './salesforce-oauth-tokens';

export interface DoubleUser {
  userId: string;
  username: string;
  password: string;
  displayName: string;
  email: string;
  /** Appended to the password in the username-password flow, as Salesforce requires outside trusted IPs. */
  securityToken?: string;
  /** Customize Application (Manage Users): sees every user's OauthToken rows, not only their own. */
  admin?: boolean;
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
  /**
   * The `response_type`s the app allows at the authorize endpoint (default `code`): `token` is the user-agent
   * flow, whose tokens come back in the callback's fragment, which orgs created lately do not allow by default.
   */
  responseTypes?: ('code' | 'token')[];
  /** false: "user is not admin approved to access this app". */
  approved?: boolean;
  /** Client credentials flow: the username of the app's integration ("run as") user. */
  clientCredentialsUser?: string;
  /** "Enable for Device Flow". */
  deviceFlow?: boolean;
  /**
   * JWT bearer flow: the public key of the certificate uploaded to the app, as PEM (an SPKI
   * "BEGIN PUBLIC KEY" or an X.509 "BEGIN CERTIFICATE").
   */
  jwtPublicKeyPem?: string;
  /**
   * Usernames an admin pre-authorized for the app. For the JWT bearer flow a user must be in this list or
   * have approved the app on the login page (Allow) before.
   */
  preAuthorizedUsers?: string[];
  /** The legacy username-password flow is allowed (blocked by default, as in new orgs). */
  passwordFlow?: boolean;
  /** Token exchange (RFC 8693) is enabled, validating subject tokens of `DoubleConfig.externalIdp`. */
  tokenExchange?: boolean;
  /**
   * A broken ID token, read when one is minted (so a test may set it between sign-in and refresh):
   * an `at_hash` of another token, a `c_hash` no code has, a signature by a key the double does not publish
   * (its own `kid`), or by an unpublished key under the published `kid`.
   */
  idTokenFault?: 'wrong-at-hash' | 'wrong-c-hash' | 'foreign-key' | 'bad-signature' | null;
  /**
   * "Enable Asset Tokens": the token exchange of an access token and an actor token answers an asset token
   * with these audiences, valid this long (default 10 minutes), signed with the double's key (so `/id/keys`
   * verifies it; Salesforce signs with the app's asset signing certificate).
   */
  assetTokens?: { audiences: string[]; validForSeconds?: number };
  /**
   * "Configure ID token": "ID Token Valid for" (minutes; the double's default is 5), "ID Token Audiences"
   * (added to the consumer key in `aud`, with `azp` then, as OpenID Connect Core §2 asks), and the custom
   * attributes and custom permissions included in the ID token.
   */
  idToken?: {
    validForMinutes?: number;
    audiences?: string[];
    customAttributes?: Record<string, string>;
    customPermissions?: Record<string, boolean>;
  };
  /** The app's name (OauthToken's AppName; default: the client id). */
  name?: string;
  /** "Introspect all tokens": the app may introspect any token of the org, not only its own. */
  introspectAllTokens?: boolean;
}

export interface DoubleConfig {
  orgs?: DoubleOrgConfig[];
  apps?: DoubleApp[];
  initialAccessToken?: string;
  now?: () => number;
  /** Send `iss` in the authorization response and advertise it (Salesforce does not). */
  issInAuthorizationResponse?: boolean;
  /** Device flow: the polling `interval` announced, in seconds (default 5). */
  deviceInterval?: number;
  /** Device flow: how long a device code and its user code stay valid, in seconds (default 600). */
  deviceCodeLifetimeSeconds?: number;
  /** The external identity provider whose JWTs the token-exchange handler accepts as subject tokens. */
  externalIdp?: { issuer: string; publicKey: CryptoKey | KeyObject; audience: string };
  /**
   * How the asset token flow refuses an app without asset tokens. No public source quotes Salesforce's
   * answer, so it is configurable; the default is an assumption.
   */
  assetTokenRefusal?: { error: string; description: string };
  /**
   * Serve every host over https (default plain http): `true` with a self-signed certificate made at start
   * (see {@link SalesforceDouble.certificate}), or this key and certificate.
   */
  https?: boolean | SelfSignedCertificate;
}

export type FaultEndpoint = 'token' | 'revoke' | 'introspect' | 'userinfo';
/**
 * What an endpoint answers instead of its normal response. The object form sends a status with an empty
 * body or an HTML page, and optionally a `WWW-Authenticate` header (bodiless and HTML error answers).
 */
export type Fault =
  | 'html'
  | 'http500'
  | 'hang'
  | 'no-access-token'
  | 'huge'
  | { status: number; body: 'empty' | 'html'; wwwAuthenticate?: string }
  | null;

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
  /** The next n device polls that would answer `authorization_pending` answer `slow_down` instead. */
  slowDownNextPolls(n: number): void;
  /** How many device-grant polls (`grant_type=device`) the token endpoint received. */
  devicePolls(): number;
  /** Parameter names (never values) of the last POST to the token endpoint, in its body and its URL. */
  lastTokenRequest(): TokenRequestShape | null;
  /** With the https option: the PEM certificate every host serves, for clients to trust; else null. */
  certificate: string | null;
  /** Makes up OauthToken grants (real refresh tokens): test/servers/salesforce-oauth-tokens.ts. */
  seedGrants(grants: SeededGrants): string[];
  close(): Promise<void>;
}

export interface TokenRequestShape {
  grantType: string | null;
  responseType: string | null;
  /** Names of the query-string parameters of the request URL (secrets must not travel there). */
  queryKeys: string[];
  /** Names of the form parameters in the body. */
  bodyKeys: string[];
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
interface SignedIn {
  org: DoubleOrg;
  user: DoubleUser;
}
/** A device code between its start and the one poll that gets its tokens (then it is deleted). */
interface DeviceRecord {
  app: DoubleApp;
  userCode: string;
  scopes: string[];
  expiresAt: number;
  state: { status: 'pending' } | { status: 'denied' } | ({ status: 'approved' } & SignedIn);
}
interface PendingLogin {
  app: DoubleApp;
  params: URLSearchParams;
  host: HostInfo;
  /** Set when the login page was reached from the device flow's verification page. */
  device?: DeviceRecord;
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

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:';
const SUBJECT_TOKEN_TYPES = ['jwt', 'id_token', 'access_token'].map((t) => TOKEN_TYPE + t);
/** Device flow user codes: no vowels (no words) and no look-alikes (0/O, 1/I/L, 3/E...). */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ2456789';
/** The JWT bearer flow allows `exp` at most 3 minutes ahead; 30 s more for clock skew. */
const MAX_ASSERTION_LIFETIME_SECONDS = 3 * 60 + 30;
const BAD_LOGIN =
  'Please check your username and password. If you still can’t log in, contact your Salesforce administrator.';

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
  const devices = new Map<string, DeviceRecord>();
  /** Users who let an app in (Allow on the login page): the JWT bearer flow requires it. */
  const approvals = new Map<DoubleApp, Set<DoubleUser>>();
  let slowDowns = 0;
  let devicePollCount = 0;
  let lastTokenRequest: TokenRequestShape | null = null;

  const servers: Server[] = [];
  const tls = config.https === true ? selfSignedCertificate() : config.https || null;
  async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createServer(handler);
    servers.push(server);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    return `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
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

  const oauthTokens = createOauthTokens(orgs, apps, tokens, now, () => newRefreshToken());
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
      const fault = app.idTokenFault ?? null;
      const hashed = fault === 'wrong-at-hash' ? `${access}-other` : access;
      const settings = app.idToken ?? {};
      const audiences = settings.audiences ?? [];
      const jwt = new SignJWT({
        at_hash: createHash('sha256').update(hashed).digest().subarray(0, 16).toString('base64url'),
        ...(fault === 'wrong-c-hash' ? { c_hash: 'bm90LXRoZS1jb2Rl' } : {}),
        name: user.displayName,
        email: user.email,
        preferred_username: user.username,
        ...(nonce ? { nonce } : {}),
        ...(audiences.length > 0 ? { azp: app.clientId } : {}),
        ...(settings.customAttributes ? { custom_attributes: settings.customAttributes } : {}),
        ...(settings.customPermissions ? { custom_permissions: settings.customPermissions } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid: fault === 'foreign-key' ? 'foreign-1' : kid })
        .setIssuer(issuer)
        .setSubject(id)
        .setAudience(audiences.length > 0 ? [app.clientId, ...audiences] : app.clientId)
        .setIssuedAt(Math.floor(now() / 1000))
        .setExpirationTime(Math.floor(now() / 1000) + (settings.validForMinutes ?? 5) * 60);
      const foreign = fault === 'foreign-key' || fault === 'bad-signature';
      const signingKey = foreign ? (await generateKeyPair('RS256')).privateKey : (privateKey as CryptoKey);
      body['id_token'] = await jwt.sign(signingKey);
    }
    return body;
  }

  function findApp(clientId: string | null): DoubleApp | undefined {
    return apps.find((a) => a.clientId === clientId);
  }

  function appOf(clientId: string | null): DoubleApp {
    const app = findApp(clientId);
    if (!app) throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
    return app;
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
    const app = appOf(id);
    if ((app.requireSecret || secret !== null) && app.clientSecret !== undefined && secret !== app.clientSecret) {
      throw oauthError(400, 'invalid_client', 'invalid client credentials');
    }
    if (app.requireSecret && secret === null) throw oauthError(400, 'invalid_client', 'invalid client credentials');
    return app;
  }

  function secretPresented(req: IncomingMessage, form: URLSearchParams): boolean {
    return form.get('client_secret') !== null || /^Basic /.test(req.headers.authorization ?? '');
  }

  /** Client authentication for grants that only confidential clients may use: a secret is required. */
  function confidentialClientOf(req: IncomingMessage, form: URLSearchParams): DoubleApp {
    const app = clientOf(req, form);
    if (!app.clientSecret || !secretPresented(req, form))
      throw oauthError(400, 'invalid_client', 'invalid client credentials');
    return app;
  }

  /** Orgs whose users sign in on this host: its own org on a My Domain, else all production or sandbox orgs. */
  function orgsOn(host: HostInfo): DoubleOrg[] {
    return host.org ? [host.org] : orgs.filter((o) => !!o.sandbox === host.sandbox);
  }

  function findUser(host: HostInfo, matches: (user: DoubleUser) => boolean): SignedIn | null {
    for (const org of orgsOn(host)) {
      const user = org.users.find(matches);
      if (user) return { org, user };
    }
    return null;
  }

  const newRefreshToken = () => `5Aep861${random(60).replace(/[-_]/g, '.')}`;

  /** Issues and stores a refresh token when the scopes ask for one (`refresh_token` = `offline_access`). */
  function storeRefresh(app: DoubleApp, { org, user }: SignedIn, scopes: string[]): string | null {
    if (!scopes.includes('refresh_token') && !scopes.includes('offline_access')) return null;
    const refresh = newRefreshToken();
    tokens.set(refresh, { kind: 'refresh', org, user, app, scopes, issuedAt: now(), revoked: false });
    return refresh;
  }

  function recordApproval(app: DoubleApp, user: DoubleUser): void {
    approvals.set(app, (approvals.get(app) ?? new Set()).add(user));
  }

  function hasApproved(app: DoubleApp, user: DoubleUser): boolean {
    return !!approvals.get(app)?.has(user) || !!app.preAuthorizedUsers?.includes(user.username);
  }

  /** Parameter names only: tests check where secrets travel, never what they are. */
  function recordTokenRequest(url: URL, form: URLSearchParams): void {
    const names = (params: URLSearchParams) => [...new Set(params.keys())];
    lastTokenRequest = {
      grantType: form.get('grant_type'),
      responseType: form.get('response_type'),
      queryKeys: names(url.searchParams),
      bodyKeys: names(form),
    };
    if (lastTokenRequest.grantType === 'device') devicePollCount++;
  }

  async function handle(host: HostInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The Salesforce CLI sometimes asks for `//services/data/…`; Salesforce answers it as `/services/data/…`.
    const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), host.url);
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
    if (typeof fault === 'object') {
      const headers: Record<string, string> = {};
      if (fault.wwwAuthenticate) headers['WWW-Authenticate'] = fault.wwwAuthenticate;
      if (fault.body === 'html') headers['Content-Type'] = 'text/html; charset=utf-8';
      res
        .writeHead(fault.status, headers)
        .end(fault.body === 'html' ? '<!DOCTYPE html><html><body><h1>Bad Gateway</h1></body></html>' : '');
      return true;
    }
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
      return await authorize(host, req, res, url.searchParams);
    if (path === '/login' && req.method === 'POST') return await loginPost(host, res, form);
    if (path === '/setup/connect' && req.method === 'GET') return sendHtml(res, 200, connectPage(null));
    if (path === '/setup/connect' && req.method === 'POST') return connectPost(host, res, form);
    if (path === '/services/oauth2/token' && req.method === 'POST') {
      recordTokenRequest(url, form);
      if (applyFault('token', res)) return;
      return token(host, req, res, form);
    }
    if (path === '/services/oauth2/revoke') {
      if (applyFault('revoke', res)) return;
      const t = req.method === 'GET' ? url.searchParams.get('token') : form.get('token');
      if (t && oauthTokens.revoke(t)) return void res.writeHead(200).end();
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
      const mayIntrospect = rec?.app.clientId === app.clientId || app.introspectAllTokens;
      if (!rec || !isActive(rec) || !mayIntrospect) return send(res, 200, { active: false });
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
      // The REST API itself (versions, limits, sobjects, SOQL queries): test/servers/salesforce-data-api.ts.
      return serveDataApi(res, host.org, url, req.headers, rec.user);
    }
    if (path === '/secur/frontdoor.jsp') {
      const otp = url.searchParams.get('otp') ?? '';
      if (!otps.delete(otp)) return sendText(res, 400, 'This link has expired.');
      return sendHtml(res, 200, '<!DOCTYPE html><title>Salesforce</title><h1>Home</h1>');
    }
    throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  /** Sends the browser back to the app's callback with `extra`, the request's `state` and optionally `iss`. */
  function redirectToCallback(
    host: HostInfo,
    res: ServerResponse,
    params: URLSearchParams,
    extra: Record<string, string>,
  ): void {
    const u = new URL(params.get('redirect_uri') ?? '');
    // The user-agent flow answers in the fragment, errors included (RFC 6749 §4.2.2).
    const answer = params.get('response_type') === 'token' ? new URLSearchParams() : u.searchParams;
    for (const [k, v] of Object.entries(extra)) answer.set(k, v);
    if (params.get('state') !== null) answer.set('state', params.get('state')!);
    if (config.issInAuthorizationResponse) answer.set('iss', host.url);
    if (answer !== u.searchParams) u.hash = answer.toString();
    res.writeHead(302, { Location: u.href }).end();
  }

  async function authorize(
    host: HostInfo,
    req: IncomingMessage,
    res: ServerResponse,
    params: URLSearchParams,
  ): Promise<void> {
    const app = findApp(params.get('client_id'));
    if (!app) return sendHtml(res, 400, errorPage('OAUTH_EC_APP_NOT_FOUND', 'client identifier invalid'));
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!app.callbackUrls.includes(redirectUri))
      return sendHtml(res, 400, errorPage('redirect_uri_mismatch', 'redirect_uri must match configuration'));
    const back = (extra: Record<string, string>) => redirectToCallback(host, res, params, extra);
    const responseType = params.get('response_type');
    if (
      (responseType !== 'code' && responseType !== 'token') ||
      !(app.responseTypes ?? ['code']).includes(responseType)
    )
      return back({ error: 'unsupported_response_type', error_description: 'response type not supported' });
    const challenge = params.get('code_challenge');
    if (challenge && params.get('code_challenge_method') !== 'S256')
      return back({ error: 'invalid_request', error_description: 'invalid code_challenge_method' });
    if (!challenge && app.requirePkce && responseType === 'code')
      return back({ error: 'invalid_request', error_description: 'missing required code challenge' });
    const sid = cookieOf(req, 'sid');
    const session = sid ? sessions.get(sid) : undefined;
    if (session && params.get('prompt') !== 'login' && (!host.org || host.org === session.org)) {
      return back(await authorizationResponse(host, app, redirectUri, params, session));
    }
    const reqId = random(16);
    pending.set(reqId, { app, params, host });
    sendHtml(res, 200, loginPage(reqId, null));
  }

  /** The login page's form, for the web server flow and for the device flow's verification page. */
  async function loginPost(host: HostInfo, res: ServerResponse, form: URLSearchParams): Promise<void> {
    const reqId = form.get('request_id') ?? '';
    const p = pending.get(reqId);
    if (!p)
      return sendHtml(res, 400, errorPage('invalid_request', 'Your login session expired. Start again from the app.'));
    let found: SignedIn | null = null; // stays null when the user pressed Deny
    if (form.get('decision') !== 'deny') {
      found = findUser(host, (u) => u.username === form.get('username') && u.password === form.get('password'));
      if (!found) return sendHtml(res, 200, loginPage(reqId, BAD_LOGIN));
    }
    pending.delete(reqId);
    if (p.device) return deviceLoginDone(res, p.app, p.device, found);
    const back = (extra: Record<string, string>) => redirectToCallback(host, res, p.params, extra);
    if (!found) return back({ error: 'access_denied', error_description: 'end-user denied authorization' });
    if (p.app.approved === false)
      return back({ error: 'access_denied', error_description: 'user is not admin approved to access this app' });
    const sid = random(16);
    sessions.set(sid, found);
    res.setHeader('Set-Cookie', `sid=${sid}; Path=/; HttpOnly; SameSite=Lax`);
    const redirectUri = p.params.get('redirect_uri')!;
    back(await authorizationResponse(host, p.app, redirectUri, p.params, found));
  }

  /**
   * What the browser takes back to the callback: a code (web server flow), or the tokens themselves (user-agent
   * flow: the token response's fields, a refresh token only with the refresh_token scope).
   */
  async function authorizationResponse(
    host: HostInfo,
    app: DoubleApp,
    redirectUri: string,
    params: URLSearchParams,
    who: SignedIn,
  ): Promise<Record<string, string>> {
    if (params.get('response_type') !== 'token')
      return { code: issueCode(app, redirectUri, params.get('code_challenge'), params, who.org, who.user) };
    recordApproval(app, who.user);
    const scopes = scopesOf(params);
    const refresh = storeRefresh(app, who, scopes);
    const body = await tokenResponse(app, who.org, who.user, scopes, host.url, refresh, true, params.get('nonce'));
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]));
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
    recordApproval(app, user);
    codes.set(code, {
      app,
      redirectUri,
      challenge,
      scopes: scopesOf(params),
      org,
      user,
      expiresAt: now() + 15 * 60_000,
      used: false,
      nonce: params.get('nonce'),
    });
    return code;
  }

  function scopesOf(params: URLSearchParams, fallback = 'api refresh_token'): string[] {
    return (params.get('scope') ?? fallback).split(' ').filter(Boolean);
  }

  // ---- Device flow (Salesforce's variant: started at the token endpoint, polled with grant_type=device) ----

  function startDevice(host: HostInfo, form: URLSearchParams): Record<string, unknown> {
    const app = appOf(form.get('client_id'));
    if (!app.deviceFlow) throw oauthError(400, 'invalid_request', 'device flow is not enabled for this app');
    const deviceCode = random(32);
    const userCode = newUserCode();
    devices.set(deviceCode, {
      app,
      userCode,
      scopes: scopesOf(form),
      expiresAt: now() + (config.deviceCodeLifetimeSeconds ?? 600) * 1000,
      state: { status: 'pending' },
    });
    // Salesforce sends no expires_in here.
    return {
      device_code: deviceCode,
      user_code: userCode,
      verification_uri: `${host.url}/setup/connect`,
      interval: config.deviceInterval ?? 5,
    };
  }

  function newUserCode(): string {
    const taken = new Set([...devices.values()].map((d) => d.userCode));
    for (;;) {
      const code = Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
      if (!taken.has(code)) return code;
    }
  }

  async function deviceGrant(req: IncomingMessage, form: URLSearchParams, issuer: string) {
    const app = clientOf(req, form);
    const deviceCode = form.get('code') ?? '';
    const device = devices.get(deviceCode);
    if (!device || device.app !== app) throw oauthError(400, 'invalid_grant', 'invalid device code');
    if (device.expiresAt <= now()) throw oauthError(400, 'expired_token', 'the device code has expired');
    const { state } = device;
    if (state.status === 'denied') throw oauthError(400, 'access_denied', 'end-user denied authorization');
    if (state.status === 'pending') {
      if (slowDowns > 0) {
        slowDowns--;
        throw oauthError(400, 'slow_down', 'slow down');
      }
      throw oauthError(400, 'authorization_pending', 'authorization pending');
    }
    devices.delete(deviceCode); // tokens only once
    const refresh = storeRefresh(app, state, device.scopes);
    return tokenResponse(app, state.org, state.user, device.scopes, issuer, refresh, true, null);
  }

  /** The verification page's form: a valid pending user code leads to the login page. */
  function connectPost(host: HostInfo, res: ServerResponse, form: URLSearchParams): void {
    const userCode = (form.get('user_code') ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
    const device = [...devices.values()].find(
      (d) => d.userCode === userCode && d.state.status === 'pending' && d.expiresAt > now(),
    );
    if (!device)
      return sendHtml(res, 200, connectPage('That code is invalid or has expired. Check the code on your device.'));
    const reqId = random(16);
    pending.set(reqId, { app: device.app, params: new URLSearchParams(), host, device });
    sendHtml(res, 200, loginPage(reqId, null));
  }

  /** found null: the user pressed Deny. The device learns the outcome from its next poll. */
  function deviceLoginDone(res: ServerResponse, app: DoubleApp, device: DeviceRecord, found: SignedIn | null): void {
    if (!found || app.approved === false) {
      device.state = { status: 'denied' };
      const why = found ? 'user is not admin approved to access this app' : 'You denied access to the app.';
      return sendHtml(res, 200, devicePage('Access denied', why));
    }
    recordApproval(app, found.user);
    device.state = { status: 'approved', ...found };
    sendHtml(res, 200, devicePage("You're connected. Return to your app.", 'You can close this window.'));
  }

  // ---- JWT bearer flow ----

  /**
   * Checks in Salesforce's order: decodable, app (iss) with a certificate, RS256 signature, audience, expiry,
   * user (sub), approval. A missing `exp`, or one more than 3 min 30 s ahead, is "invalid assertion"; a past
   * one is "expired assertion".
   */
  async function jwtBearerGrant(host: HostInfo, form: URLSearchParams, issuer: string) {
    const assertion = form.get('assertion') ?? '';
    const invalid = () => oauthError(400, 'invalid_grant', 'invalid assertion');
    let claims: JWTPayload;
    try {
      claims = decodeJwt(assertion);
    } catch {
      throw invalid();
    }
    const app = findApp(claims.iss ?? null);
    if (!app?.jwtPublicKeyPem) throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
    const key = createPublicKey(app.jwtPublicKeyPem);
    await compactVerify(assertion, key, { algorithms: ['RS256'] }).catch(() => {
      throw invalid();
    });
    // aud: the login host of the org's kind (production or sandbox) or the org's My Domain.
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
    const audienceFits = (org: DoubleOrg) =>
      audiences.some((a) => a === (org.sandbox ? sandbox.url : login.url) || a === org.myDomainUrl);
    const badAudience = () => oauthError(400, 'invalid_grant', 'audience is invalid');
    if (!orgsOn(host).some(audienceFits)) throw badAudience();
    const nowSeconds = now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS) throw invalid();
    if (claims.exp <= nowSeconds) throw oauthError(400, 'invalid_grant', 'expired assertion');
    const found = findUser(host, (u) => u.username === claims.sub);
    if (!found) throw oauthError(400, 'invalid_grant', 'user not found');
    if (!audienceFits(found.org)) throw badAudience();
    if (!hasApproved(app, found.user)) throw oauthError(400, 'invalid_grant', "user hasn't approved this consumer");
    return tokenResponse(app, found.org, found.user, ['api'], issuer, null, false, null);
  }

  // ---- Username-password flow (legacy) ----

  async function passwordGrant(host: HostInfo, req: IncomingMessage, form: URLSearchParams, issuer: string) {
    const app = confidentialClientOf(req, form);
    if (!app.passwordFlow) throw oauthError(400, 'unsupported_grant_type', 'grant type not supported');
    const found = findUser(
      host,
      (u) => u.username === form.get('username') && u.password + (u.securityToken ?? '') === form.get('password'),
    );
    if (!found) throw oauthError(400, 'invalid_grant', 'authentication failure');
    return tokenResponse(app, found.org, found.user, ['api'], issuer, null, false, null);
  }

  // ---- Token exchange (RFC 8693) with subject tokens of an external identity provider ----

  async function tokenExchangeGrant(host: HostInfo, req: IncomingMessage, form: URLSearchParams, issuer: string) {
    const app = clientOf(req, form);
    if (app.clientSecret !== undefined && !secretPresented(req, form))
      throw oauthError(400, 'invalid_client', 'invalid client credentials');
    if (!app.tokenExchange) throw oauthError(400, 'unsupported_grant_type', 'grant type not supported');
    if (!SUBJECT_TOKEN_TYPES.includes(form.get('subject_token_type') ?? ''))
      throw oauthError(400, 'invalid_request', 'unsupported subject_token_type');
    const claims = await verifySubjectToken(form.get('subject_token') ?? '');
    // The first of email, preferred_username, sub that the token carries names the user (username or email).
    const name = [claims['email'], claims['preferred_username'], claims.sub].find((v) => typeof v === 'string');
    const found = name === undefined ? null : findUser(host, (u) => u.username === name || u.email === name);
    if (!found) throw oauthError(400, 'invalid_grant', 'no user matches the subject token');
    const scopes = scopesOf(form, 'api');
    const refresh = storeRefresh(app, found, scopes);
    const body = await tokenResponse(app, found.org, found.user, scopes, issuer, refresh, true, null);
    return { ...body, issued_token_type: `${TOKEN_TYPE}access_token` };
  }

  // ---- Asset tokens (a token exchange with an actor token describing a device) ----

  /**
   * Salesforce's asset token flow: the org's access token (`subject_token`, type access_token) and an actor
   * token (type jwt) for an asset token. Salesforce's sample request carries no client credentials: the app is
   * the access token's; credentials, when sent, must be that app's. The refusal of an app without asset
   * tokens is `DoubleConfig.assetTokenRefusal`.
   */
  async function assetTokenGrant(req: IncomingMessage, form: URLSearchParams, issuer: string) {
    if (form.get('subject_token_type') !== `${TOKEN_TYPE}access_token`)
      throw oauthError(400, 'invalid_request', 'unsupported subject_token_type');
    const subject = tokens.get(form.get('subject_token') ?? '');
    if (!subject || subject.kind !== 'access' || !isActive(subject))
      throw oauthError(400, 'invalid_grant', 'expired access/refresh token');
    if ((form.get('client_id') !== null || secretPresented(req, form)) && clientOf(req, form) !== subject.app)
      throw oauthError(400, 'invalid_client', 'invalid client credentials');
    const { app, org, user } = subject;
    if (!app.assetTokens) {
      const refusal = config.assetTokenRefusal ?? {
        error: 'invalid_request',
        description: 'asset tokens are not enabled for this connected app',
      };
      throw oauthError(400, refusal.error, refusal.description);
    }
    if (!subject.scopes.includes('api') || !subject.scopes.includes('openid'))
      throw oauthError(400, 'invalid_scope', 'asset tokens require the api and openid scopes');
    if (form.get('actor_token_type') !== `${TOKEN_TYPE}jwt`)
      throw oauthError(400, 'invalid_request', 'unsupported actor_token_type');
    const actor = await readActorToken(form.get('actor_token') ?? '');
    const iat = Math.floor(now() / 1000);
    const life = app.assetTokens.validForSeconds ?? 600;
    const asset = typeof actor['Asset'] === 'object' ? (actor['Asset'] as Record<string, string>) : {};
    // The Asset record the token registers: created here, so it gets an ID (02i…).
    const assetId = `02i5g0000${randomBytes(6).toString('hex').slice(0, 9)}`;
    const assetToken = await new SignJWT({
      did: actor['did'],
      Name: actor['Name'],
      Asset: { Id: assetId, ...asset },
      ...(actor['cnf'] ? { cnf: actor['cnf'] } : {}),
      user_id: user.userId,
      organization_id: org.orgId,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setIssuer(issuer)
      .setAudience(app.assetTokens.audiences)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + life)
      .setJti(randomUUID())
      .sign(privateKey as CryptoKey);
    return { access_token: assetToken, issued_token_type: `${TOKEN_TYPE}jwt`, token_type: 'Bearer', expires_in: life };
  }

  /**
   * An actor token's shape: a JWT with a string `did` and `Name`, an `Asset` object of strings when present;
   * unsigned (`alg: none`, empty signature) or signed by the key its `cnf.jwk` carries (proof of possession).
   */
  async function readActorToken(actorToken: string): Promise<JWTPayload> {
    const invalid = (why: string) => oauthError(400, 'invalid_request', `invalid actor token: ${why}`);
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: JWTPayload;
    try {
      header = decodeProtectedHeader(actorToken);
      claims = decodeJwt(actorToken);
    } catch {
      throw invalid('not a JWT');
    }
    for (const name of ['did', 'Name'])
      if (typeof claims[name] !== 'string' || claims[name] === '') throw invalid(`${name} is required`);
    const asset = claims['Asset'];
    if (
      asset !== undefined &&
      (typeof asset !== 'object' || asset === null || Object.values(asset).some((v) => typeof v !== 'string'))
    )
      throw invalid('Asset must be an object of strings');
    const cnf = claims['cnf'] as { jwk?: JWK } | undefined;
    if (header.alg === 'none') {
      if (!actorToken.endsWith('.')) throw invalid('an unsigned token has an empty signature');
      if (cnf) throw invalid('a token with a confirmation key must be signed with it');
      return claims;
    }
    if (!cnf?.jwk) throw invalid('a signed token must carry its public key in cnf');
    try {
      await compactVerify(actorToken, await importJWK(cnf.jwk, header.alg), { algorithms: ['RS256', 'ES256'] });
    } catch {
      throw invalid('the signature does not match the key in cnf');
    }
    return claims;
  }

  async function verifySubjectToken(subjectToken: string): Promise<JWTPayload> {
    const idp = config.externalIdp;
    const invalid = () => oauthError(400, 'invalid_grant', 'the subject token is invalid or expired');
    if (!idp) throw invalid();
    try {
      const options = { issuer: idp.issuer, audience: idp.audience, currentDate: new Date(now()) };
      return (await jwtVerify(subjectToken, idp.publicKey, options)).payload;
    } catch {
      throw invalid();
    }
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
    if (grant === null && form.get('response_type') === 'device_code') return send(res, 200, startDevice(host, form));
    if (grant === 'device') return finish(await deviceGrant(req, form, issuer));
    if (grant === JWT_BEARER) return finish(await jwtBearerGrant(host, form, issuer));
    if (grant === 'password') return finish(await passwordGrant(host, req, form, issuer));
    if (grant === TOKEN_EXCHANGE && form.has('actor_token')) return finish(await assetTokenGrant(req, form, issuer));
    if (grant === TOKEN_EXCHANGE) return finish(await tokenExchangeGrant(host, req, form, issuer));
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
      const refresh = storeRefresh(app, code, code.scopes);
      return finish(await tokenResponse(app, code.org, code.user, code.scopes, issuer, refresh, true, code.nonce));
    }
    if (grant === 'client_credentials') {
      const app = confidentialClientOf(req, form);
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
        refresh = newRefreshToken();
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
    slowDownNextPolls: (n) => void (slowDowns = n),
    devicePolls: () => devicePollCount,
    lastTokenRequest: () => lastTokenRequest,
    certificate: tls?.cert ?? null,
    seedGrants: (grants) => oauthTokens.seed(grants),
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

/** The device flow's verification page (`/setup/connect`), where the user enters the code their device shows. */
function connectPage(error: string | null): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Connect a device | Salesforce</title></head><body>
<main><h1>Connect your device (test double)</h1>
${error ? `<p role="alert" id="error">${escapeHtml(error)}</p>` : ''}
<p>Enter the code shown on your device.</p>
<form method="post" action="/setup/connect">
<label for="user_code">Code</label> <input id="user_code" name="user_code" type="text" autocomplete="off" autocapitalize="characters">
<button type="submit">Connect</button>
</form></main></body></html>`;
}

/**
 * The device flow's last page: no redirect, the device learns the outcome by polling. Only fixed texts come
 * here, left unescaped so that "You're connected" reads the same in the HTML source.
 */
function devicePage(heading: string, message: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Connect a device | Salesforce</title></head><body>
<main><h1>${heading}</h1><p>${message}</p></main></body></html>`;
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
