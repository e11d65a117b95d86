/**
 * The IPC router (main/ipc/router.ts `createRouter` with main/ipc/schemas.ts `argumentSchemas`) over the
 * real handlers of test/support/test-services.ts, for every method of the contract (the method list is
 * the preload's `createApi`, checked against the schemas): arguments from `fc.anything()`, and near-valid
 * ones built from each method's shape with the ids of a real app profile and org (signed in at the
 * Salesforce double on loopback), live flow ids, login hosts, tokens and auth URLs, then mutated field by
 * field. A run passes when `dispatch` resolves, within 10 s, to a `Result` that is ok or carries a typed
 * error code (never `internal`), and that survives the structured clone IPC sends it with.
 *
 * Nothing leaves loopback: every login host that is not the double's is refused by the fetch guard
 * (test/setup/loopback-only.ts, installed by vitest and by `npm run fuzz`; setup checks that it is there),
 * so such calls end in `oauth/network`. The browser and dialogs are testHandlers' recordings. Every sign-in
 * a run starts is cancelled and awaited before the next run, and teardown closes the handlers.
 *
 * The state is real and the fuzzer changes it (revokes, signs out, deletes and edits the profile): before
 * each run, what a run broke is put back (the profile saved again, the org signed in again), so that the
 * ids in near-valid inputs keep naming live records.
 */
import fc from 'fast-check';
import { createRouter, type Router } from '../../../main/ipc/router';
import type { Handlers } from '../../../preload/contract';
import { argumentSchemas } from '../../../main/ipc/schemas';
import { createApi } from '../../../preload/api-factory';
import { SUBJECT_TOKEN_TYPES, type ApiMethod, type OrgSummary, type SignInStart } from '../../../preload/contract';
import { followCallback, freePort, loginAtSalesforceDouble } from '../../servers/browser-login';
import { DEFAULT_USER, startSalesforceDouble, type SalesforceDouble } from '../../servers/salesforce-double';
import { testHandlers, type TestServices } from '../../support/test-services';
import { UntypedError, expectTypedResult, withinMs, type FuzzTarget } from '../target';

/** Every method of the contract, as the preload exposes it. */
const METHODS = Object.keys(createApi(async () => ({ ok: true, value: null }))) as ApiMethod[];

const CLIENT_ID = '3MVG9fuzz.router.consumer.key';
const CLIENT_SECRET = 'fuzz-router-secret';
const SCOPES = ['api', 'refresh_token', 'openid', 'id'];
const DISPATCH_MS = 10_000;

interface Input {
  method: string;
  arg: unknown;
  /** What the next "Open file" dialog returns (importOrgs). */
  dialog: string | null;
  /** For a sign-in that starts: what to do with its flow before it is cancelled. */
  followUp: 'cancel' | 'await' | 'open-verification' | 'cancel-twice';
}

// ---- placeholders, resolved at run time to the live records ----------------------------------------------------

/** `$org`, `$profile`, …: the generators run before setup, so they name records by placeholder. */
const P = {
  org: '$org',
  profile: '$profile',
  flow: '$flow',
  login: '$login',
  loginHost: '$loginhost',
  myDomain: '$mydomain',
  callback: '$callback',
  access: '$access',
  refresh: '$refresh',
  idToken: '$idtoken',
  client: '$client',
  username: '$username',
} as const;

interface Live {
  double: SalesforceDouble;
  services: TestServices;
  router: Router;
  callbackUrl: string;
  profileId: string;
  orgId: string;
  tokens: { access: string; refresh: string; id: string };
  /** The flow of the last sign-in started (cancelled by now, unless a run is using it). */
  lastFlow: string;
  /** The last error the router did not expect (its onError). */
  unexpected: unknown;
}

let live: Live | null = null;

/** How often each method ended how ("refreshOrg ok", "refreshOrg org/not_found"): to see what the inputs reach. */
export const outcomes = new Map<string, number>();

