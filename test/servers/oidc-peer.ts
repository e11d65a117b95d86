/**
 * panva's oidc-provider, a standards-complete OAuth 2.0 / OpenID Connect server nobody here wrote, run
 * in-process on 127.0.0.1 as a peer the product's flows must also pass against (docs/ARCHITECTURE.md, "Other servers").
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { CookieJar } from './browser-login';

export const NATIVE_CLIENT_ID = 'native-inspector';
export const ACCOUNT_ID = 'tester@example.com';

/**
 * A public native client for the device authorization grant (RFC 8628), used when `deviceFlow` is on.
 *
 * Refresh tokens in the device flow: oidc-provider issues one when the granted scope contains `offline_access`
 * and the client has the `refresh_token` grant (`issueRefreshToken` default). Unlike the authorization endpoint,
 * the device authorization endpoint takes no `prompt` parameter, so `prompt=consent` is neither needed nor
 * possible: `checkScope` keeps `offline_access` as long as the client may use `refresh_token`. The consent page
 * then grants it with the other missing scopes. So `scope=openid offline_access api` is all it takes.
 */
export const DEVICE_CLIENT_ID = 'device-inspector';

/**
 * A confidential client for the client credentials grant, used when `clientCredentials` is on; it authenticates
 * with `client_secret_post`. Its `scope: 'api'` is an allow-list, not a default: a request without `scope`
 * succeeds and gets an opaque access token with no scope (the response has no `scope` member); `scope=api` gets
 * one with scope `api`; any other known scope (`openid`, ...) is `invalid_scope`. With `jwtResource` on as well,
 * the default resource applies and the token is a JWT for `JWT_RESOURCE` instead.
 *
 * Both clients are always configured. oidc-provider validates a static client when it is first used, so with
 * the grant's feature off a request naming the client gets `invalid_client_metadata`; other clients are unaffected.
 */
export const SERVICE_CLIENT_ID = 'service-inspector';
export const SERVICE_CLIENT_SECRET = 'service-inspector-secret-0123456789abcdef';

/**
 * A confidential client registered for `client_secret_basic`, for the web-server flow with refresh tokens on the
 * any-port `http://127.0.0.1/callback`. oidc-provider takes a client secret by either method from a client
 * registered with either, as long as the server allows that method (`clientAuthMethods`); with `basicOnly` it
 * allows only `client_secret_basic` and `none`, so a `client_secret` in the body is not read at all and this
 * client, which then presented nothing, is refused: it can authenticate ONLY with `client_secret_basic`, at the
 * token, introspection and revocation endpoints alike.
 */
export const BASIC_CLIENT_ID = 'basic-inspector';
export const BASIC_CLIENT_SECRET = 'basic-inspector-secret-0123456789abcdef';

/**
 * A public web client whose only redirect URI is a page elsewhere (https, not on this computer), for a code by
 * hand: the browser's last redirect is not requested, its address is pasted into the app. oidc-provider has no
 * plain `response_type=token` (its configuration refuses one), so the user-agent flow is not tried here.
 */
export const HAND_CLIENT_ID = 'hand-inspector';
export const HAND_REDIRECT_URI = 'https://client.example/oauth/success';

/** Koa middleware as `provider.use` takes it: run around every request, `await next()` runs the provider. */
export type PeerMiddleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

export interface OidcPeer {
  issuer: string;
  provider: Provider;
  close(): Promise<void>;
}

/** The resource whose access tokens are JWTs, when `jwtResource` is on (RFC 8707 + RFC 9068). */
export const PEER_INITIAL_ACCESS_TOKEN = 'peer-initial-access-token';

export const JWT_RESOURCE = 'urn:example:api';

export interface OidcPeerOptions {
  jwtResource?: boolean;
  /** Turns on `features.deviceFlow`: `/device/auth` (device authorization) and the `/device` pages. */
  deviceFlow?: boolean;
  /**
   * oidc-provider's device authorization response has no `interval` (RFC 8628 §3.2 makes it optional, with
   * 5 seconds meant when absent). Set this to have the peer add `interval` with this many seconds.
   */
  deviceInterval?: number;
  /** Turns on `features.clientCredentials` (the `client_credentials` grant at the token endpoint). */
  clientCredentials?: boolean;
  /**
   * Mounts the provider under this path (e.g. `/realms/acme`), which becomes part of its issuer, like
   * Keycloak's realms or Okta's authorization servers. Requests outside it get a plain 404.
   */
  issuerPath?: string;
  /**
   * The server of a confidential client that may use only `client_secret_basic` ({@link BASIC_CLIENT_ID}):
   * `clientAuthMethods` becomes `client_secret_basic` and `none`, so discovery lists only those.
   */
  basicOnly?: boolean;
  /**
   * Middleware run around every request, for fault injection (changing a discovery document, answering an
   * endpoint differently). Installed before the provider handles its first request, as `provider.use` requires.
   */
  middleware?: readonly PeerMiddleware[];
}

