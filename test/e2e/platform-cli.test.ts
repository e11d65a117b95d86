/**
 * Story: a first sign-in with nothing set up, through the Salesforce CLI's public app (PlatformCLI): no
 * Connected App, no secret, PKCE, and the CLI's fixed callback http://localhost:1717/OauthRedirect (this
 * test is about that fixed port). The app says plainly what that choice means before the sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../support/sign-in';
import { startHarness, type AppPage, type Harness } from './harness';

describe("a first run: an External Client App guided, or the Salesforce CLI's app", () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;
  beforeAll(async () => {
    harness = await startHarness();
    // The double knows the CLI's app as every org does: a public client with the CLI's callback.
    world = await startWorld({
      double: { apps: [{ clientId: 'PlatformCLI', callbackUrls: ['http://localhost:1717/OauthRedirect'] }] },
    });
    app = await harness.open(world.services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  it('guides the creation of an External Client App: the exact callback URL, the scopes as Setup names them', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Add your first org' }).click();
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill('acme.my.salesforce.com');
    await page.getByLabel('App profile').selectOption({ label: 'New app profile…' });
    await page.getByText('First time? Create the External Client App in Salesforce').click();
    const guide = page.locator('details.guide');
    const text = await guide.innerText();
    expect(text).toContain('https://acme.my.salesforce.com/lightning/setup/SetupOneHome/home');
    expect(text).toMatch(/Manage user data via APIs \(api\)[\s\S]*Perform requests at any time/);
    const callback = await page.getByLabel('Callback URL').inputValue();
    await guide.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(() => world.services.clipboard.at(-1)).toBe(callback);
    await expect.poll(() => guide.getByText('Copied the callback URL.').isVisible()).toBe(true);
  });

  it('says what the choice means, signs in without an app of ones own, and keeps one profile for it', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Add your first org' }).click();
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill(world.double.loginUrl);
    await page
      .getByLabel('App profile')
      .selectOption({ label: "Salesforce CLI's app (PlatformCLI): nothing to set up" });
    const statement = await page.getByText(/Signs in with the app the Salesforce CLI uses/).innerText();
    expect(statement).toMatch(/no secret \(PKCE protects the\s+code\)/);
    expect(statement).toMatch(/port 1717 must be free/);
    await page.getByRole('button', { name: 'Sign in with browser' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Acme' }).isVisible(), { timeout: 15_000 }).toBe(true);
    const authorize = new URL(world.services.opened.at(-1)!);
    expect(authorize.searchParams.get('client_id')).toBe('PlatformCLI');
    expect(authorize.searchParams.get('redirect_uri')).toBe('http://localhost:1717/OauthRedirect');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const profiles = await world.services.handlers.listAppProfiles(undefined);
    expect(profiles.filter((p) => p.consumerKey === 'PlatformCLI')).toEqual([
      expect.objectContaining({ hasSecret: false, callbackUrl: 'http://localhost:1717/OauthRedirect' }),
    ]);
    // Chosen once, it is an ordinary profile from then on: the ready-made choice is not offered twice.
    await page.getByRole('button', { name: '+ Add org' }).click();
    const options = await page.getByLabel('App profile').locator('option').allInnerTexts();
    expect(options.filter((o) => o.includes('PlatformCLI'))).toEqual([
      expect.stringMatching(/^Salesforce CLI's app \(PlatformCLI\) \(PlatformCLI…\)$/),
    ]);
    expect(app.problems).toEqual([]);
  });
});