const PLACEHOLDER = /\$(loginhost|login|mydomain|org|profile|flow|callback|access|refresh|idtoken|client|username)\b/g;

function substitute(text: string, l: Live): string {
  if (!text.includes('$')) return text;
  const values: Record<string, string> = {
    loginhost: new URL(l.double.loginUrl).host,
    login: l.double.loginUrl,
    mydomain: l.double.orgs[0]!.myDomainUrl,
    org: l.orgId,
    profile: l.profileId,
    flow: l.lastFlow,
    callback: l.callbackUrl,
    access: l.tokens.access,
    refresh: l.tokens.refresh,
    idtoken: l.tokens.id,
    client: CLIENT_ID,
    username: DEFAULT_USER.username,
  };
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/** A copy of `value` with placeholders replaced in strings; anything but plain objects and arrays is kept. */
function resolve(value: unknown, l: Live): unknown {
  if (typeof value === 'string') return substitute(value, l);
  if (Array.isArray(value)) return value.map((v) => resolve(v, l));
  if (typeof value === 'object' && value !== null) {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, l)]));
    return proto === null ? Object.assign(Object.create(null) as object, copy) : copy;
  }
  return value;
}

// ---- near-valid arguments ---------------------------------------------------------------------------------------

const weird = fc.constantFrom(
  '',
  ' ',
  '__proto__',
  'constructor',
  '../../../etc/passwd',
  'x'.repeat(201),
  'x'.repeat(5_000),
  '\u0000',
  '\ud800',
  'null',
  '$nothing',
);
const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: weird },
);
const named = (real: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 6, arbitrary: real }, { weight: 2, arbitrary: anyText });

const orgRef = named(fc.constant(P.org));
const profileRef = named(fc.constant(P.profile));
const flowRef = named(fc.oneof(fc.constant(P.flow), fc.uuid()));
const loginHost = named(
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(P.login, P.myDomain) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'production',
        'sandbox',
        'PRODUCTION',
        'acme.my.salesforce.com',
        'https://acme.lightning.force.com/lightning/page/home',
        'http://acme.my.salesforce.com',
        'http://127.0.0.1:1',
        'http://localhost:9/',
        'http://[::1]:9',
        'ftp://acme.my.salesforce.com',
        'https://user:pw@acme.my.salesforce.com',
        'javascript:alert(1)',
        'acme',
      ),
    },
    { weight: 1, arbitrary: fc.webUrl() },
  ),
);
const label = named(fc.constantFrom('Fuzzed org', 'Prod', '  padded  ', 'Zoë 🚀'));
const scope = named(fc.constantFrom(...SCOPES, 'web', 'full', 'offline_access', 'cdp_query_api'));
const scopes = fc.array(scope, { maxLength: 6 });
const callbackUrl = named(
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(P.callback) },
    fc.constantFrom(
      'http://localhost:1717/OauthRedirect',
      'http://127.0.0.1:0/cb',
      'http://localhost:99999/',
      'https://localhost:1717/OauthRedirect',
      'http://example.com/cb',
      'sfdc://oauth/callback',
    ),
    fc.webUrl(),
  ),
);
const tokenKind = named(fc.constantFrom('access', 'refresh', 'id'));
const revocable = named(fc.constantFrom('access', 'refresh'));
const token = named(
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(P.access, P.refresh, P.idToken) },
    fc.constantFrom(
      '00D5g000004XYZA!AQ8AQLm2x4JHk9Jq0Wv3bXc1pL6s.yT_hG5fK2eR7uN9mB4vZ0aQwE3sD8cF1gH6jK',
      'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
      'Bearer x',
      ` ${P.access} `,
    ),
  ),
);
const pem = named(
  fc.constantFrom(
    '',
    '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
    '-----BEGIN RSA PRIVATE KEY-----\n\n-----END RSA PRIVATE KEY-----',
    '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----',
  ),
);
const authUrl = named(
  fc.constantFrom(
    `force://${P.client}::${P.refresh}@${P.loginHost}`,
    `force://${P.client}:${CLIENT_SECRET}:${P.refresh}@${P.loginHost}`,
    `force://${P.client}::5Aep861notarealtoken@${P.loginHost}`,
    `force://PlatformCLI::${P.refresh}@acme.my.salesforce.com`,
    `force://${P.client}::${P.refresh}@127.0.0.1:1`,
    'force://a:b:c@',
    'https://acme.my.salesforce.com',
  ),
);
const color = fc.oneof(fc.constantFrom('#00aaFF', '#000000', null, '#fff', 'red'), anyText);

