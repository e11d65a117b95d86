/**
 * Interop: the real Salesforce CLI (`@salesforce/cli` from the npm registry, test/interop/real-cli.ts) signs
 * in to the Salesforce double over https (a self-signed certificate it trusts through NODE_EXTRA_CA_CERTS)
 * with `sf org login sfdx-url` and `sf org login access-token`, in a HOME of its own. Then the app's real
 * handlers find that `sf` on the PATH they are given, list its orgs and import them, and what arrives is
 * checked against the double: the instance URL as an origin, username, org id, tokens that work, and the org
 * the CLI holds only an access token for keeps an unknown client.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loginAtSalesforceDouble } from '../servers/browser-login';
import {
  DEFAULT_ORG_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type DoubleUser,
  type SalesforceDouble,
} from '../servers/salesforce-double';
import { testHandlers, type TestServices } from '../support/test-services';

const run = promisify(execFile);
const cli = inject('realCli');

/** The Salesforce CLI's own app: a public client with PKCE and the CLI's fixed callback. */
const CLI_APP = 'PlatformCLI';
const CLI_CALLBACK = 'http://localhost:1717/OauthRedirect';
/** Another app, whose access token a user hands to `sf org login access-token`. */
const OTHER_APP = '3MVG9other.app.consumer.key';
const OTHER_CALLBACK = 'http://localhost:1718/callback';
const DEV: DoubleUser = {
  ...DEFAULT_USER,
  userId: '0055g00000XyZzYAAV',
  username: 'dev@acme.example',
  displayName: 'Dev',
  email: 'dev@acme.example',
};

let double: SalesforceDouble;
let work: string;
let sfEnv: NodeJS.ProcessEnv;
let services: TestServices | null = null;
let defaultCas: string[];
const homeBefore = listHome();

/** What the real home holds of the CLI's state, to show the suite leaves it alone. */
function listHome(): string[] {
  return ['.sf', '.sfdx'].filter((d) => existsSync(join(homedir(), d)));
}

/** The web server flow with PKCE, as a browser and the app would do it; returns the token response. */
async function webLogin(user: DoubleUser, clientId: string, redirectUri: string, scope: string) {
  const host = double.orgs[0]!.myDomainUrl;
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(`${host}/services/oauth2/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope,
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const { callbackUrl } = await loginAtSalesforceDouble(authorize.href, user);
  const code = new URL(callbackUrl).searchParams.get('code');
  if (!code) throw new Error(`No code on the callback: ${new URL(callbackUrl).search}`);
  const r = await fetch(`${host}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  if (r.status !== 200) throw new Error(`The token endpoint answered ${r.status}: ${await r.text()}`);
  return (await r.json()) as { access_token: string; refresh_token?: string; instance_url: string };
}

/** Runs the real `sf` (never through a shell) in the suite's own HOME; returns its JSON result. */
async function sf(args: string[], extraEnv: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const { stdout } = await run(join(cli.binDir, 'sf'), [...args, '--json'], {
    env: { ...sfEnv, SF_JSON_TO_STDOUT: 'true', ...extraEnv },
    timeout: 120_000,
    maxBuffer: 10_000_000,
  }).catch((e: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`sf ${args.slice(0, 3).join(' ')} failed: ${e.stdout || e.stderr || e.message}`);
  });
  return (JSON.parse(stdout) as { result: Record<string, unknown> }).result;
}

beforeAll(async () => {
  double = await startSalesforceDouble({
    https: true,
    orgs: [{ orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [DEFAULT_USER, DEV] }],
    apps: [
      { clientId: CLI_APP, callbackUrls: [CLI_CALLBACK], rotateRefreshTokens: false },
      { clientId: OTHER_APP, callbackUrls: [OTHER_CALLBACK] },
    ],
  });
  // This process (the app's handlers, the browser) trusts the double's certificate as sf does.
  defaultCas = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...defaultCas, double.certificate!]);

  work = await mkdtemp(join(tmpdir(), 'sfti-interop-'));
  const home = join(work, 'home');
  await writeFile(join(work, 'double-ca.pem'), double.certificate!);
  // Nothing of the machine's own environment: no SF_* variable, no real HOME, no other sf on PATH.
  sfEnv = {
    PATH: [cli.binDir, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter),
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    TMPDIR: work,
    LANG: 'C.UTF-8',
    NODE_EXTRA_CA_CERTS: join(work, 'double-ca.pem'),
    SF_DISABLE_TELEMETRY: 'true',
    SFDX_DISABLE_TELEMETRY: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_HIDE_RELEASE_NOTES: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  };

  // Ada signs in to the CLI with an auth URL (a refresh token of the CLI's own app, as `org login web` gets).
  const web = await webLogin(DEFAULT_USER, CLI_APP, CLI_CALLBACK, 'api refresh_token web');
  const authFile = join(work, 'auth-url.txt');
  await writeFile(authFile, `force://${CLI_APP}::${web.refresh_token}@${new URL(web.instance_url).host}`);
  await sf(['org', 'login', 'sfdx-url', '--sfdx-url-file', authFile, '--alias', 'acme-web', '--set-default']);
  await rm(authFile);
  // Dev hands the CLI an access token of another app, with the trailing `/` people type.
  const other = await webLogin(DEV, OTHER_APP, OTHER_CALLBACK, 'api');
  await sf(
    [
      'org',
      'login',
      'access-token',
      '--instance-url',
      `${other.instance_url}/`,
      '--no-prompt',
      '--alias',
      'acme-token',
    ],
    {
      SF_ACCESS_TOKEN: other.access_token,
    },
  );
});

