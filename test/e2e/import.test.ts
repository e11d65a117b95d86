/** Story: a consultant pastes a Salesforce CLI auth URL and gets the org with its tokens. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startWorld, type World } from '../support/sign-in';
import { testHandlers, type TestServices } from '../support/test-services';
import { startHarness, type AppPage, type Harness } from './harness';

describe('import an org from a Salesforce CLI auth URL', () => {
  let harness: Harness;
  let world: World;
  let services: TestServices;
  let app: AppPage;
  let authUrl: string;

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld();
    const org = await signIn(world);
    const refresh = (await world.services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
    authUrl = `force://${world.profile.consumerKey}::${refresh}@${new URL(world.double.loginUrl).host}`;
    services = await testHandlers();
    app = await harness.open(services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    await world?.close();
    await harness?.close();
  });

  it('pastes the auth URL and shows the org with its tokens', async () => {
    const page = app.page;
    await page.getByRole('button', { name: '+ Add org' }).click();
    await page.getByLabel('SFDX auth URL').check();
    const form = page.getByRole('form', { name: 'SFDX auth URL' });
    await form.getByLabel('SFDX auth URL').fill(authUrl);
    await form.getByRole('button', { name: 'Import' }).click();
    await expect
      .poll(() => page.getByRole('status').allInnerTexts())
      .toContainEqual(expect.stringMatching(/Imported Acme \(admin@acme\.example\) from the Salesforce CLI auth URL/));
    const table = page.getByRole('table', { name: 'Tokens of this org' });
    await expect.poll(() => table.locator('tr[data-kind="refresh"]').count()).toBe(1);
    expect(await page.locator('body').innerText()).not.toContain(authUrl.split('::')[1]!.split('@')[0]!);
    expect(app.problems).toEqual([]);
  });

  it('says what an auth URL looks like when the text is not one', async () => {
    const page = app.page;
    await page.getByRole('button', { name: '+ Add org' }).click();
    await page.getByLabel('SFDX auth URL').check();
    const form = page.getByRole('form', { name: 'SFDX auth URL' });
    await form.getByLabel('SFDX auth URL').fill('not an auth url');
    await form.getByRole('button', { name: 'Import' }).click();
    await expect
      .poll(() => page.getByRole('alert').allInnerTexts())
      .toContainEqual(expect.stringMatching(/force:\/\/<client id>/));
  });
});
