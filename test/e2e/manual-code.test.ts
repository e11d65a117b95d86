/**
 * Story: an app's callback URL is Salesforce's own success page (not on this computer). The consultant signs
 * in with the browser: the login page opens, they press Allow and land on
 * `https://login.salesforce.com/services/oauth2/success?code=…` (answered by Chromium's request routing, so
 * nothing leaves the machine), paste that address into the app, and the org appears. A paste from another
 * attempt is refused next to the field, which keeps focus, and the sign-in keeps waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER } from '../servers/salesforce-double';
import { startWorld, type World } from '../support/sign-in';
import { startHarness, type AppPage, type Harness } from './harness';

const SUCCESS_PAGE = 'https://login.salesforce.com/services/oauth2/success';

describe('a code by hand', () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;
  /** The addresses the browser landed on, as its address bar shows them. */
  const landed: string[] = [];

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld({ scopes: ['api', 'refresh_token'] });
    world.double.apps[0]!.callbackUrls.push(SUCCESS_PAGE);
    await world.services.handlers.saveAppProfile({
      id: world.profile.id,
      name: world.profile.name,
      kind: world.profile.kind,
      consumerKey: world.profile.consumerKey,
      callbackUrl: SUCCESS_PAGE,
      scopes: ['api', 'refresh_token'],
    });
    app = await harness.open(world.services.handlers);
    // The system browser: a person logs in and presses Allow; Salesforce's success page is a stand-in here.
    world.services.onOpen = (url) => {
      void (async () => {
        const page = await app.context.newPage();
        await page.route('https://login.salesforce.com/**', (route) =>
          route.fulfill({ status: 200, contentType: 'text/html', body: '<!DOCTYPE html><title>Success</title>' }),
        );
        await page.goto(url);
        await page.getByLabel('Username').fill(DEFAULT_USER.username);
        await page.getByLabel('Password').fill(DEFAULT_USER.password);
        await page.getByRole('button', { name: 'Allow' }).click();
        await page.waitForURL((u) => u.href.startsWith(SUCCESS_PAGE));
        landed.push(page.url());
        await page.close();
      })();
    };
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  it('waits for the paste with the field focused and a Cancel', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Add your first org' }).click();
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill(world.double.loginUrl);
    await page.getByLabel('Label').fill('Acme by hand');
    await page.getByRole('button', { name: 'Sign in with browser' }).click();

    const field = page.getByLabel('Address or code');
    await field.waitFor();
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByText('Waiting for you to log in in your browser…').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Cancel' }).isVisible()).toBe(true);
    await expect.poll(() => landed.length, { timeout: 15_000 }).toBe(1);
    // As the address bar shows it: the code URL-encoded, the state of this sign-in.
    expect(landed[0]).toMatch(/^https:\/\/login\.salesforce\.com\/services\/oauth2\/success\?code=[^&]+%3D%3D&state=/);
  });

  it('refuses an address from another sign-in attempt next to the field, and keeps waiting', async () => {
    const page = app.page;
    const field = page.getByLabel('Address or code');
    const foreign = new URL(landed[0]!);
    foreign.searchParams.set('state', 'another-attempt');
    await field.fill(foreign.href);
    await page.getByRole('button', { name: 'Use this code' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'another sign-in attempt' });
    await alert.waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByText('Waiting for you to log in in your browser…').isVisible()).toBe(true);
  });

  it('signs in with the pasted address and shows the org', async () => {
    const page = app.page;
    await page.getByLabel('Address or code').fill(landed[0]!);
    await page.getByRole('button', { name: 'Use this code' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Acme by hand' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    const table = page.getByRole('table', { name: 'Tokens of this org' });
    expect(await table.locator('tr[data-kind="refresh"]').count()).toBe(1);
    const [org] = await world.services.handlers.listOrgs(undefined);
    expect(org!.grant).toBe('authorization_code');
  });

  it('ran without console errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
    expect(app.calls).toEqual(expect.arrayContaining(['beginSignIn', 'awaitSignIn', 'submitSignInCode']));
  });
});
