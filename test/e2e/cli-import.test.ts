/**
 * Story: a consultant whose Salesforce CLI is signed in to several orgs imports two of them. The app runs
 * a stand-in `sf` that prints the current CLI's real JSON (secrets redacted in org display, printed by
 * `sf org auth show-…`) with real tokens from the Salesforce double; the orgs arrive with their aliases as
 * labels and their tokens, and no token ever reaches the window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ORG_ID, DEFAULT_USER } from '../servers/salesforce-double';
import { installSfStandin, type SfStandin } from '../support/sf-standin';
import { cliOrgsFor, startWorld, type World } from '../support/sign-in';
import { testHandlers, type TestServices } from '../support/test-services';
import { startHarness, type AppPage, type Harness } from './harness';

const DEV = { ...DEFAULT_USER, userId: '0055g00000XyZzYAAV', username: 'dev@acme.example', displayName: 'Dev' };

describe('import orgs from the Salesforce CLI', () => {
  let harness: Harness;
  let world: World;
  let standin: SfStandin;
  let services: TestServices;
  let app: AppPage;
  const secrets: string[] = [];

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld({
      double: { orgs: [{ orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [DEFAULT_USER, DEV] }] },
    });
    const orgs = await cliOrgsFor(world, [
      [DEFAULT_USER, 'acme-prod'],
      [DEV, 'acme-dev'],
    ]);
    orgs[0]!.isDevHub = true;
    secrets.push(...orgs.flatMap((o) => [o.accessToken, o.sfdxAuthUrl!.split('@')[0]!.split(':').pop()!]));
    standin = await installSfStandin({ orgs });
    services = await testHandlers({ cli: { env: standin.env } });
    app = await harness.open(services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    await standin?.cleanup();
    await world?.close();
    await harness?.close();
  });

  it('lists the CLI orgs, imports the chosen ones with their aliases, and shows them', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Add your first org' }).click();
    await page.getByLabel('Salesforce CLI').check();
    const table = page.getByRole('table', { name: 'Orgs of the Salesforce CLI' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    expect(await table.innerText()).toMatch(/acme-prod\s+default[\s\S]*Dev Hub/);

    await page.getByRole('checkbox', { name: 'Choose all orgs' }).check();
    await page.getByRole('button', { name: 'Import 2 orgs' }).click();
    // Three sf processes an org (org display, then the two show commands the current CLI points to).
    await expect
      .poll(() => page.getByRole('status').allInnerTexts(), { timeout: 20_000 })
      .toContainEqual(expect.stringMatching(/Imported 2 of 2 orgs from the Salesforce CLI/));
    await page.getByRole('heading', { name: 'acme-prod' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Org list' });
    expect(await nav.innerText()).toMatch(/acme-prod[\s\S]*acme-dev|acme-dev[\s\S]*acme-prod/);
    const tokens = page.getByRole('table', { name: 'Tokens of this org' });
    expect(await tokens.locator('tr[data-kind="refresh"]').count()).toBe(1);
    // The secrets came from the commands the current CLI points to.
    const asked = (await standin.calls()).map((c) => c.slice(0, 3).join(' '));
    expect(asked.filter((c) => c.startsWith('org auth'))).toEqual([
      'org auth show-access-token',
      'org auth show-sfdx-auth-url',
      'org auth show-access-token',
      'org auth show-sfdx-auth-url',
    ]);

    // The CLI's tokens never reached the window.
    const text = await page.locator('body').innerText();
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(app.calls).toEqual(expect.arrayContaining(['listCliOrgs', 'importCliOrgs']));
    expect(app.problems).toEqual([]);
  });

  it('says so, with the fix, when the CLI is not installed', async () => {
    const bare = await testHandlers({ cli: { env: { PATH: '' } } });
    const other = await harness.open(bare.handlers);
    try {
      await other.page.getByRole('button', { name: 'Add your first org' }).click();
      await other.page.getByLabel('Salesforce CLI').check();
      await expect
        .poll(() => other.page.getByRole('alert').allInnerTexts())
        .toContainEqual(expect.stringMatching(/Salesforce CLI \(sf\) was not found.*paste an SFDX auth URL/));
    } finally {
      await other.close();
      await bare.close();
    }
  });
});
