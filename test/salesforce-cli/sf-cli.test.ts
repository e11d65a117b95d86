/**
 * The Salesforce CLI adapter against a stand-in `sf` run as a real child process: finding it on PATH and
 * in the install places a desktop app's minimal PATH lacks; `--json` and the environment it is run with;
 * org list and org display parsed into typed records (no token kept from the list); the CLI's failures,
 * non-JSON output, timeouts and cancelling mapped to coded errors that never carry a token; the CLI (and
 * what a wrapper script started) killed when it is given up on.
 */
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cliInstallDirs,
  displayCliOrg,
  findSalesforceCli,
  listCliOrgs,
  parseOrgDisplay,
  parseOrgList,
  pathEntries,
  runSalesforceCli,
  type CliOrg,
} from '../../main/salesforce-cli/sf-cli';
import { errorOf, errorText } from '../oauth/support';
import {
  installSfStandin,
  SF_STANDIN_DIR,
  type SfStandin,
  type StandinOrg,
  type StandinState,
} from '../support/sf-standin';

const isWindows = process.platform === 'win32';
const SF_NAME = isWindows ? 'sf.cmd' : 'sf';

const PROD_TOKEN = '00D5g000004AbCdEAB!AQ8AQProdAccessTokenXyZ0123456789abcdefGHIJKLmnopQRSTuvwx';
const PROD_REFRESH = '5Aep861ProdRefreshTokenQwErTy0123456789AbCdEfGhIjKlMnOpQrStUvWxYz';
const SANDBOX_TOKEN = '00D7A000000UatAEAB!ARsAQSandboxAccessToken0123456789abcdefGHIJKLmnopQRST';

const ORGS: StandinOrg[] = [
  {
    username: 'zoe@acme.com',
    alias: 'prod',
    orgId: '00D5g000004AbCdEAB',
    instanceUrl: 'https://acme.my.salesforce.com',
    loginUrl: 'https://login.salesforce.com',
    accessToken: PROD_TOKEN,
    sfdxAuthUrl: `force://PlatformCLI::${PROD_REFRESH}@acme.my.salesforce.com`,
    isDefault: true,
  },
  {
    username: 'qa@acme.com.uat',
    alias: 'uat',
    orgId: '00D7A000000UatAEAB',
    instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com',
    loginUrl: 'https://test.salesforce.com',
    accessToken: SANDBOX_TOKEN,
    isSandbox: true,
  },
  {
    username: 'hub@acme.com',
    alias: 'hub',
    orgId: '00D000000000001AAA',
    instanceUrl: 'https://acme-hub.my.salesforce.com',
    loginUrl: 'https://login.salesforce.com',
    accessToken: '00D000000000001!AQHubAccessToken0123456789abcdefGHIJKLmnopQRSTuvwxyz',
    sfdxAuthUrl: 'force://PlatformCLI::5Aep861HubRefreshToken0123456789AbCdEf@acme-hub.my.salesforce.com',
    isDevHub: true,
  },
  {
    username: 'test-abc@example.com',
    alias: 'feature',
    orgId: '00DAu000000ScrAtAAA',
    instanceUrl: 'https://speed-ruby-1234-dev-ed.scratch.my.salesforce.com',
    loginUrl: 'https://speed-ruby-1234-dev-ed.scratch.my.salesforce.com',
    accessToken: '00DAu000000ScrA!AQScratchAccessToken0123456789abcdefGHIJKLmnopQRSTuv',
    sfdxAuthUrl:
      'force://PlatformCLI::5Aep861ScratchRefresh0123456789AbCdEf@speed-ruby-1234-dev-ed.scratch.my.salesforce.com',
    isScratch: true,
    expirationDate: '2099-01-01',
  },
  {
    username: 'old-scratch@example.com',
    orgId: '00DAu000000OldScAAA',
    instanceUrl: 'https://old-1-dev-ed.scratch.my.salesforce.com',
    loginUrl: 'https://old-1-dev-ed.scratch.my.salesforce.com',
    accessToken: '00DAu000000OldS!AQExpiredScratchToken0123456789abcdefGHIJKLmnopQRST',
    isScratch: true,
    expirationDate: '2020-01-01',
  },
  {
    username: 'admin@partner.example',
    orgId: '00D3x000000PartAAA',
    instanceUrl: 'https://sfdc.partner.example',
    loginUrl: 'https://sfdc.partner.example',
    accessToken: '00D3x000000Part!AQPartnerAccessToken0123456789abcdefGHIJKLmnopQRSTuv',
  },
];

