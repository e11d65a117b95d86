/**
 * Story: a consultant on a remote desktop cannot receive a loopback callback, so they add the org with the
 * device flow: the app shows the code large, copies it, opens the verification page, and files the org
 * once the code is approved, which a second "person" does over real HTTP at the Salesforce double.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveDeviceAtSalesforceDouble } from '../servers/browser-login';
import { DEFAULT_USER } from '../servers/salesforce-double';
import { startWorld, type World } from '../support/sign-in';
import { startHarness, type AppPage, type Harness } from './harness';

describe('device flow from the wizard', () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld({ app: { deviceFlow: true }, double: { deviceInterval: 1 } });
    app = await harness.open(world.services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  async function getCode(): Promise<string> {
    const page = app.page;
    await page.getByRole('button', { name: '+ Add org' }).click();
    await page.getByLabel('Device code').check();
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill(world.double.loginUrl);
    await page.getByRole('button', { name: 'Get a code' }).click();
    await page.getByText('Enter this code at Salesforce').waitFor();
    return (await page.locator('.code').innerText()).trim();
  }

  it('shows the code, copies it, opens the verification page and signs in once it is approved', async () => {
    const page = app.page;
    const code = await getCode();
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    expect(await page.getByRole('status').first().innerText()).toContain(`${world.double.loginUrl}/setup/connect`);

    await page.getByRole('button', { name: 'Copy code' }).click();
    expect(world.services.clipboard).toContain(code);
    await page.getByRole('button', { name: 'Open the verification page' }).click();
    await expect.poll(() => world.services.opened).toContain(`${world.double.loginUrl}/setup/connect`);

    await approveDeviceAtSalesforceDouble(`${world.double.loginUrl}/setup/connect`, code, {
      username: DEFAULT_USER.username,
      password: DEFAULT_USER.password,
    });
    await expect
      .poll(() => page.getByRole('status').allInnerTexts(), { timeout: 15_000 })
      .toContainEqual(expect.stringMatching(/Signed in to .* as admin@acme\.example with the device code/));
    const table = page.getByRole('table', { name: 'Tokens of this org' });
    expect(await table.locator('tr[data-kind="refresh"]').count()).toBe(1);
    expect(await page.locator('dl.facts').innerText()).toMatch(/Device code/);
  });

  it('stops polling on Cancel and goes back to the form', async () => {
    const page = app.page;
    await getCode();
    const polls = world.double.devicePolls();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Get a code' }).waitFor();
    await new Promise((r) => setTimeout(r, 2_500));
    // At most the poll already on its way when Cancel was pressed.
    expect(world.double.devicePolls() - polls).toBeLessThanOrEqual(1);
    expect(app.problems).toEqual([]);
  });
});
