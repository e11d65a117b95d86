/**
 * Import from the Salesforce CLI: a stand-in `sf` that prints the CLI's real JSON shapes lists the orgs it
 * is signed in to (with real tokens from the Salesforce double), and the chosen ones arrive with their
 * aliases, their access token and their refresh token. Also: a pasted auth URL, no `sf`, a stale token,
 * a failing org, and Cancel.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ORG_ID, DEFAULT_USER } from '../servers/salesforce-double';
import { failureOf } from '../support/failure';
import { installSfStandin, type SfStandin, type StandinOrg, type StandinState } from '../support/sf-standin';
import { cliOrgsFor, startWorld, type World } from '../support/sign-in';
import { testHandlers, type TestServices } from '../support/test-services';

const SECOND = { ...DEFAULT_USER, userId: '0055g00000XyZzYAAV', username: 'dev@acme.example', displayName: 'Dev' };

let world: World;
let standin: SfStandin | null = null;
let services: TestServices | null = null;
/** What the CLI holds for each user: the tokens a web sign-in gave. */
let cliOrgs: StandinOrg[];

beforeEach(async () => {
  world = await startWorld({
    double: { orgs: [{ orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [DEFAULT_USER, SECOND] }] },
  });
  cliOrgs = await cliOrgsFor(world, [
    [DEFAULT_USER, 'acme-prod'],
    [SECOND, 'acme-dev'],
  ]);
});
afterEach(async () => {
  await services?.close();
  await standin?.cleanup();
  await world?.close();
  services = standin = null;
});

async function cli(orgs: StandinOrg[], extra: Omit<StandinState, 'orgs'> = {}): Promise<TestServices> {
  standin = await installSfStandin({ orgs, ...extra });
  services = await testHandlers({ cli: { env: standin.env } });
  return services;
}