const ALL_TOKENS = ORGS.flatMap((o) => [o.accessToken, ...(o.sfdxAuthUrl ? [o.sfdxAuthUrl] : [])]);

let standin: SfStandin | null = null;
const temps: string[] = [];
afterEach(async () => {
  await standin?.cleanup();
  standin = null;
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function start(state: Partial<StandinState> = {}): Promise<{ sf: string; s: SfStandin }> {
  standin = await installSfStandin({ orgs: ORGS, ...state });
  return { sf: join(standin.binDir, SF_NAME), s: standin };
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sfti-cli-'));
  temps.push(dir);
  return dir;
}

async function executable(file: string, content = '#!/bin/sh\nexit 0\n'): Promise<string> {
  await writeFile(file, content);
  await chmod(file, 0o755);
  return file;
}

/** A zombie (killed, not yet reaped by an init that reaps slowly, as in some containers) counts as dead. */
function isAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      // The state follows the parenthesised command name, which may itself contain spaces.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return condition();
}

const waitUntilDead = (pid: number) => waitFor(() => !isAlive(pid), 3000);

function expectNoSecret(value: unknown) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const token of ALL_TOKENS) expect(text).not.toContain(token);
  expect(text).not.toMatch(/accessToken|refreshToken|force:\/\//);
}

describe('findSalesforceCli', () => {
  it('finds sf on PATH', async () => {
    const { s } = await start();
    expect(await findSalesforceCli({ env: s.env, installDirs: [] })).toBe(join(SF_STANDIN_DIR, SF_NAME));
  });

  it.skipIf(isWindows)('skips folders, non-executable files and relative PATH entries', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'a', 'sf'), { recursive: true });
    await mkdir(join(dir, 'b'));
    await writeFile(join(dir, 'b', 'sf'), '#!/bin/sh\n');
    const env = { PATH: ['bin', join(dir, 'a'), join(dir, 'b'), '', SF_STANDIN_DIR].join(delimiter) };
    expect(await findSalesforceCli({ env, installDirs: [] })).toBe(join(SF_STANDIN_DIR, 'sf'));
  });

  it('returns null when sf is nowhere', async () => {
    const empty = await tempDir();
    expect(await findSalesforceCli({ env: { PATH: empty }, installDirs: [] })).toBeNull();
    expect(await findSalesforceCli({ env: {}, installDirs: [] })).toBeNull();
  });

  it.skipIf(isWindows)('looks in the usual install places that the minimal PATH of a desktop app lacks', async () => {
    const home = await tempDir();
    await mkdir(join(home, '.volta', 'bin'), { recursive: true });
    const volta = await executable(join(home, '.volta', 'bin', 'sf'));
    const env = { PATH: '/usr/bin:/bin' };
    const homeDirs = cliInstallDirs('linux', home).filter((d) => d.startsWith(home));
    expect(homeDirs).toEqual([join(home, '.local/bin'), join(home, '.npm-global/bin'), join(home, '.volta/bin')]);
    expect(await findSalesforceCli({ env, homeDir: home, installDirs: homeDirs })).toBe(volta);
    // An earlier place wins.
    await mkdir(join(home, '.local', 'bin'), { recursive: true });
    const local = await executable(join(home, '.local', 'bin', 'sf'));
    expect(await findSalesforceCli({ env, homeDir: home, installDirs: homeDirs })).toBe(local);
    // With the default places, the system-wide ones come first: the home ones are found only without them.
    const systemSf = await findSalesforceCli({
      env: {},
      homeDir: home,
      installDirs: ['/usr/local/bin', '/usr/local/sf/bin', '/opt/homebrew/bin', '/usr/bin'],
    });
    expect(await findSalesforceCli({ env, homeDir: home })).toBe(systemSf ?? local);
  });

  it('knows the install places of each platform', () => {
    expect(cliInstallDirs('darwin', '/Users/me')).toEqual([
      '/usr/local/bin',
      '/usr/local/sf/bin',
      '/opt/homebrew/bin',
      '/Users/me/.local/bin',
      '/Users/me/.npm-global/bin',
      '/Users/me/.volta/bin',
      '/usr/bin',
    ]);
    expect(
      cliInstallDirs('win32', 'C:\\Users\\me', {
        APPDATA: 'C:\\Users\\me\\AppData\\Roaming',
        ProgramFiles: 'C:\\Program Files',
      }),
    ).toEqual(['C:\\Users\\me\\AppData\\Roaming\\npm', 'C:\\Program Files\\sf\\bin']);
    expect(cliInstallDirs('win32', 'C:\\Users\\me', {})).toEqual(['C:\\Users\\me\\AppData\\Roaming\\npm']);
  });

  it('reads Windows\' Path split at ";", case-insensitively named and unquoted, and skips relative entries', () => {
    expect(pathEntries({ Path: 'relative;"C:\\Program Files\\sf\\bin";C:\\nowhere; ' }, 'win32')).toEqual([
      'C:\\Program Files\\sf\\bin',
      'C:\\nowhere',
    ]);
    expect(pathEntries({ PATH: 'bin:/usr/local/bin:"/opt/sf bin":' }, 'linux')).toEqual([
      '/usr/local/bin',
      '/opt/sf bin',
    ]);
  });
});

