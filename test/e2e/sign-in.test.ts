/**
 * Story: a consultant adds an org through the UI, logs in in the browser, sees the org with its tokens,
 * scopes and expiry, and revokes the access token; the server's introspection then says it is gone.
 * Chromium runs the built renderer; the bridge is the real preload factory and main router; the login
 * happens in a second Chromium page against the Salesforce double.
 */
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER } from '../servers/salesforce-double';
import { expectNoPlaintext, filesUnder } from '../support/files';
import { startWorld, type World } from '../support/sign-in';
import { startHarness, type AppPage, type Harness } from './harness';

describe('sign in to an org and revoke its token', () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;
  const loginPages: string[] = [];

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld();
    app = await harness.open(world.services.handlers);
    // The system browser: a second page that shows the login form; a person fills it in.
    world.services.onOpen = (url) => {
      void (async () => {
        const page = await app.context.newPage();
        await page.goto(url);
        await page.getByLabel('Username').fill(DEFAULT_USER.username);
        await page.getByLabel('Password').fill(DEFAULT_USER.password);
        await page.getByRole('button', { name: 'Allow' }).click();
        await page.waitForURL(/\/done$/);
        loginPages.push(await page.locator('body').innerText());
      })();
    };
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  it('offers to add the first org', async () => {
    await expect.poll(() => app.page.getByText('No orgs yet.').isVisible()).toBe(true);
  });

  it('adds an org through the browser and shows it with its tokens, scopes and expiry', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Add your first org' }).click();
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill(world.double.loginUrl);
    await page.getByLabel('Label').fill('Acme production');
    await page.getByRole('button', { name: 'Sign in with browser' }).click();

    await expect
      .poll(() => page.getByRole('heading', { name: 'Acme production' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(world.services.opened[0]).toContain('/services/oauth2/authorize');
    await expect.poll(() => loginPages.join()).toContain('Signed in to Acme production');

    const table = page.getByRole('table', { name: 'Tokens of this org' });
    const accessRow = table.locator('tr[data-kind="access"]');
    await expect.poll(() => accessRow.innerText()).toMatch(/expires in (1 h|2 h|119 min)/);
    const chips = await accessRow.getByRole('listitem').allInnerTexts();
    expect(chips).toEqual(['api', 'refresh_token', 'openid', 'id']);
    expect(await accessRow.innerText()).toMatch(/Active/);
    expect(await page.locator('main').innerText()).toContain(DEFAULT_USER.username);
    const sidebar = page.getByRole('navigation', { name: 'Org list' });
    expect(await sidebar.innerText()).toMatch(/Acme production[\s\S]*Connected/);
  });

  it('revokes the access token after a confirmation, and the server agrees it is gone', async () => {
    const page = app.page;
    const orgId = (await world.services.vault.listOrgs())[0]!.record.id;
    const access = (await world.services.vault.readToken(orgId, 'access'))!;
    expect(world.double.isTokenActive(access)).toBe(true);

    await page.getByRole('button', { name: 'Revoke access token' }).click();
    // The dialog names the token by its last characters, and the org.
    const dialog = page.getByRole('dialog', { name: /^Revoke the access token …\S{4} of / });
    expect(await dialog.innerText()).toMatch(/refresh token stays valid/i);
    await dialog.getByRole('button', { name: 'Revoke access token' }).click();

    await expect
      .poll(() => page.getByRole('status').allInnerTexts())
      .toContainEqual(expect.stringMatching(/Revoked the access token/));
    const row = page.getByRole('table', { name: 'Tokens of this org' }).locator('tr[data-kind="access"]');
    await expect.poll(() => row.innerText()).toMatch(/Revoked/);

    // Ask the server itself, as a third party would.
    const response = await fetch(`${world.double.loginUrl}/services/oauth2/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: access,
        token_type_hint: 'access_token',
        client_id: world.profile.consumerKey,
      }),
    });
    expect(await response.json()).toEqual({ active: false });
  });

  it('left no token in plain text anywhere under the app data folder', async () => {
    const org = (await world.services.vault.listOrgs())[0]!.record.id;
    const secrets = (
      await Promise.all((['access', 'refresh', 'id'] as const).map((k) => world.services.vault.readToken(org, k)))
    ).filter((t): t is string => t !== null);
    expect(secrets.length).toBe(3);
    const files = await filesUnder(world.services.dataDir);
    expect(files.map((f) => basename(f.path))).toEqual(expect.arrayContaining(['store.json', `${org}.json`]));
    await expectNoPlaintext(world.services.dataDir, secrets);
  });

  it('ran without console errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
    expect(app.calls).toEqual(expect.arrayContaining(['beginSignIn', 'awaitSignIn', 'revokeToken', 'listOrgs']));
  });
});