describe('import from the Salesforce CLI', () => {
  it('lists the CLI orgs without any token, default first', async () => {
    const { handlers } = await cli(cliOrgs);
    const list = await handlers.listCliOrgs({});
    expect(list.sfPath).toMatch(/sf$/);
    expect(list.orgs.map((o) => [o.alias, o.username, o.isDefault, o.knownAs])).toEqual([
      ['acme-prod', DEFAULT_USER.username, true, null],
      ['acme-dev', SECOND.username, false, null],
    ]);
    const text = JSON.stringify(list);
    for (const org of cliOrgs) {
      expect(text).not.toContain(org.accessToken);
      expect(text).not.toContain(org.sfdxAuthUrl!.split('@')[0]!.split(':').pop()!);
    }
    expect((await standin!.calls())[0]).toEqual(['org', 'list', '--skip-connection-status', '--json']);
  });

  it("imports the chosen orgs with their aliases and the CLI's tokens, without spending a refresh", async () => {
    const { handlers, vault } = await cli(cliOrgs);
    const grantsBefore = world.double.refreshGrants();
    const report = await handlers.importCliOrgs({ usernames: [DEFAULT_USER.username, SECOND.username] });
    expect(report.failed).toEqual([]);
    expect(report.imported.map((o) => [o.label, o.username, o.grant])).toEqual([
      ['acme-prod', DEFAULT_USER.username, 'authorization_code'],
      ['acme-dev', SECOND.username, 'authorization_code'],
    ]);
    expect(world.double.refreshGrants()).toBe(grantsBefore);
    const imported = report.imported[0]!;
    expect(await vault.readToken(imported.id, 'access')).toBe(cliOrgs[0]!.accessToken);
    expect(imported.tokens.map((t) => t.kind).sort()).toEqual(['access', 'refresh']);
    expect(vault.listProfiles()).toHaveLength(1);
    // Every operation works on an imported org; the CLI's own copy keeps working too (no rotation).
    expect(await handlers.testToken({ id: imported.id })).toMatchObject({ ok: true });
    expect(await handlers.refreshOrg({ id: imported.id })).toMatchObject({ status: 'connected' });
    expect(world.double.isTokenActive(cliOrgs[0]!.accessToken)).toBe(true);
    // Listed again, the CLI orgs say which org of the app they are.
    const again = await handlers.listCliOrgs({});
    expect(again.orgs.map((o) => o.knownAs)).toEqual(report.imported.map((o) => o.id));
    // The current CLI redacts both secrets in org display: the app asks the commands it points to.
    expect((await standin!.calls()).filter((c) => c[1] !== 'list')).toEqual(
      [DEFAULT_USER.username, SECOND.username].flatMap((u) => [
        ['org', 'display', '--verbose', '-o', u, '--json'],
        ['org', 'auth', 'show-access-token', '-o', u, '--json'],
        ['org', 'auth', 'show-sfdx-auth-url', '-o', u, '--json'],
      ]),
    );
    // The history says where the org came from, and a revocation says what the CLI, sharing the tokens, keeps.
    expect((await handlers.getOrgHistory({ id: imported.id })).at(-1)).toMatchObject({
      kind: 'imported',
      detail: 'from the Salesforce CLI',
    });
    const revoked = await handlers.revokeToken({ id: imported.id, kind: 'access' });
    expect(revoked.summary).toContain('The Salesforce CLI holds the same tokens');
  });

  it('imports from a CLI from before the redaction, which prints both secrets in org display', async () => {
    const { handlers, vault } = await cli(cliOrgs, { secrets: 'shown' });
    const { imported, failed } = await handlers.importCliOrgs({ usernames: [DEFAULT_USER.username] });
    expect(failed).toEqual([]);
    expect(await vault.readToken(imported[0]!.id, 'access')).toBe(cliOrgs[0]!.accessToken);
    expect(imported[0]!.tokens.map((t) => t.kind).sort()).toEqual(['access', 'refresh']);
    expect(await standin!.calls()).toEqual([['org', 'display', '--verbose', '-o', DEFAULT_USER.username, '--json']]);
  });

  it("uses the refresh token when the CLI's access token has expired", async () => {
    const { handlers } = await cli(cliOrgs);
    world.double.advance(3 * 3600_000);
    const grantsBefore = world.double.refreshGrants();
    const { imported } = await handlers.importCliOrgs({ usernames: [DEFAULT_USER.username] });
    expect(imported[0]).toMatchObject({ label: 'acme-prod', status: 'connected' });
    expect(world.double.refreshGrants()).toBe(grantsBefore + 1);
  });

  it('imports an org the CLI holds only an access token for, and reports an org it does not know', async () => {
    const { sfdxAuthUrl: _dropped, ...accessOnly } = cliOrgs[1]!;
    // `sf org login access-token` keeps the trailing `/` the user typed in the instance URL.
    const { handlers } = await cli([cliOrgs[0]!, { ...accessOnly, instanceUrl: `${accessOnly.instanceUrl}/` }]);
    const report = await handlers.importCliOrgs({ usernames: [SECOND.username, 'gone@acme.example'] });
    expect(report.imported.map((o) => [o.label, o.grant, o.tokens.map((t) => t.kind)])).toEqual([
      ['acme-dev', 'pasted', ['access']],
    ]);
    // The CLI keeps no client for an access token: the app does not guess one (no PlatformCLI profile).
    expect(report.imported[0]!.profileId).toBeNull();
    expect(report.imported[0]!.instanceUrl).toBe(world.double.orgs[0]!.myDomainUrl);
    // Its token works; what needs its app says the app is not known.
    expect(await handlers.testToken({ id: report.imported[0]!.id })).toMatchObject({ ok: true });
    expect(await failureOf(handlers.introspectToken({ id: report.imported[0]!.id, kind: 'access' }))).toMatchObject({
      code: 'profile/not_found',
      message: expect.stringMatching(/app this org’s access token was issued to is not known/),
    });
    expect(services!.vault.listProfiles()).toEqual([]);
    expect(report.failed).toEqual([
      { username: 'gone@acme.example', message: expect.stringMatching(/NamedOrgNotFoundError/) },
    ]);
  });

  it('says how to get the CLI when sf is not installed, and stops a slow CLI on Cancel', async () => {
    services = await testHandlers({ cli: { env: { PATH: '' } } });
    expect(await failureOf(services.handlers.listCliOrgs({}))).toMatchObject({
      code: 'cli/not_found',
      message: expect.stringMatching(/developer\.salesforce\.com\/tools\/salesforcecli.*paste an SFDX auth URL/),
    });
    await services.close();

    const { handlers } = await cli(cliOrgs, { delayMs: 20_000 });
    const started = Date.now();
    const listing = handlers.listCliOrgs({ flowId: 'cli-list-1' });
    await expect.poll(async () => (await standin!.calls()).length).toBe(1);
    await handlers.cancelSignIn({ flowId: 'cli-list-1' });
    expect(await failureOf(listing)).toMatchObject({ code: 'oauth/cancelled' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('a pasted SFDX auth URL', () => {
  it('adopts the org with a refresh, and refuses what is not an auth URL', async () => {
    services = await testHandlers();
    const org = await services.handlers.importSfdxAuthUrl({ url: cliOrgs[0]!.sfdxAuthUrl!, label: 'From the URL' });
    expect(org).toMatchObject({ label: 'From the URL', username: DEFAULT_USER.username });
    expect(
      await failureOf(services.handlers.importSfdxAuthUrl({ url: 'https://acme.my.salesforce.com' })),
    ).toMatchObject({
      code: 'import/invalid',
      message: expect.stringMatching(/force:\/\/<client id>/),
    });
  });
});