describe('runSalesforceCli', () => {
  it('appends --json once, sets the JSON and no-update variables, and returns the result', async () => {
    const { sf, s } = await start();
    const result = (await runSalesforceCli(sf, ['org', 'list'], { env: s.env })) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(['devHubs', 'nonScratchOrgs', 'other', 'sandboxes', 'scratchOrgs']);
    await runSalesforceCli(sf, ['org', 'list', '--json'], { env: s.env });
    const calls = await s.invocations();
    expect(calls.map((c) => c.argv)).toEqual([
      ['org', 'list', '--json'],
      ['org', 'list', '--json'],
    ]);
    expect(calls[0]!.env).toEqual({
      SF_JSON_TO_STDOUT: 'true',
      SF_DISABLE_AUTOUPDATE: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    });
  });

  it('says to install the CLI when the executable does not exist', async () => {
    const dir = await tempDir();
    const e = await errorOf(runSalesforceCli(join(dir, 'sf'), ['org', 'list']));
    expect(e.code).toBe('cli/not_found');
    expect(e.message).toContain('https://developer.salesforce.com/tools/salesforcecli');
    expect(e.message).toMatch(/auth URL/);
  });

  it("maps the CLI's error JSON to cli/failed with its name and message", async () => {
    const { sf, s } = await start();
    const e = await errorOf(
      runSalesforceCli(sf, ['org', 'display', '--verbose', '-o', 'nobody@example.com'], { env: s.env }),
    );
    expect(e.code).toBe('cli/failed');
    expect(e.message).toBe(
      'sf org display failed with NamedOrgNotFoundError: No authorization information found for nobody@example.com.',
    );
  });

  it('reads the error JSON from stderr when the CLI prints it there', async () => {
    const { sf, s } = await start({ ignoreJsonToStdout: true });
    const e = await errorOf(runSalesforceCli(sf, ['org', 'display', '-o', 'nobody'], { env: s.env }));
    expect(e.code).toBe('cli/failed');
    expect(e.message).toContain('NamedOrgNotFoundError');
  });

  it("keeps a token in the CLI's error message out of the AppError", async () => {
    const { sf, s } = await start({
      failWith: {
        name: 'RefreshTokenAuthError',
        message: `Error authenticating with the refresh token ${PROD_REFRESH} (access token ${PROD_TOKEN}): expired access/refresh token`,
        exitCode: 1,
        actions: ['Run "sf org login web" to sign in again.'],
      },
    });
    const e = await errorOf(runSalesforceCli(sf, ['org', 'list'], { env: s.env }));
    expect(e.code).toBe('cli/failed');
    expect(e.message).toContain('RefreshTokenAuthError');
    expect(e.message).toContain('[redacted]');
    expect(e.message).toContain('sf org login web');
    expect(errorText(e)).not.toContain(PROD_REFRESH);
    expect(errorText(e)).not.toContain(PROD_TOKEN);
    expect(errorText(e)).not.toContain('00D5g000004AbCdEAB!');
  });

  it('says the CLI may be too old when it prints no JSON, without repeating what it printed', async () => {
    const { sf, s } = await start({ printNonJson: true });
    const e = await errorOf(runSalesforceCli(sf, ['org', 'display', '--verbose', '-o', 'prod'], { env: s.env }));
    expect(e.code).toBe('cli/bad_output');
    expect(e.message).toContain('sf update');
    expectNoSecret(errorText(e));
  });

  it('stops a CLI that prints more than maxBytes', async () => {
    const { sf, s } = await start();
    const e = await errorOf(runSalesforceCli(sf, ['org', 'list'], { env: s.env, maxBytes: 1000 }));
    expect(e.code).toBe('cli/bad_output');
    expect(e.message).toContain('1000 bytes');
    expectNoSecret(errorText(e));
  });

  it('kills a CLI that does not finish in time', async () => {
    const { sf, s } = await start({ delayMs: 10_000 });
    const started = Date.now();
    const e = await errorOf(runSalesforceCli(sf, ['org', 'list'], { env: s.env, timeoutMs: 1500 }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(e.code).toBe('cli/timeout');
    expect(e.message).toContain('sf org list');
    expect(e.message).toContain('1.5 seconds');
    expect(e.message).toMatch(/terminal/);
    // Normally it has logged its pid by then; on a very busy machine it may have been killed before.
    for (const call of await s.invocations()) expect(await waitUntilDead(call.pid)).toBe(true);
  });

  it.skipIf(isWindows)('also kills what a wrapper script started (the real sf is a shell script)', async () => {
    const { s } = await start({ delayMs: 10_000 });
    const dir = await tempDir();
    // Not `exec`: the shell stays the parent of node, like the bin/sf script of the CLI's installers.
    const wrapper = await executable(
      join(dir, 'sf'),
      `#!/bin/sh\n"${process.execPath}" "${join(SF_STANDIN_DIR, 'sf')}" "$@"\necho finished\n`,
    );
    const e = await errorOf(runSalesforceCli(wrapper, ['org', 'list'], { env: s.env, timeoutMs: 1500 }));
    expect(e.code).toBe('cli/timeout');
    // Normally it has logged its pid by then; on a very busy machine it may have been killed before.
    for (const call of await s.invocations()) expect(await waitUntilDead(call.pid)).toBe(true);
  });

  it('kills the CLI and says "Cancelled." when aborted', async () => {
    const { sf, s } = await start({ delayMs: 10_000 });
    const controller = new AbortController();
    const pending = runSalesforceCli(sf, ['org', 'list'], { env: s.env, signal: controller.signal });
    await waitFor(async () => (await s.calls()).length === 1);
    controller.abort();
    const e = await errorOf(pending);
    expect(e.code).toBe('oauth/cancelled');
    expect(e.message).toBe('Cancelled.');
    const [call] = await s.invocations();
    expect(await waitUntilDead(call!.pid)).toBe(true);
  });

  it('does not start the CLI when already aborted', async () => {
    const { sf, s } = await start();
    const e = await errorOf(runSalesforceCli(sf, ['org', 'list'], { env: s.env, signal: AbortSignal.abort() }));
    expect(e.code).toBe('oauth/cancelled');
    expect(await s.calls()).toEqual([]);
  });

  it('refuses arguments that cmd.exe would interpret when sf is a .cmd on Windows', async () => {
    for (const arg of ['my org', 'a&calc', '%PATH%', 'x"y', 'a|b', '^']) {
      const e = await errorOf(
        runSalesforceCli('C:\\Program Files\\sf\\bin\\sf.cmd', ['org', 'display', '-o', arg], { platform: 'win32' }),
      );
      expect(e.code).toBe('cli/failed');
      expect(e.message).toContain('cmd.exe');
    }
  });
});

describe('listCliOrgs', () => {
  it('lists the orgs with their kind, default first, deduplicated, without any token', async () => {
    const { sf, s } = await start();
    const orgs = await listCliOrgs(sf, { env: s.env });
    expect(await s.calls()).toEqual([['org', 'list', '--skip-connection-status', '--json']]);
    expectNoSecret(orgs);
    expect(orgs.map((o) => [o.alias ?? o.username, o.kind, o.isDefault])).toEqual([
      ['prod', 'production', true],
      ['admin@partner.example', 'other', false],
      ['feature', 'scratch', false],
      ['hub', 'devhub', false],
      ['uat', 'sandbox', false],
    ]);
    expect(orgs[0]).toEqual<CliOrg>({
      username: 'zoe@acme.com',
      alias: 'prod',
      orgId: '00D5g000004AbCdEAB',
      instanceUrl: 'https://acme.my.salesforce.com',
      loginUrl: 'https://login.salesforce.com',
      kind: 'production',
      connectedStatus: null,
      isExpired: false,
      expirationDate: null,
      isDefault: true,
    });
    expect(orgs.find((o) => o.kind === 'scratch')).toMatchObject({
      expirationDate: '2099-01-01',
      connectedStatus: 'Active',
      isExpired: false,
    });
  });

  it('reads the older result shapes the same way', async () => {
    const { sf, s } = await start();
    const current = await listCliOrgs(sf, { env: s.env });
    await s.update({ orgs: ORGS, listShape: 'legacy' });
    expect(await listCliOrgs(sf, { env: s.env })).toEqual(current);
    await s.update({ orgs: ORGS, listShape: 'regularOrgs' });
    expect(await listCliOrgs(sf, { env: s.env })).toEqual(current);
  });
});

describe('parseOrgList', () => {
  const entry = (username: string, extra: Record<string, unknown> = {}) => ({
    username,
    orgId: '00D000000000009AAA',
    accessToken: PROD_TOKEN,
    instanceUrl: 'https://x.my.salesforce.com',
    ...extra,
  });

  it('keeps the first entry seen for a username and skips entries without one', () => {
    const orgs = parseOrgList({
      nonScratchOrgs: [entry('a@x.com', { alias: 'first', isSandbox: true }), { alias: 'nameless' }, null, 42],
      scratchOrgs: [],
      sandboxes: [entry('a@x.com', { alias: 'second', isSandbox: true })],
      other: [entry('b@x.com', { alias: 'B', defaultMarker: '(D),(U)' })],
    });
    expect(orgs.map((o) => [o.username, o.alias, o.kind, o.isDefault])).toEqual([
      ['b@x.com', 'B', 'production', true],
      ['a@x.com', 'first', 'sandbox', false],
    ]);
    expectNoSecret(orgs);
  });

  it('tells kinds from the flags and, failing those, from the hosts', () => {
    const kinds = parseOrgList({
      nonScratchOrgs: [
        entry('1', { instanceUrl: 'https://acme--dev.sandbox.my.salesforce.com' }),
        entry('2', { instanceUrl: 'https://acme.my.salesforce.com', loginUrl: 'https://test.salesforce.com' }),
        entry('3', { isScratch: true }),
        entry('4', { isDevHub: true, isSandbox: true }),
        entry('5', { instanceUrl: 'https://na1.salesforce.com', loginUrl: 'https://login.salesforce.com' }),
        entry('6', { instanceUrl: 'https://me.develop.my.salesforce.com' }),
        entry('7', { instanceUrl: 'not a url', loginUrl: null }),
      ],
      scratchOrgs: [entry('8', { isExpired: true, expirationDate: '2020-01-01', status: 'Expired' })],
    });
    expect(Object.fromEntries(kinds.map((o) => [o.username, o.kind]))).toEqual({
      '1': 'sandbox',
      '2': 'sandbox',
      '3': 'scratch',
      '4': 'devhub',
      '5': 'production',
      '6': 'production',
      '7': 'other',
      '8': 'scratch',
    });
    expect(kinds.find((o) => o.username === '8')).toMatchObject({ isExpired: true, connectedStatus: 'Expired' });
  });

  it('rejects a result that is not an org list', () => {
    for (const bad of [null, [], 'x', { nonScratchOrgs: [] }, { nonScratchOrgs: {}, scratchOrgs: [] }]) {
      expect(() => parseOrgList(bad)).toThrow(expect.objectContaining({ code: 'cli/bad_output' }));
    }
  });
});

describe('displayCliOrg', () => {
  it("gives an org's access token, instance URL and auth URL", async () => {
    const { sf, s } = await start();
    const detail = await displayCliOrg(sf, 'zoe@acme.com', { env: s.env });
    expect(detail).toEqual({
      username: 'zoe@acme.com',
      alias: 'prod',
      orgId: '00D5g000004AbCdEAB',
      instanceUrl: 'https://acme.my.salesforce.com',
      clientId: 'PlatformCLI',
      accessToken: PROD_TOKEN,
      sfdxAuthUrl: `force://PlatformCLI::${PROD_REFRESH}@acme.my.salesforce.com`,
      isScratch: false,
    });
    expect(await s.calls()).toEqual([['org', 'display', '--verbose', '-o', 'zoe@acme.com', '--json']]);
  });

  it('has no auth URL for an org authorized with an access token only, and knows scratch orgs', async () => {
    const { sf, s } = await start();
    expect(await displayCliOrg(sf, 'qa@acme.com.uat', { env: s.env })).toMatchObject({
      accessToken: SANDBOX_TOKEN,
      sfdxAuthUrl: null,
      isScratch: false,
    });
    expect(await displayCliOrg(sf, 'test-abc@example.com', { env: s.env })).toMatchObject({
      isScratch: true,
      sfdxAuthUrl: expect.stringMatching(/^force:\/\//),
    });
  });

  it('asks "sf org auth show-…" when the CLI redacts the secrets in org display', async () => {
    const { sf, s } = await start({ redactSecrets: true });
    const detail = await displayCliOrg(sf, 'prod', { env: s.env });
    expect(detail.accessToken).toBe(PROD_TOKEN);
    expect(detail.sfdxAuthUrl).toBe(`force://PlatformCLI::${PROD_REFRESH}@acme.my.salesforce.com`);
    expect(await s.calls()).toEqual([
      ['org', 'display', '--verbose', '-o', 'prod', '--json'],
      ['org', 'auth', 'show-access-token', '-o', 'prod', '--json'],
      ['org', 'auth', 'show-sfdx-auth-url', '-o', 'prod', '--json'],
    ]);
    // No refresh token: no auth URL to ask for.
    const sandbox = await displayCliOrg(sf, 'uat', { env: s.env });
    expect(sandbox).toMatchObject({ accessToken: SANDBOX_TOKEN, sfdxAuthUrl: null });
    expect((await s.calls()).length).toBe(5);
  });

  it('fails with the CLI message for an org it does not know', async () => {
    const { sf, s } = await start();
    const e = await errorOf(displayCliOrg(sf, 'ghost@example.com', { env: s.env }));
    expect(e.code).toBe('cli/failed');
    expect(e.message).toContain('No authorization information found for ghost@example.com.');
  });
});

describe('parseOrgDisplay', () => {
  const display = {
    id: '00D5g000004AbCdEAB',
    apiVersion: '62.0',
    accessToken: PROD_TOKEN,
    instanceUrl: 'https://acme.my.salesforce.com',
    username: 'zoe@acme.com',
    clientId: 'PlatformCLI',
    connectedStatus: 'Connected',
  };

  it('reads an org without alias, client id or auth URL', () => {
    expect(parseOrgDisplay({ ...display, clientId: undefined })).toEqual({
      username: 'zoe@acme.com',
      alias: null,
      orgId: '00D5g000004AbCdEAB',
      instanceUrl: 'https://acme.my.salesforce.com',
      clientId: null,
      accessToken: PROD_TOKEN,
      sfdxAuthUrl: null,
      isScratch: false,
    });
  });

  it('rejects bad shapes, unsafe instance URLs and redacted tokens without quoting them', () => {
    for (const bad of [
      null,
      { ...display, accessToken: '' },
      { ...display, username: undefined },
      { ...display, instanceUrl: 'acme.my.salesforce.com' },
      { ...display, instanceUrl: 'http://acme.my.salesforce.com' },
      { ...display, accessToken: "[REDACTED] Use 'sf org auth show-access-token' to view" },
    ]) {
      let caught: unknown;
      try {
        parseOrgDisplay(bad);
      } catch (e) {
        caught = e;
      }
      expect(caught).toMatchObject({ code: 'cli/bad_output' });
      expect(errorText(caught)).not.toContain(PROD_TOKEN);
    }
  });
});
