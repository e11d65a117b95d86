/**
 * Stories: what the org view says about a token is what the server last said. An admin revokes the access
 * token, then the refresh token, and watches an access token expire on screen; Chromium runs the built
 * renderer over the real preload factory and main router, against the Salesforce double.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type AppPage, type Harness } from './harness';
import { orgsWorld, revokeInPage, type SceneSetup } from './scenes';

const row = (page: Page, kind: 'access' | 'refresh' | 'id') => page.locator(`tr[data-kind="${kind}"]`);
const notice = (page: Page) => page.locator('.notice');
/** What a disabled button says about itself: its accessible description. */
const description = (page: Page, name: string) =>
  page.getByRole('button', { name, exact: true }).evaluate((el) => {
    const ids = (el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
  });

describe('token statuses from evidence', () => {
  let harness: Harness;
  let setup: SceneSetup | undefined;
  let app: AppPage | undefined;
  beforeAll(async () => (harness = await startHarness()));
  afterEach(async () => {
    await app?.close();
    await setup?.close();
    app = undefined;
    setup = undefined;
  });
  afterAll(() => harness?.close());

  async function open(): Promise<{ page: Page; setup: SceneSetup }> {
    setup = await orgsWorld();
    app = await harness.open(setup.handlers);
    return { page: app.page, setup };
  }

  it('revoking the access token: the row says Revoked with the server confirming it, and Test token does not refresh it', async () => {
    const { page, setup } = await open();
    const refreshesBefore = setup.world!.double.refreshGrants();
    await page.getByRole('button', { name: /Acme production/ }).click();
    await page.getByRole('button', { name: 'Introspect access token' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Introspection of the access token' }).count()).toBe(1);

    await page.getByRole('button', { name: 'Revoke access token' }).click();
    const dialog = page.getByRole('dialog');
    const hint = (await row(page, 'access').locator('.hint').innerText()).replace(/^ends …/, '');
    expect(await dialog.innerText()).toContain(`Revoke the access token …${hint} of Acme production (Production org)?`);
    await dialog.getByRole('button', { name: 'Revoke access token' }).click();

    await expect
      .poll(() => row(page, 'access').innerText())
      .toMatch(/Revoked \d\d:\d\d in this app · introspection confirms inactive \d\d:\d\d:\d\d/);
    expect(await row(page, 'access').innerText()).not.toMatch(/expires in/);
    // The earlier "Active" introspection no longer stands on screen.
    expect(await page.getByRole('region', { name: 'Introspection of the access token' }).count()).toBe(0);
    // The refresh token still works: a success, and Refresh stays offered.
    await expect.poll(() => notice(page).getAttribute('class')).toMatch(/notice-success/);
    expect(await notice(page).innerText()).toMatch(/Refresh gets a new access token/);
    for (const name of ['Copy access token', 'Reveal access token', 'Introspect access token']) {
      expect(await page.getByRole('button', { name, exact: true }).isDisabled(), name).toBe(true);
      expect(await description(page, name)).toMatch(/revoked \d\d:\d\d in this app/);
    }
    expect(await page.getByRole('button', { name: 'Refresh', exact: true }).isEnabled()).toBe(true);

    // Test token reports the refusal, and does not silently get a new token.
    await page.getByRole('button', { name: 'Test token' }).click();
    await expect.poll(() => notice(page).getAttribute('data-code')).toBe('token/revoked');
    expect(await notice(page).innerText()).toMatch(/Refresh gets a new/);
    expect(setup.world!.double.refreshGrants()).toBe(refreshesBefore);
    await expect.poll(() => row(page, 'access').innerText()).toMatch(/Revoked/);
    expect(app!.problems).toEqual([]);
  });

  it('revoking the refresh token: the cascade on every row, the ID token still valid, and one way out', async () => {
    const { page } = await open();
    await page.getByRole('button', { name: /Acme production/ }).click();
    await page.getByRole('button', { name: 'Revoke refresh token' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.innerText()).toMatch(
      /Revoke the refresh token …\S+ of Acme production \(Production org\)\?[\s\S]*every access token issued from it[\s\S]*ID token stays valid until \d\d:\d\d/,
    );
    await dialog.getByRole('button', { name: 'Revoke refresh token' }).click();

    await expect.poll(() => row(page, 'refresh').innerText()).toMatch(/Revoked \d\d:\d\d in this app/);
    expect(await row(page, 'refresh').innerText()).not.toMatch(/until revoked/i);
    await expect.poll(() => row(page, 'access').innerText()).toMatch(/Revoked \d\d:\d\d/);
    expect(await row(page, 'id').innerText()).toMatch(/Valid until \d\d:\d\d: ID tokens cannot be revoked/);
    // Signing in again is what comes next: told as information, not as a green success.
    await expect.poll(() => notice(page).getAttribute('class')).toMatch(/notice-info/);

    const banner = page.getByRole('region', { name: 'Sign in again' });
    expect(await banner.innerText()).toMatch(/refresh token was revoked[\s\S]*Re-authenticate/);
    expect(await page.getByRole('button', { name: 'Re-authenticate' }).count()).toBe(1);
    for (const name of ['Refresh', 'Test token', 'Open org in browser']) {
      expect(await page.getByRole('button', { name, exact: true }).isDisabled(), name).toBe(true);
      expect(await description(page, name), name).toMatch(/Re-authenticate/);
    }
    const header = await page.locator('article header .title').innerText();
    expect(header).toMatch(/Revoked|Needs sign-in/);
    const sidebar = page.getByRole('navigation', { name: 'Org list' });
    expect(await sidebar.getByRole('list', { name: 'Orgs: Pinned' }).innerText()).toMatch(/Revoked|Needs sign-in/);
    expect(app!.problems).toEqual([]);
  });

  it('an access token expiring while on screen turns Expired without a click', async () => {
    const { page } = await open();
    await page.getByRole('button', { name: /Acme production/ }).click();
    await expect.poll(() => row(page, 'access').innerText()).toMatch(/Active · expires in 1 h 59 min \(from JWT exp\)/);
    // The org's history has loaded (the one call opening an org makes besides the list).
    await expect.poll(() => page.getByRole('region', { name: 'History' }).innerText()).toMatch(/Signed in/);
    const calls = app!.calls.length;
    // The page's clock, moved past the token's two-hour lifetime; main is not asked anything.
    await page.clock.install();
    await page.clock.fastForward(2 * 3_600_000 + 60_000);
    await expect.poll(() => row(page, 'access').innerText()).toMatch(/Expired \d\d:\d\d \(from JWT exp\)/);
    expect(await row(page, 'access').getAttribute('data-status')).toBe('expired');
    const header = page.locator('article header .title');
    await expect.poll(() => header.innerText()).toMatch(/Expired/);
    const sidebar = page.getByRole('navigation', { name: 'Org list' });
    await expect.poll(() => sidebar.getByRole('list', { name: 'Orgs: Pinned' }).innerText()).toMatch(/Expired/);
    expect(app!.calls.slice(calls)).toEqual([]);
    expect(app!.problems).toEqual([]);
  });

  it('the screenshot scenes reach their revoked views', async () => {
    const { page } = await open();
    await revokeInPage(page, /Acme UAT sandbox/, 'access');
    expect(await row(page, 'access').innerText()).toMatch(/Revoked/);
  });

  it('keeps the history: the sign-in, two refreshes and a revoke, newest first', async () => {
    const { page } = await open();
    await page.getByRole('button', { name: /Acme production/ }).click();
    const history = page.getByRole('region', { name: 'History' });
    await expect.poll(() => history.innerText()).toMatch(/Signed in/);
    for (let i = 0; i < 2; i++) {
      const before = await history.locator('li').count();
      await page.getByRole('button', { name: 'Refresh', exact: true }).click();
      await expect.poll(() => history.locator('li').count()).toBe(before + 1);
    }
    await revokeInPage(page, /Acme production/, 'access');
    await expect.poll(() => history.locator('li').first().innerText()).toMatch(/Revoked access token/);
    const entries = await history.locator('li').allInnerTexts();
    expect(entries.slice(0, 3).map((e) => e.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(/Revoked access token introspection confirms it is inactive$/),
      expect.stringMatching(/Refreshed access token with the refresh token$/),
      expect.stringMatching(/Refreshed access token with the refresh token$/),
    ]);
    expect(entries.at(-1)).toMatch(/Signed in/);
    expect(app!.problems).toEqual([]);
  });

  it('a refresh token revoked elsewhere: Test token finds it out, and the org moves to re-authenticate', async () => {
    const { page, setup } = await open();
    const world = setup.world!;
    const [org] = (await world.services.handlers.listOrgs(undefined)).filter((o) => o.label === 'Acme production');
    const refresh = (await world.services.vault.readToken(org!.id, 'refresh'))!;
    // Revoked at the server by someone else (an admin in Setup), and the session has timed out since.
    const answer = await fetch(`${world.double.loginUrl}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refresh }),
    });
    expect(answer.status).toBe(200);
    world.double.advance(2 * 3_600_000 + 60_000);

    await page.getByRole('button', { name: /Acme production/ }).click();
    await page.getByRole('button', { name: 'Test token', exact: true }).click();
    await expect.poll(() => notice(page).innerText()).toMatch(/refresh token|Sign in to this org again/i);
    const banner = page.getByRole('region', { name: 'Sign in again' });
    await expect.poll(() => banner.count()).toBe(1);
    expect(await banner.getByRole('button', { name: 'Re-authenticate' }).count()).toBe(1);
    await expect.poll(() => row(page, 'refresh').innerText()).toMatch(/Refused by the token endpoint/);
    expect(app!.problems).toEqual([]);
  });
});
