/** Story: an admin registers a new app with an initial access token and signs in with it, all from the wizard. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followCallback, freePort, loginAtSalesforceDouble } from '../servers/browser-login';
import { DEFAULT_USER, startSalesforceDouble, type SalesforceDouble } from '../servers/salesforce-double';
import { testHandlers, type TestServices } from '../support/test-services';
import { startHarness, type AppPage, type Harness } from './harness';

describe('register an app and sign in with it', () => {
  let harness: Harness;
  let double: SalesforceDouble;
  let services: TestServices;
  let app: AppPage;

  beforeAll(async () => {
    harness = await startHarness();
    double = await startSalesforceDouble({ initialAccessToken: 'iat-from-setup' });
    services = await testHandlers();
    services.onOpen = (url) => {
      void (async () => {
        const { callbackUrl } = await loginAtSalesforceDouble(url, {
          username: DEFAULT_USER.username,
          password: DEFAULT_USER.password,
        });
        await followCallback(callbackUrl);
      })();
    };
    app = await harness.open(services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    await double?.close();
    await harness?.close();
  });

  it('registers the client, stores its secret, and the new org appears', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Add your first org' }).click();
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill(double.loginUrl);
    await page.getByLabel('App profile').selectOption('register');
    await page.getByLabel('Initial access token', { exact: true }).fill('iat-from-setup');
    await page.getByLabel('Name', { exact: true }).fill('Registered from the wizard');
    await page.getByLabel('Callback URL', { exact: true }).fill(`http://localhost:${await freePort()}/OauthRedirect`);
    await page.getByRole('button', { name: 'Sign in with browser' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: 'Tokens of this org' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    const profiles = await services.handlers.listAppProfiles(undefined);
    expect(profiles).toEqual([expect.objectContaining({ name: 'Registered from the wizard', hasSecret: true })]);
    expect(app.problems).toEqual([]);
  });
});