export async function startOidcPeer(options: OidcPeerOptions = {}): Promise<OidcPeer> {
  const server: Server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const mount = (options.issuerPath ?? '').replace(/\/+$/, '');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${mount}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'peer-1', use: 'sig', alg: 'RS256' }] },
    clients: [
      {
        client_id: NATIVE_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      {
        client_id: DEVICE_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: [],
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
        response_types: [],
      },
      {
        client_id: SERVICE_CLIENT_ID,
        client_secret: SERVICE_CLIENT_SECRET,
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [],
        grant_types: ['client_credentials'],
        response_types: [],
        scope: 'api',
      },
      {
        client_id: BASIC_CLIENT_ID,
        client_secret: BASIC_CLIENT_SECRET,
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      {
        client_id: HAND_CLIENT_ID,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        redirect_uris: [HAND_REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    ...(options.basicOnly ? { clientAuthMethods: ['client_secret_basic', 'none'] } : {}),
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: id, name: 'Tess Tester', preferred_username: id }),
    }),
    claims: { openid: ['sub'], email: ['email'], profile: ['name', 'preferred_username'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'api'],
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      registration: { enabled: true, initialAccessToken: PEER_INITIAL_ACCESS_TOKEN },
      // The default device pages (user code input, confirmation, success) are plain HTML forms with an `xsrf`
      // hidden field bound to the session cookie; they work with form posts, so they are kept.
      deviceFlow: { enabled: options.deviceFlow ?? false },
      clientCredentials: { enabled: options.clientCredentials ?? false },
      ...(options.jwtResource
        ? {
            resourceIndicators: {
              enabled: true,
              defaultResource: () => JWT_RESOURCE,
              useGrantedResource: () => true,
              getResourceServerInfo: () => ({
                scope: 'api',
                audience: JWT_RESOURCE,
                accessTokenFormat: 'jwt' as const,
              }),
            },
          }
        : {}),
    },
    rotateRefreshToken: true,
    pkce: { required: () => true },
  });
  const interval = options.deviceInterval;
  if (interval !== undefined) {
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.oidc?.route === 'device_authorization' && ctx.status === 200) {
        ctx.body = { ...(ctx.body as object), interval };
      }
    });
  }
  for (const middleware of options.middleware ?? []) provider.use(middleware);
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (!mount) return void callback(req, res);
    const url = req.url ?? '/';
    if (url !== mount && !url.startsWith(`${mount}/`) && !url.startsWith(`${mount}?`)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    // Mounted the way oidc-provider documents for a prefix: `originalUrl` keeps the full path, `url` is
    // what the provider routes on, so the URLs it builds carry the mount path.
    Object.assign(req, { originalUrl: url });
    req.url = url.slice(mount.length) || '/';
    if (req.url.startsWith('?')) req.url = `/${req.url}`;
    void callback(req, res);
  });
  return {
    issuer,
    provider,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

const formPost = (body: URLSearchParams): RequestInit => ({
  method: 'POST',
  body,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

type Stop = { redirect: string } | { page: string; status: number; url: string };

/**
 * The browser part shared by the sign-in and the device flow: makes the request, follows redirects with the
 * jar, fills oidc-provider's development login and consent forms (or aborts them, with `deny`), and stops at
 * a redirect off the issuer's origin or at a page that is not one of those forms.
 */
async function driveInteractions(
  jar: CookieJar,
  first: { url: string; init?: RequestInit },
  options: { accountId?: string | undefined; deny?: boolean },
): Promise<Stop> {
  const origin = new URL(first.url).origin;
  let url = first.url;
  let init: RequestInit = first.init ?? {};
  for (let step = 0; step < 12; step++) {
    const response = await jar.fetch(url, init);
    init = {};
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin !== origin) return { redirect: next.href };
      url = next.href;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) return { page: html, status: response.status, url };
    if (options.deny) {
      url = new URL(`${action}/abort`, url).href;
      continue;
    }
    const body = new URLSearchParams({ prompt });
    if (prompt === 'login') {
      body.set('login', options.accountId ?? ACCOUNT_ID);
      body.set('password', 'any');
    }
    url = new URL(action, url).href;
    init = formPost(body);
  }
  throw new Error('oidc-provider login did not finish in 12 steps');
}

/**
 * Logs in through oidc-provider's development login and consent pages with a cookie jar, like a browser,
 * and returns the callback URL it redirects to (not requested). `deny` aborts the interaction.
 */
export async function loginAtOidcPeer(
  authorizeUrl: string,
  options: { accountId?: string; deny?: boolean } = {},
): Promise<{ callbackUrl: string }> {
  const stop = await driveInteractions(new CookieJar(), { url: authorizeUrl }, options);
  if ('redirect' in stop) return { callbackUrl: stop.redirect };
  throw new Error(`oidc-provider showed no form (${stop.status}): ${stop.page.slice(0, 300)}`);
}

/** The `<form id="...">` of a device flow page with its action and hidden fields, or an Error saying what was seen. */
function deviceForm(html: string, id: string, step: string): { action: string; fields: URLSearchParams } {
  const form = new RegExp(`<form[^>]*id="${id.replace('.', '\\.')}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  const action = form && /action="([^"]+)"/.exec(form[0])?.[1];
  if (!form || !action) {
    const said = /<p class="red">([^<]+)<\/p>/.exec(html)?.[1];
    throw new Error(
      `oidc-provider showed no ${id} form ${step}${said ? `: "${said}"` : ''}: ${html.slice(0, 300).replace(/\s+/g, ' ')}`,
    );
  }
  const fields = new URLSearchParams();
  for (const input of form[1]!.matchAll(/<input\b[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input[0])?.[1];
    if (name && /type="hidden"/.test(input[0])) fields.set(name, /value="([^"]*)"/.exec(input[0])?.[1] ?? '');
  }
  if (!fields.get('xsrf')) throw new Error(`oidc-provider's ${id} form ${step} has no xsrf field`);
  return { action, fields };
}

/**
 * What a person does in a browser for the device flow (RFC 8628 §3.3), with one cookie jar: opens the
 * verification URI, types the user code into its form, presses Continue on the confirmation page, signs in and
 * consents on the development pages, and returns the page the flow ends on, the "Sign-in Success" page.
 * With `deny` the person presses "[ Abort ]" on the confirmation page instead: the returned page is the code
 * input page again, saying "The Sign-in request was interrupted", and the device code then polls `access_denied`.
 */
export async function approveDeviceAtOidcPeer(
  verificationUri: string,
  userCode: string,
  options: { accountId?: string; deny?: boolean } = {},
): Promise<{ page: string }> {
  const jar = new CookieJar();
  const opened = await jar.fetch(verificationUri);
  const input = deviceForm(await opened.text(), 'op.deviceInputForm', `at ${verificationUri} (${opened.status})`);
  input.fields.set('user_code', userCode);
  const inputUrl = new URL(input.action, verificationUri).href;
  const entered = await jar.fetch(inputUrl, formPost(input.fields));
  const confirm = deviceForm(
    await entered.text(),
    'op.deviceConfirmForm',
    `after entering ${userCode} (${entered.status})`,
  );
  if (options.deny) {
    confirm.fields.delete('confirm');
    confirm.fields.set('abort', 'yes');
  }
  const confirmUrl = new URL(confirm.action, inputUrl).href;
  const stop = await driveInteractions(
    jar,
    { url: confirmUrl, init: formPost(confirm.fields) },
    {
      accountId: options.accountId,
    },
  );
  if ('redirect' in stop) throw new Error(`the device flow left oidc-provider for ${stop.redirect}`);
  const expected = options.deny ? 'The Sign-in request was interrupted' : 'Sign-in Success';
  if (stop.status !== 200 || !stop.page.includes(expected)) {
    const said = /<p class="red">([^<]+)<\/p>/.exec(stop.page)?.[1];
    throw new Error(
      `the device flow ended at ${stop.url} (${stop.status}) without "${expected}"${said ? `: "${said}"` : ''}`,
    );
  }
  return { page: stop.page };
}
