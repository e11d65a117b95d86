/** Story: a developer adds an org as the app's integration user (client credentials), no browser involved. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER, startSalesforceDouble, type SalesforceDouble } from '../servers/salesforce-double';
import { testHandlers, type TestServices } from '../support/test-services';
import { startHarness, type AppPage, type Harness } from './harness';

describe('client credentials from the wizard', () => {
  let harness: Harness;
  let double: SalesforceDouble;
  let services: TestServices;
  let app: AppPage;

  beforeAll(async () => {
    harness = await startHarness();
    double = await startSalesforceDouble({
      apps: [
        {
          clientId: '3MVG9cc.integration',
          clientSecret: 'cc-secret',
          callbackUrls: [],
          clientCredentialsUser: DEFAULT_USER.username,
        },
      ],
    });
    services = await testHandlers();
    await services.handlers.saveAppProfile({
      name: 'Integration app',
      kind: 'external-client-app',
      consumerKey: '3MVG9cc.integration',
      consumerSecret: 'cc-secret',
      callbackUrl: 'http://localhost:1717/OauthRedirect',
      scopes: ['api'],
    });
    app = await harness.open(services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    await double?.close();
    await harness?.close();
  });

  it('gets a token at the My Domain and shows the org, without opening a browser', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Add your first org' }).click();
    await page.getByLabel('Client credentials').check();
    await expect.poll(() => page.getByText("only at the org's My Domain").isVisible()).toBe(true);
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill(double.orgs[0]!.myDomainUrl);
    await page.getByLabel('Label').fill('Integration user');
    await page.getByRole('button', { name: 'Get a token' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Integration user' }).isVisible()).toBe(true);
    expect(
      await page.getByRole('table', { name: 'Tokens of this org' }).locator('tr[data-kind="access"]').count(),
    ).toBe(1);
    expect(services.opened).toEqual([]);
    expect(app.problems).toEqual([]);
  });
});
