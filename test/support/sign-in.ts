/** Wires the test services to the Salesforce double: the "browser" logs in with a real HTTP client. */
import type { AppProfile, OrgSummary, SignInRequest } from '../../preload/contract';
import type { Handlers } from '../../preload/contract';
import type { Cipher } from '../../main/vault/cipher';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type DoubleApp,
  type DoubleConfig,
  type DoubleUser,
  type SalesforceDouble,
} from '../servers/salesforce-double';
import { deliverFragment, followCallback, freePort, loginAtSalesforceDouble } from '../servers/browser-login';
import type { StandinOrg } from './sf-standin';
import { testHandlers, type TestHandlerOptions, type TestServices } from './test-services';

export interface World {
  double: SalesforceDouble;
  services: TestServices;
  profile: AppProfile;
  callbackUrl: string;
  /** What the next login in the "browser" does. */
  browser: { username: string; password: string; decision: 'allow' | 'deny' };
  /** The pages the browser saw after the callback (the success or error page). */
  pages: string[];
  /** Where the browser was sent when the callback URL is not on this computer (a code by hand), not requested. */
  landed: string[];
  close(): Promise<void>;
}

export async function startWorld(
  options: {
    app?: Partial<DoubleApp>;
    double?: DoubleConfig;
    scopes?: string[];
    secret?: string;
    /** The vault's cipher (default: AES-GCM with the test key). */
    cipher?: Cipher;
    /** More options for the app's handlers (its clock, timers, notifier, HTTP client). */
    services?: TestHandlerOptions;
  } = {},
): Promise<World> {
  const port = await freePort();
  const callbackUrl = `http://localhost:${port}/OauthRedirect`;
  const app: DoubleApp = { clientId: DEFAULT_CLIENT_ID, callbackUrls: [callbackUrl], ...options.app };
  const double = await startSalesforceDouble({ apps: [app], ...options.double });
  const services = await testHandlers({ ...options.services, ...(options.cipher ? { cipher: options.cipher } : {}) });
  const saved = await services.handlers.saveAppProfile({
    name: 'Inspector test app',
    kind: 'external-client-app',
    consumerKey: app.clientId,
    ...(options.secret ? { consumerSecret: options.secret } : {}),
    callbackUrl,
    scopes: options.scopes ?? ['api', 'refresh_token', 'openid', 'id'],
  });
  const world: World = {
    double,
    services,
    profile: saved,
    callbackUrl,
    browser: { username: DEFAULT_USER.username, password: DEFAULT_USER.password, decision: 'allow' },
    pages: [],
    landed: [],
    async close() {
      await services.close();
      await double.close();
    },
  };
  services.onOpen = async (url) => {
    if (
      !url.startsWith(double.loginUrl) &&
      !double.orgs.some((o) => url.startsWith(o.myDomainUrl)) &&
      !url.startsWith(double.sandboxLoginUrl)
    )
      return;
    if (!url.includes('/services/oauth2/authorize')) return;
    // Like a browser: log in, follow the redirect to the app's callback, then load the page it points to.
    void (async () => {
      const { callbackUrl: back } = await loginAtSalesforceDouble(url, world.browser);
      // A callback page elsewhere (a code by hand) is never requested: no test touches the internet.
      if (!/^http:\/\/(localhost|127\.0\.0\.1)[:/]/.test(back)) return void world.landed.push(back);
      // The user-agent flow's tokens are in the fragment, which the listener's page posts back.
      if (back.includes('#')) return void world.pages.push((await deliverFragment(back)).final ?? 'no page');
      const r = await followCallback(back);
      const location = r.headers.get('location');
      if (r.status === 303 && location) world.pages.push((await followCallback(new URL(location, back).href)).body);
      else world.pages.push(r.body);
    })().catch((e: unknown) => world.pages.push(`browser failed: ${String(e)}`));
  };
  return world;
}

/** Any sign-in through the bridge handlers, the way the renderer does it: begin, then await. */
export async function signInVia(handlers: Handlers, request: SignInRequest): Promise<OrgSummary> {
  const started = await handlers.beginSignIn(request);
  return handlers.awaitSignIn({ flowId: started.flowId });
}

/** Signs in with the web server flow through the bridge handlers, the way the renderer does. */
export function signIn(
  world: World,
  loginHost = world.double.loginUrl,
  extra: { orgRef?: string; label?: string } = {},
) {
  return signInVia(world.services.handlers, {
    profileId: world.profile.id,
    loginHost,
    method: 'authorization_code',
    ...extra,
  });
}

/** Signs in as `username` through the browser double and returns the org with its raw tokens. */
export async function tokensFor(world: World, username: string) {
  world.browser.username = username;
  const org = await signIn(world);
  const reveal = async (kind: 'access' | 'refresh') =>
    (await world.services.handlers.revealToken({ id: org.id, kind })).token;
  return { org, access: await reveal('access'), refresh: await reveal('refresh') };
}

/**
 * What a Salesforce CLI signed in to these users of the double's first org holds (for the `sf`
 * stand-in): each user's real tokens, an auth URL with the refresh token, the alias; the first is default.
 */
export async function cliOrgsFor(world: World, users: [user: DoubleUser, alias: string][]): Promise<StandinOrg[]> {
  const org = world.double.orgs[0]!;
  const out: StandinOrg[] = [];
  for (const [user, alias] of users) {
    const { access, refresh } = await tokensFor(world, user.username);
    out.push({
      username: user.username,
      alias,
      orgId: org.orgId,
      instanceUrl: org.myDomainUrl,
      loginUrl: world.double.loginUrl,
      accessToken: access,
      sfdxAuthUrl: `force://${world.profile.consumerKey}::${refresh}@${new URL(org.myDomainUrl).host}`,
      isDefault: out.length === 0,
    });
  }
  return out;
}