afterAll(async () => {
  await services?.close();
  if (defaultCas) tls.setDefaultCACertificates(defaultCas);
  await double?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the real Salesforce CLI, imported by the app', () => {
  it('keeps its state in the suite’s HOME and prints what the app reads', async () => {
    expect(await readdir(join(sfEnv.HOME!, '.sfdx'))).toEqual(
      expect.arrayContaining([`${DEFAULT_USER.username}.json`, `${DEV.username}.json`, 'alias.json']),
    );
    expect(listHome()).toEqual(homeBefore);
    // What the CLI asked the org while signing in: the user's Username, the Organization, the versions.
    expect(double.requests).toEqual(
      expect.arrayContaining([
        'GET /services/oauth2/userinfo',
        `GET /services/data/v51.0/sobjects/User/${DEFAULT_USER.userId}`,
        `GET /services/data/v51.0/sobjects/User/${DEV.userId}`,
        'GET /services/data',
        'GET /services/data/v62.0/query',
      ]),
    );
    // The current CLI hides both secrets in org display, and keeps no client for an access token.
    const shown = await sf(['org', 'display', '--verbose', '-o', 'acme-web']);
    expect(shown).toMatchObject({ username: DEFAULT_USER.username, clientId: CLI_APP });
    expect(shown['accessToken']).toMatch(/^\[REDACTED\]/);
    expect(shown['sfdxAuthUrl']).toMatch(/^\[REDACTED\]/);
    const token = await sf(['org', 'display', '--verbose', '-o', 'acme-token']);
    expect(token).toMatchObject({ username: DEV.username, instanceUrl: `${double.orgs[0]!.myDomainUrl}/` });
    expect(token['clientId']).toBeUndefined();
    expect(token['sfdxAuthUrl']).toBeUndefined();
  });

  it('lists its orgs through the app, found on the PATH the app is given, without any token', async () => {
    services = await testHandlers({ cli: { env: sfEnv } });
    const list = await services.handlers.listCliOrgs({});
    expect(list.sfPath).toBe(join(cli.binDir, 'sf'));
    const org = double.orgs[0]!;
    expect(list.orgs.map((o) => [o.alias, o.username, o.orgId, o.instanceUrl, o.isDefault, o.knownAs])).toEqual([
      ['acme-web', DEFAULT_USER.username, DEFAULT_ORG_ID, org.myDomainUrl, true, null],
      ['acme-token', DEV.username, DEFAULT_ORG_ID, org.myDomainUrl, false, null],
    ]);
    expect(JSON.stringify(list)).not.toMatch(/!AR|5Aep861|force:\/\//);
  });

  it('imports both orgs with working tokens; the access-token org keeps an unknown client', async () => {
    services ??= await testHandlers({ cli: { env: sfEnv } });
    const { handlers, vault } = services;
    const refreshesBefore = double.refreshGrants();
    const report = await handlers.importCliOrgs({ usernames: [DEFAULT_USER.username, DEV.username] });
    expect(report.failed).toEqual([]);
    const org = double.orgs[0]!;
    const [web, token] = report.imported;
    expect(web).toMatchObject({
      label: 'acme-web',
      username: DEFAULT_USER.username,
      orgId18: DEFAULT_ORG_ID,
      instanceUrl: org.myDomainUrl,
      grant: 'authorization_code',
    });
    expect(token).toMatchObject({
      label: 'acme-token',
      username: DEV.username,
      orgId18: DEFAULT_ORG_ID,
      instanceUrl: org.myDomainUrl,
      grant: 'pasted',
      profileId: null,
    });
    expect(web!.tokens.map((t) => t.kind).sort()).toEqual(['access', 'refresh']);
    expect(token!.tokens.map((t) => t.kind)).toEqual(['access']);
    // The CLI's own app became the web org's profile; no profile claims the access token's unknown app.
    expect(vault.listProfiles().map((p) => p.consumerKey)).toEqual([CLI_APP]);
    expect(vault.getProfile(web!.profileId!)?.name).toBe('Salesforce CLI (PlatformCLI)');

    // The tokens are the CLI's, and they work against the org.
    for (const imported of [web!, token!]) {
      const access = await vault.readToken(imported.id, 'access');
      expect(double.isTokenActive(access!)).toBe(true);
      expect(await handlers.testToken({ id: imported.id })).toMatchObject({ ok: true });
    }
    expect(double.refreshGrants()).toBe(refreshesBefore);
    // The refresh token works at the org's https host (the auth URL names it without a scheme).
    expect(await handlers.refreshOrg({ id: web!.id })).toMatchObject({ status: 'connected' });
    expect(double.refreshGrants()).toBe(refreshesBefore + 1);
    expect(double.requests).toContain(`POST /services/oauth2/token`);

    // Listed again, the CLI's orgs say which org of the app they are.
    const again = await handlers.listCliOrgs({});
    expect(again.orgs.map((o) => o.knownAs)).toEqual([web!.id, token!.id]);
  });
});