/** An object with these fields, where `optional` ones may be left out. */
function shape(required: Record<string, fc.Arbitrary<unknown>>, optional: Record<string, fc.Arbitrary<unknown>> = {}) {
  const all = { ...required, ...optional } as Record<string, fc.Arbitrary<unknown>>;
  return fc.record(all, { requiredKeys: Object.keys(required) as never[] }) as fc.Arbitrary<Record<string, unknown>>;
}

const signInBase = { profileId: profileRef, loginHost };
const signInOptional = { orgRef, label };
const signIn = fc.oneof(
  shape({ ...signInBase, method: fc.constant('authorization_code') }, signInOptional),
  shape({ ...signInBase, method: fc.constant('device') }, signInOptional),
  shape({ ...signInBase, method: fc.constant('client_credentials') }, signInOptional),
  shape(
    { ...signInBase, method: fc.constant('jwt_bearer'), username: named(fc.constant(P.username)) },
    { ...signInOptional, audience: named(fc.constantFrom('https://login.salesforce.com', P.login)) },
  ),
  shape(
    {
      ...signInBase,
      method: fc.constant('password'),
      username: named(fc.constant(P.username)),
      password: named(fc.constant(DEFAULT_USER.password)),
    },
    { ...signInOptional, securityToken: anyText },
  ),
  shape(
    {
      ...signInBase,
      method: fc.constant('token_exchange'),
      subjectToken: token,
      subjectTokenType: named(fc.constantFrom(...SUBJECT_TOKEN_TYPES)),
    },
    signInOptional,
  ),
);

const none = fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, fc.constantFrom(null, {}, [], 0, ''));
const byOrg = shape({ id: orgRef });
const byOrgKind = shape({ id: orgRef, kind: tokenKind });
const byOrgRevocable = shape({ id: orgRef, kind: revocable });
const byFlow = shape({ flowId: flowRef });
const optionalFlow = { flowId: flowRef };
const pastedTarget = fc.oneof(
  shape({ org: orgRef }),
  shape({ loginHost, profileId: fc.oneof(profileRef, fc.constant(null)) }),
);

