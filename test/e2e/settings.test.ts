/** Story: the user picks a theme and the defaults new app profiles start with; both stick. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHandlers, type TestServices } from '../support/test-services';
import { startHarness, type AppPage, type Harness } from './harness';

describe('settings', () => {
  let harness: Harness;
  let services: TestServices;
  let app: AppPage;
  beforeAll(async () => {
    harness = await startHarness();
    services = await testHandlers();
    app = await harness.open(services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    await harness?.close();
  });

  it('switches the theme, overriding the system', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Dark').check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(15, 19, 24)');
    await page.getByLabel('Follow the system').check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBeUndefined();
    expect(services.vault.settings.theme).toBe('system');
  });

  it('refuses a callback URL a desktop app cannot receive, and saves a good one', async () => {
    const page = app.page;
    const field = page.getByLabel('Callback URL');
    await field.fill('https://example.com/callback');
    await page.getByRole('button', { name: 'Save defaults' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/must be http:\/\/localhost/);
    await field.fill('http://localhost:1718/OauthRedirect');
    await page.getByLabel('Scopes').fill('api refresh_token openid');
    await page.getByRole('button', { name: 'Save defaults' }).click();
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    expect(services.vault.settings).toMatchObject({
      defaultCallbackUrl: 'http://localhost:1718/OauthRedirect',
      defaultScopes: ['api', 'refresh_token', 'openid'],
    });

    await page.getByRole('button', { name: '+ Add org' }).click();
    expect(await page.getByLabel('Callback URL').inputValue()).toBe('http://localhost:1718/OauthRedirect');
    expect(await page.getByLabel('Scopes').inputValue()).toBe('api refresh_token openid');
    expect(app.problems).toEqual([]);
  });
});
