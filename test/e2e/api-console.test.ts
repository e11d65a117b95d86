/**
 * Stories: an admin copies an org's access token as a curl command from a keyboard menu, then queries the org in
 * the API console, sees the records with the API usage, revokes the token and has the 401 explained. Chromium
 * runs the built renderer over the real preload factory and main router, against the Salesforce double; what
 * crosses the bridge is recorded, and the stored access token is never in it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type AppPage, type BridgeMessage, type Harness } from './harness';
import { orgsWorld, type SceneSetup } from './scenes';

const focused = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');

describe('copy as and the API console', () => {
  let harness: Harness;
  let setup: SceneSetup;
  let app: AppPage;
  let token: string;
  const record: BridgeMessage[] = [];

  beforeAll(async () => {
    harness = await startHarness();
    setup = await orgsWorld();
    app = await harness.open(setup.handlers, { record });
    const orgs = await setup.handlers.listOrgs(undefined);
    const acme = orgs.find((o) => o.label === 'Acme production')!;
    token = (await setup.world!.services.vault.readToken(acme.id, 'access'))!;
    await app.page.getByRole('button', { name: /Acme production/ }).click();
  });
  afterAll(async () => {
    await app?.close();
    await setup?.close();
    await harness?.close();
  });

  it('copies the access token as curl from a keyboard menu: the clipboard gets the command, the window a preview', async () => {
    const page = app.page;
    const button = page.getByRole('button', { name: 'Copy as…' });
    await button.focus();
    await page.keyboard.press('ArrowDown');
    const menu = page.getByRole('menu');
    await expect.poll(() => menu.isVisible()).toBe(true);
    expect(await focused(page)).toMatch(/^Authorization header/);
    // Escape closes it and gives focus back to the button.
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.count()).toBe(0);
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);

    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toMatch(/^Authorization header/);
    await page.keyboard.press('End');
    expect(await focused(page)).toMatch(/PowerShell/);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatch(/^curl/);
    await page.keyboard.press('Enter');

    const hint = token.slice(-4);
    await expect.poll(() => setup.world!.services.clipboard.at(-1)).toMatch(/^curl -H 'Authorization: Bearer /);
    const copied = setup.world!.services.clipboard.at(-1)!;
    expect(copied).toContain(token);
    expect(copied).toMatch(/'http:\/\/127\.0\.0\.1:\d+\/services\/data\/v62\.0\/'$/);
    expect(await page.getByRole('status').filter({ hasText: 'Copied as' }).innerText()).toBe(
      `Copied as curl (…${hint})`,
    );
    const preview = await page.getByRole('region', { name: 'Copied access token' }).innerText();
    expect(preview).toContain(`curl -H 'Authorization: Bearer …${hint}'`);
    expect(preview).not.toContain(token);
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('runs a SOQL query in the API console: the records, the status and the API usage', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'API console' }).click();
    const panel = page.getByRole('region', { name: 'API console' });
    await expect
      .poll(() => page.getByLabel('GET', { exact: true }).evaluate((el) => el === document.activeElement))
      .toBe(true);
    expect(await page.getByLabel('GET', { exact: true }).inputValue()).toBe('/services/data/');

    await page.getByRole('textbox', { name: /^SOQL query/ }).fill('SELECT Id, Name FROM Account LIMIT 10');
    await panel.getByRole('button', { name: 'Run query' }).click();
    const answer = panel.getByRole('region', { name: 'Answer' });
    await expect.poll(() => answer.count()).toBe(1);
    const text = await answer.innerText();
    expect(text).toMatch(/^200 OK\s+\d+ ms\s+API usage \d+ \/ 15,000/);
    expect(text).toContain('"totalSize": 10');
    expect(text).toContain('"Name": "Acme Holdings"');
    expect(await answer.getByRole('meter', { name: 'API usage' }).getAttribute('max')).toBe('15000');
    await answer.getByText(/^Headers \(\d+\)$/).click();
    expect(await answer.getByRole('table', { name: 'Response headers' }).innerText()).toMatch(
      /sforce-limit-info\s+api-usage=\d+\/15000/,
    );
    expect(await answer.getByRole('table', { name: 'Response headers' }).innerText()).not.toMatch(/authorization/i);

    // A suggestion fills in the path at the org's newest version and runs it.
    await panel.getByRole('button', { name: 'Limits' }).click();
    await expect.poll(() => page.getByLabel('GET', { exact: true }).inputValue()).toBe('/services/data/v62.0/limits');
    await expect.poll(() => answer.innerText()).toContain('"DailyApiRequests"');
  });

  it('explains the 401 after the access token is revoked, with when it was revoked and what to do', async () => {
    const page = app.page;
    const refreshes = setup.world!.double.refreshGrants();
    await page.getByRole('button', { name: 'Revoke access token' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke access token' }).click();
    await page.locator('tr[data-kind="access"][data-status="revoked"]').waitFor();
    expect(await page.getByRole('button', { name: 'Copy as…' }).isDisabled()).toBe(true);

    const panel = page.getByRole('region', { name: 'API console' });
    await page.getByLabel('GET', { exact: true }).fill('/services/data/v62.0/sobjects/');
    await page.getByLabel('GET', { exact: true }).press('Enter');
    const answer = panel.getByRole('region', { name: 'Answer' });
    await expect.poll(() => answer.innerText()).toMatch(/^401 Unauthorized/);
    expect(await answer.innerText()).toMatch(
      /The access token was revoked in this app at \d\d:\d\d — Refresh gets a new access token\. Salesforce said: INVALID_SESSION_ID/,
    );
    expect(setup.world!.double.refreshGrants()).toBe(refreshes);
    // The path is where the user left it; the focus too.
    expect(await page.getByLabel('GET', { exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);

    // Refresh is offered right there; the same request then works.
    await answer.getByRole('button', { name: 'Refresh the access token' }).click();
    await expect.poll(() => page.locator('tr[data-kind="access"]').getAttribute('data-status')).toBe('active');
    await page.getByLabel('GET', { exact: true }).press('Enter');
    await expect.poll(() => answer.innerText()).toMatch(/^200 OK/);
    expect(await answer.innerText()).toContain('"sobjects": [');

    await panel.getByRole('button', { name: 'Close the API console' }).click();
    await expect.poll(() => panel.count()).toBe(0);
    expect(await focused(page)).toBe('API console');

    const methods = new Set(record.map((m) => m.method));
    expect(methods).toContain('copyTokenAs');
    expect(methods).toContain('runApiRequest');
    expect(record.some((m) => JSON.stringify(m).includes(token))).toBe(false);
    expect(app.problems).toEqual([]);
  });

  it('compares the access token with the one the refresh replaced, claim by claim', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Compare with previous access token' }).click();
    const compare = page.getByRole('region', { name: /^The access token replaced at \d\d:\d\d and the current one$/ });
    await expect.poll(() => compare.count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H3');
    // Each refresh issues a new jti, iat and exp.
    expect(await compare.innerText()).toMatch(/\d+ claims differ/);
    expect(await compare.innerText()).toMatch(/jti/);
    await page.getByRole('button', { name: 'Close the comparison' }).click();
    await expect.poll(() => compare.count()).toBe(0);
    expect(await focused(page)).toBe('Compare with previous access token');
    expect(record.some((m) => JSON.stringify(m).includes(token))).toBe(false);
    expect(app.problems).toEqual([]);
  });
});