const SHAPES: Record<ApiMethod, fc.Arbitrary<unknown>> = {
  getAppInfo: none,
  inspectToken: shape({ token }),
  listOrgs: none,
  updateOrg: shape(
    { id: orgRef },
    {
      label: anyText,
      color,
      group: fc.oneof(anyText, fc.constant(null)),
      pinned: fc.boolean(),
      refreshAhead: fc.boolean(),
    },
  ),
  listAppProfiles: none,
  saveAppProfile: shape(
    {
      name: label,
      kind: named(fc.constantFrom('connected-app', 'external-client-app', 'oidc')),
      consumerKey: named(fc.constant(P.client)),
      callbackUrl,
      scopes,
    },
    {
      id: profileRef,
      consumerSecret: named(fc.constantFrom('', CLIENT_SECRET)),
      privateKeyPem: pem,
      resource: fc.oneof(
        fc.constant(null),
        named(fc.constantFrom('https://api.example.com/', 'urn:example:api', 'not a uri', 'https://x/#f')),
      ),
      audience: fc.oneof(fc.constant(null), named(fc.constantFrom('https://api.example.com', 'api', 'two words'))),
    },
  ),
  deleteAppProfile: shape({ id: profileRef }),
  registerAppProfile: shape(
    { loginHost, initialAccessToken: anyText, name: label, callbackUrl, scopes },
    { grantTypes: fc.array(named(fc.constantFrom('authorization_code', 'refresh_token', 'client_credentials'))) },
  ),
  beginSignIn: signIn,
  awaitSignIn: byFlow,
  cancelSignIn: byFlow,
  openDeviceVerification: byFlow,
  submitSignInCode: shape({ flowId: flowRef, pasted: fc.string({ maxLength: 300 }) }),
  refreshOrg: byOrg,
  revokeToken: byOrgRevocable,
  signOut: byOrg,
  introspectToken: byOrgRevocable,
  testToken: byOrg,
  openOrgInBrowser: shape(
    { id: orgRef },
    {
      path: named(fc.constantFrom('/lightning/setup/SetupOneHome/home', '//evil.example', 'https://evil.example', '/')),
      copyLink: fc.boolean(),
      browser: named(fc.constantFrom('system', 'firefox', 'safari', 'netscape')),
    },
  ),
  inspectOrgToken: shape({ id: orgRef, kind: tokenKind }, { previous: fc.boolean() }),
  verifyOrgToken: byOrgKind,
  getUserInfo: byOrg,
  verifyPastedToken: shape(
    {
      token,
      key: fc.oneof(
        shape({ kind: fc.constant('issuer'), url: named(fc.constantFrom(P.login, `${P.login}/id/keys`)) }),
        shape({ kind: fc.constant('key'), text: pem }),
        shape({
          kind: fc.constant('secret'),
          secret: anyText,
          encoding: named(fc.constantFrom('utf8', 'base64', 'base64url')),
        }),
      ),
    },
    optionalFlow,
  ),
  matchPastedToken: shape({ token }),
  introspectPastedToken: shape({ token, target: pastedTarget }, optionalFlow),
  revokePastedToken: shape({ token, target: pastedTarget }, optionalFlow),
  copyTokenAs: shape({
    id: orgRef,
    format: named(fc.constantFrom('bearer-header', 'curl', 'httpie', 'env-posix', 'env-powershell')),
  }),
  runApiRequest: shape(
    {
      id: orgRef,
      request: fc.oneof(
        shape({
          kind: fc.constant('rest'),
          path: named(
            fc.constantFrom('/services/data/', '/services/data/v62.0/limits', '../x', 'https://evil.example/'),
          ),
        }),
        shape({
          kind: fc.constant('soql'),
          query: named(fc.constantFrom('SELECT Id FROM User LIMIT 1', "SELECT Id FROM Account WHERE Name = 'x'")),
        }),
      ),
    },
    optionalFlow,
  ),
  copyText: shape({ text: anyText }),
  copyToken: byOrgKind,
  revealToken: byOrgKind,
  setWeakStorageOptIn: shape({ enabled: fc.boolean() }),
  importSfdxAuthUrl: shape({ url: authUrl }, { label, ...optionalFlow }),
  listCliOrgs: shape({}, optionalFlow),
  importCliOrgs: shape({ usernames: fc.array(named(fc.constant(P.username)), { maxLength: 3 }) }, optionalFlow),
  attachToken: shape({ profileId: profileRef, loginHost, kind: revocable, token }, { orgRef, label, ...optionalFlow }),
  getOrgHistory: byOrg,
  exportOrgHistory: shape({ id: orgRef, format: named(fc.constantFrom('json', 'csv')) }),
  getSettings: none,
  saveSettings: shape(
    {},
    {
      theme: named(fc.constantFrom('system', 'light', 'dark')),
      defaultCallbackUrl: callbackUrl,
      defaultScopes: scopes,
      healthCheckMinutes: fc.oneof(fc.constantFrom(0, 15, 30, 60, 5), anyText),
      notifications: fc.boolean(),
      openOrgsIn: named(fc.constantFrom('system', 'chrome', 'brave', 'netscape')),
    },
  ),
  exportOrgs: none,
  importOrgs: none,
  checkOrg: shape({ id: orgRef }, optionalFlow),
  getOrg: byOrg,
  requestAssetToken: shape(
    {
      id: orgRef,
      device: shape({
        deviceId: named(fc.constantFrom('device-1', '', ' ')),
        tokenName: label,
        assetName: anyText,
        serialNumber: anyText,
        accountId: named(fc.constantFrom('', '0015g00000AbCdEAAV', 'x'.repeat(40))),
        contactId: named(fc.constantFrom('', '0035g00000AbCdEAAV')),
        sign: fc.boolean(),
      }),
    },
    optionalFlow,
  ),
  copyAssetToken: byOrg,
  listNotifications: none,
  clearNotifications: none,
  // Org-wide OAuth tokens (admins).
  listOrgTokens: shape({ id: orgRef }, { more: fc.boolean(), ...optionalFlow }),
  revokeOrgTokens: shape(
    {
      id: orgRef,
      tokenIds: fc.array(named(fc.constantFrom('0CR5g000000AbCdEAA', '0CR5g000000AbCd', 'x')), { maxLength: 3 }),
    },
    optionalFlow,
  ),
  exportOrgTokens: shape({
    id: orgRef,
    tokenIds: fc.array(named(fc.constantFrom('0CR5g000000AbCdEAA', '0CR5g000000AbCd', 'x')), { maxLength: 3 }),
  }),
  // Browsers.
  listBrowsers: none,
};

/** Changes one to three fields: a new key, one removed, one of another type. */
function mutate(arg: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const edit = fc.oneof(
    fc.tuple(
      fc.constant('add' as const),
      fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'then')),
      fc.anything({ maxDepth: 1 }),
    ),
    fc.tuple(fc.constant('drop' as const), fc.nat(), fc.constant(null)),
    fc.tuple(fc.constant('retype' as const), fc.nat(), fc.anything({ maxDepth: 1 })),
  );
  return fc.tuple(arg, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([value, edits]) => {
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [op, key, v] of edits) {
      const keys = Object.keys(out);
      if (op === 'add')
        Object.defineProperty(out, key as string, { value: v, enumerable: true, writable: true, configurable: true });
      else if (keys.length > 0) {
        const k = keys[(key as number) % keys.length]!;
        if (op === 'drop') delete out[k];
        else out[k] = v;
      }
    }
    return out;
  });
}

const method = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom(...METHODS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'close', '', 'api:listOrgs'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const anyArg = fc.anything({
  withNullPrototype: true,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
});
/** Per method: its near-valid shape, mutated, or anything. Built once, not per input. */
const argOf = new Map<string, fc.Arbitrary<unknown>>(
  METHODS.map((m) => [
    m,
    fc.oneof(
      { weight: 6, arbitrary: SHAPES[m] },
      { weight: 2, arbitrary: mutate(SHAPES[m]) },
      { weight: 2, arbitrary: anyArg },
    ),
  ]),
);

const arbitrary: fc.Arbitrary<Input> = method.chain((m) =>
  fc.record({
    method: fc.constant(m),
    // Not SHAPES[m]: a method name such as "toString" must not find Object.prototype's.
    arg: argOf.get(m) ?? anyArg,
    dialog: fc.oneof(
      { weight: 4, arbitrary: fc.constant(null) },
      fc.string({ maxLength: 40 }),
      fc.json({ maxDepth: 3 }),
      fc.constantFrom(
        '{"format":"sf-token-inspector-export","version":1,"orgs":[],"profiles":[]}',
        '{"format":"sf-token-inspector-export"}',
      ),
    ),
    followUp: fc.constantFrom<Input['followUp']>('cancel', 'await', 'open-verification', 'cancel-twice'),
  }),
);

// ---- the live world -------------------------------------------------------------------------------------------

/** Fails setup unless fetch refuses hosts off loopback (vitest's setup file, or run.ts's import of it). */
async function checkLoopbackGuard(): Promise<void> {
  const outcome = await fetch('https://guard-check.invalid/').then(
    () => 'answered',
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
  if (!/tests may only reach loopback hosts/.test(outcome)) {
    throw new Error(
      `The ipc-router target needs the loopback-only fetch guard (test/setup/loopback-only.ts); fetch said: ${outcome}`,
    );
  }
}

/** Signs in with the web server flow, the "browser" logging in at the double. */
async function signInOnce(l: Live, orgRefId?: string): Promise<OrgSummary> {
  const { services, double } = l;
  services.onOpen = async (url) => {
    if (!url.startsWith(double.loginUrl) || !url.includes('/services/oauth2/authorize')) return;
    void (async () => {
      const { callbackUrl: back } = await loginAtSalesforceDouble(url, {
        username: DEFAULT_USER.username,
        password: DEFAULT_USER.password,
      });
      const r = await followCallback(back);
      const location = r.headers.get('location');
      if (r.status === 303 && location) await followCallback(new URL(location, back).href);
    })().catch(() => undefined);
  };
  try {
    const start = await services.handlers.beginSignIn({
      profileId: l.profileId,
      loginHost: double.loginUrl,
      method: 'authorization_code',
      ...(orgRefId ? { orgRef: orgRefId } : {}),
    });
    return await services.handlers.awaitSignIn({ flowId: start.flowId });
  } finally {
    services.onOpen = null;
  }
}

async function reveal(handlers: Handlers, id: string) {
  const get = async (kind: 'access' | 'refresh' | 'id') => (await handlers.revealToken({ id, kind })).token;
  return { access: await get('access'), refresh: await get('refresh'), id: await get('id') };
}

function profileInput(id?: string) {
  return {
    ...(id ? { id } : {}),
    name: 'Fuzz router app',
    kind: 'external-client-app' as const,
    consumerKey: CLIENT_ID,
    consumerSecret: CLIENT_SECRET,
    callbackUrl: live?.callbackUrl ?? '',
    scopes: SCOPES,
  };
}

/** Puts back what the last runs broke: the profile as set up, and a signed-in org that uses it. */
async function restore(l: Live): Promise<void> {
  const { vault, handlers } = l.services;
  const profile = vault.getProfile(l.profileId);
  if (
    !profile ||
    profile.consumerKey !== CLIENT_ID ||
    profile.callbackUrl !== l.callbackUrl ||
    !profile.hasSecret ||
    profile.scopes.join(' ') !== SCOPES.join(' ')
  ) {
    const saved = await handlers.saveAppProfile(profileInput(profile ? l.profileId : undefined));
    l.profileId = saved.id;
  }
  const org = vault.getOrg(l.orgId);
  const refresh = org?.tokens.find((t) => t.kind === 'refresh');
  if (
    !org ||
    !refresh ||
    refresh.status === 'revoked' ||
    org.record.profileId !== l.profileId ||
    org.record.needsSignIn
  ) {
    const summary = await signInOnce(l, org && org.record.profileId === l.profileId ? l.orgId : undefined);
    l.orgId = summary.id;
    l.tokens = await reveal(handlers, summary.id);
  }
}

function isStart(value: unknown): value is SignInStart {
  return typeof value === 'object' && value !== null && typeof (value as { flowId?: unknown }).flowId === 'string';
}

/** Dispatches and checks the answer: typed, in time, and (for `internal`) with what was thrown. */
async function call(l: Live, method: string, arg: unknown) {
  l.unexpected = undefined;
  let result: Awaited<ReturnType<Router['dispatch']>>;
  try {
    result = await withinMs(DISPATCH_MS, `${method}`, () => l.router.dispatch(method, arg));
  } catch (e) {
    if (e instanceof UntypedError) throw e;
    throw new UntypedError(`${method}: dispatch threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  if (!result.ok && result.error.code === 'internal') {
    const e = l.unexpected;
    // The router calls onError only for what is not an AppError; an AppError coded `internal` has its text.
    const thrown =
      e === undefined
        ? `an AppError coded internal ("${result.error.message}")`
        : e instanceof Error
          ? `${e.name}: ${e.message} ${(e.stack?.split('\n').find((line) => line.includes('/main/')) ?? '').trim()}`
          : String(e);
    throw new UntypedError(`${method} answered internal; the handler threw ${thrown}`);
  }
  const outcome = `${method} ${result.ok ? 'ok' : result.error.code}`;
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  expectTypedResult(result);
  try {
    // ipcMain.handle sends the answer with the structured clone algorithm.
    structuredClone(result);
  } catch (e) {
    throw new UntypedError(`${method}: the answer cannot cross IPC (${e instanceof Error ? e.message : String(e)})`);
  }
  return result;
}

const target: FuzzTarget<Input> = {
  name: 'IPC router',
  longRuns: 20_000,
  shortRuns: 500,
  arbitrary,
  size: (input) => Buffer.byteLength(fc.stringify(input.arg)),

  async setup() {
    await checkLoopbackGuard();
    const missing = METHODS.filter((m) => !Object.hasOwn(argumentSchemas, m));
    if (missing.length > 0) throw new Error(`no argument schema for ${missing.join(', ')}`);
    const port = await freePort();
    const callbackUrl = `http://localhost:${port}/OauthRedirect`;
    const double = await startSalesforceDouble({
      apps: [
        {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          callbackUrls: [callbackUrl],
          deviceFlow: true,
          clientCredentialsUser: DEFAULT_USER.username,
          passwordFlow: true,
          preAuthorizedUsers: [DEFAULT_USER.username],
        },
      ],
    });
    const services = await testHandlers({ listenerTimeoutMs: 3_000, http: { timeoutMs: 5_000 } });
    const partial = {
      double,
      services,
      callbackUrl,
      profileId: '',
      lastFlow: 'no-flow-yet',
      unexpected: undefined as unknown,
      router: null as unknown as Router,
    };
    live = { ...partial, orgId: '', tokens: { access: '', refresh: '', id: '' } };
    live.router = createRouter(services.handlers, argumentSchemas, (e) => {
      if (live) live.unexpected = e;
    });
    live.profileId = (await services.handlers.saveAppProfile(profileInput())).id;
    const org = await signInOnce(live);
    live.orgId = org.id;
    live.tokens = await reveal(services.handlers, org.id);
  },

  async teardown() {
    const l = live;
    live = null;
    if (!l) return;
    await l.services.close();
    await l.double.close();
  },

  async beforeEach() {
    if (live) await restore(live);
  },

  async run(input) {
    const l = live;
    if (!l) throw new Error('setup did not run');
    l.services.importText = input.dialog;
    const arg = resolve(input.arg, l);
    const result = await call(l, input.method, arg);
    if (result.ok && input.method === 'beginSignIn' && isStart(result.value)) {
      const { flowId, method } = result.value;
      l.lastFlow = flowId;
      const quick = method !== 'authorization_code' && method !== 'device';
      if (input.followUp === 'open-verification') await call(l, 'openDeviceVerification', { flowId });
      if (!(input.followUp === 'await' && quick)) await call(l, 'cancelSignIn', { flowId });
      if (input.followUp === 'cancel-twice') await call(l, 'cancelSignIn', { flowId });
      // Awaiting ends the flow (a cancelled one at once) and frees its listener.
      await call(l, 'awaitSignIn', { flowId });
    }
    l.services.opened.length = 0;
    l.services.clipboard.length = 0;
    l.services.exported.length = 0;
  },
};

export default target;
