/**
 * Stories: an admin lists every OAuth token of the org (page by page, then all with progress), groups them by app
 * and by user, searches and sorts, revokes one (the confirmation names app and user, focus comes back) and many
 * (progress, Cancel, a result each), revokes every token of an app, and exports the listing as CSV. A user
 * without Customize Application is told they see only their own tokens, and why. Chromium runs the built
 * renderer over the real preload factory and main router, against the Salesforce double; no DeleteToken crosses.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTokensWorld, BOB, CY } from '../support/admin-tokens-world';
import type { World } from '../support/sign-in';
import { startHarness, type AppPage, type BridgeMessage, type Harness } from './harness';

const isFocused = (page: Page, selector: string) =>
  page.evaluate((s) => document.activeElement === document.querySelector(s), selector);

describe('org-wide OAuth tokens (admin)', () => {
  let harness: Harness;
  let setup: Awaited<ReturnType<typeof adminTokensWorld>>;
  let world: World;
  let app: AppPage;
  const record: BridgeMessage[] = [];
  const section = () => app.page.getByRole('region', { name: 'OAuth tokens of the org' });
  /** The OauthToken rows Salesforce holds now, asked of the double directly (not through the app's listing). */
  async function salesforceRows(): Promise<{ Id: string; AppName: string; User: { Username: string } }[]> {
    const token = (await world.services.handlers.revealToken({ id: setup.org.id, kind: 'access' })).token;
    const q = encodeURIComponent('SELECT Id, AppName, User.Username FROM OauthToken');
    const r = await fetch(`${setup.org.instanceUrl}/services/data/v62.0/query?q=${q}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return ((await r.json()) as { records: { Id: string; AppName: string; User: { Username: string } }[] }).records;
  }

  beforeAll(async () => {
    harness = await startHarness();
    setup = await adminTokensWorld();
    world = setup.world;
    app = await harness.open(world.services.handlers, { record });
    await app.page.getByRole('button', { name: /Acme production/ }).click();
  });
  afterAll(async () => {
    await app?.close();
    await setup?.close();
    await harness?.close();
  });

  it('lists the first page, says whose tokens they are, and sums the usage per app', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'List OAuth tokens' }).click();
    await expect.poll(() => isFocused(page, '#org-tokens-title')).toBe(true);
    const s = section();
    expect(await s.getByRole('note', { name: 'Whose tokens are listed' }).innerText()).toBe(
      "admin@acme.example has Customize Application or Manage Users, so Salesforce lists every user's tokens.",
    );
    expect(await s.getByText(/tokens listed/).innerText()).toBe('500 of 518 tokens listed — more in Salesforce');
    const usage = s.getByRole('table', { name: 'OAuth usage by app' });
    expect(await usage.locator('tbody th').allInnerTexts()).toContain('Salesforce CLI');
    // Grouped by app: the first page is the Salesforce CLI's tokens only.
    const groups = await s.locator('section.group h4').allTextContents();
    expect(groups.map((h) => h.replace(/\s+/g, ' ').trim())).toEqual(['Salesforce CLI 500 tokens']);
  });

  it('loads all the rest with progress, then groups by user, searches and sorts', async () => {
    const page = app.page;
    const s = section();
    await s.getByRole('button', { name: /^Load all \(18 more\)$/ }).click();
    await expect.poll(() => s.getByText(/tokens listed/).innerText()).toBe('518 of 518 tokens listed');
    expect(await s.getByRole('button', { name: /^Load/ }).count()).toBe(0);
    // The focus went to List again when the Load buttons went away.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('List again');

    const usage = s.getByRole('table', { name: 'OAuth usage by app' });
    const cli = usage.locator('tbody tr', { has: page.getByRole('rowheader', { name: 'Salesforce CLI' }) });
    expect(await cli.locator('td').allInnerTexts()).toEqual(['1', '510', '1,530', expect.any(String)]);

    await s.getByLabel('Group by').selectOption('user');
    const heads = await s.locator('section.group h4').allTextContents();
    expect(heads.map((h) => h.replace(/\s+/g, ' ').trim())).toEqual([
      'Ada Admin admin@acme.example 2 tokens',
      'Bob Builder bob@acme.example 513 tokens',
      'Cy Clerk cy@acme.example 3 tokens',
    ]);
    // Bob's group shows its first 100 rows until asked for all.
    const bobs = s.getByRole('region', { name: 'Tokens of Bob Builder' });
    expect(await bobs.locator('tbody tr').count()).toBe(100);
    await bobs.getByRole('button', { name: 'Show all 513 tokens of Bob Builder' }).click();
    expect(await bobs.locator('tbody tr').count()).toBe(513);
    // The button went away: the focus is on the first row it brought.
    expect(
      await bobs
        .locator('tbody tr')
        .nth(100)
        .locator('input')
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);

    await s.getByRole('searchbox', { name: 'Search tokens' }).fill('cy loader');
    await expect.poll(() => s.locator('tbody tr[data-token-id]').count()).toBe(2);
    expect(await s.getByText(/listed tokens match/).innerText()).toBe('2 of 518 listed tokens match');

    await s.getByRole('searchbox', { name: 'Search tokens' }).fill('workbench');
    await s.getByLabel('Group by').selectOption('none');
    const table = s.getByRole('table', { name: 'Tokens of All tokens' });
    await table.getByRole('button', { name: 'Created' }).click();
    expect(await table.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('descending');
    const users = () => table.locator('td.user').allTextContents();
    expect((await users())[0]).toMatch(/^\s*Ada Admin \(you\)/);
    await table.getByRole('button', { name: 'Created' }).click();
    expect(await table.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');
    expect((await users())[0]).toMatch(/^\s*Cy Clerk/);
  });

  it('revokes one token: the confirmation names app and user, and the grant stops working at Salesforce', async () => {
    const page = app.page;
    const s = section();
    const row = s.locator('tbody tr', { hasText: 'Cy Clerk' });
    const id = (await row.getAttribute('data-token-id'))!;
    const revoke = row.getByRole('button', { name: "Revoke Workbench's token for Cy Clerk" });
    await revoke.click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('heading').innerText()).toBe('Revoke this OAuth token?');
    expect(await dialog.innerText()).toContain("Revoke Workbench's token for Cy Clerk (cy@acme.example)?");
    // Cancel: nothing sent, focus back on the row's button.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await revoke.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(record.some((m) => m.method === 'revokeOrgTokens')).toBe(false);

    await revoke.click();
    await dialog.getByRole('button', { name: 'Revoke the token' }).click();
    const results = s.getByRole('region', { name: 'Revocation results' });
    await expect.poll(() => results.count()).toBe(1);
    expect(await results.innerText()).toMatch(/^Revoked: 1\n/);
    expect(await results.innerText()).toContain('Workbench — Cy Clerk: Revoked');
    expect(await s.locator(`tr[data-token-id="${id}"]`).count()).toBe(0);
    await expect.poll(() => isFocused(page, '.results-focus')).toBe(true);
    // Salesforce no longer lists it: the row is gone from a fresh query too.
    expect((await salesforceRows()).some((t) => t.Id === id)).toBe(false);
  });

  it('revokes many with progress and Cancel: a result each, the rest stay listed', async () => {
    const page = app.page;
    const s = section();
    await s.getByRole('searchbox', { name: 'Search tokens' }).fill('');
    await s.getByLabel('Group by').selectOption('app');
    const cliGroup = s.getByRole('region', { name: 'Tokens of Salesforce CLI' });
    await cliGroup.getByRole('checkbox', { name: 'Select every token of Salesforce CLI' }).check();
    await expect
      .poll(() => s.getByRole('button', { name: /^Revoke selected/ }).innerText())
      .toBe('Revoke selected (510)');
    // Salesforce answers slowly: the first batch is held until Cancel.
    world.double.setFault('revoke', 'hang');
    await s.getByRole('button', { name: 'Revoke selected (510)' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('heading').innerText()).toBe('Revoke 510 OAuth tokens?');
    expect(await dialog.innerText()).toContain(
      'Revoke 510 tokens of Salesforce CLI, for Bob Builder (bob@acme.example)?',
    );
    await dialog.getByRole('button', { name: 'Revoke 510 tokens' }).click();
    const progress = s.getByRole('progressbar', { name: 'Tokens revoked' });
    await progress.waitFor();
    expect(await progress.getAttribute('max')).toBe('510');
    expect(await s.getByText(/^Revoking: 0 of 510…$/).count()).toBe(1);
    await s.getByRole('status').getByRole('button', { name: 'Cancel' }).click();
    const results = s.getByRole('region', { name: 'Revocation results' });
    await expect.poll(() => results.innerText()).toMatch(/^Cancelled: 510\n/);
    expect(await results.innerText()).toContain('Cancelled before Salesforce answered');
    expect(await results.innerText()).toContain('Not sent: cancelled.');
    expect(await cliGroup.locator('h4').innerText()).toContain('510 tokens');
    world.double.setFault('revoke', null);
  });

  it('revokes every token of an app, and the grants stop working', async () => {
    const page = app.page;
    const s = section();
    const loader = s.getByRole('region', { name: 'Tokens of Data Loader' });
    await loader.getByRole('button', { name: 'Revoke all 5 of this app' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.innerText()).toContain(
      'Revoke all 5 tokens of Data Loader, for 2 users: Bob Builder (bob@acme.example), Cy Clerk (cy@acme.example)?',
    );
    await dialog.getByRole('button', { name: 'Revoke 5 tokens' }).click();
    const results = s.getByRole('region', { name: 'Revocation results' });
    await expect.poll(() => results.innerText()).toMatch(/^Revoked: 5\n/);
    expect(await loader.count()).toBe(0);
    const rows = await world.services.handlers.listOrgTokens({ id: setup.org.id });
    expect(rows.tokens.filter((t) => t.appName === 'Data Loader')).toEqual([]);
    expect(rows.tokens.filter((t) => t.username === BOB.username || t.username === CY.username).length).toBeGreaterThan(
      0,
    );
  });

  it('exports what is shown as CSV through the save dialog, and no DeleteToken ever crossed the bridge', async () => {
    const page = app.page;
    const s = section();
    // From the start: the first page, then all.
    await s.getByRole('button', { name: 'List again' }).click();
    await s.getByRole('button', { name: /^Load all/ }).click();
    await expect.poll(() => s.getByText(/tokens listed/).innerText()).toBe('512 of 512 tokens listed');
    await s.getByRole('searchbox', { name: 'Search tokens' }).fill('workbench');
    await s.getByRole('button', { name: 'Export CSV' }).click();
    await expect.poll(() => world.services.exported.length).toBe(1);
    const { name, content } = world.services.exported[0]!;
    expect(name).toBe('Acme-production-oauth-tokens.csv');
    expect(content.split('\r\n')[0]).toBe(
      'app,user,username,user id,created,last used,use count,token id,app menu item id',
    );
    expect(content.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(content).toMatch(/^Workbench,Ada Admin,admin@acme\.example,/m);
    await expect.poll(() => page.getByText('Wrote 1 token to /tmp/Acme-production-oauth-tokens.csv.').count()).toBe(1);

    const crossed = JSON.stringify(record);
    expect(crossed).not.toMatch(/deleteToken/i);
    expect(app.problems).toEqual([]);
  });
});

describe('org-wide OAuth tokens (a user without Customize Application)', () => {
  it('lists only their own tokens and says why, with what to do', async () => {
    const harness = await startHarness();
    const setup = await adminTokensWorld({ admin: false });
    const app = await harness.open(setup.world.services.handlers);
    try {
      await app.page.getByRole('button', { name: /Acme production/ }).click();
      await app.page.getByRole('button', { name: 'List OAuth tokens' }).click();
      const note = app.page.getByRole('note', { name: 'Whose tokens are listed' });
      await note.waitFor();
      expect(await note.innerText()).toMatch(
        /^Only your own tokens\. Salesforce lists only your own tokens: admin@acme\.example has neither Customize Application nor Manage Users, .* ask one to give this user Customize Application/,
      );
      const users = await app.page.locator('td.user').allTextContents();
      expect(users.map((u) => u.replace(/\s+/g, ' ').trim())).toEqual([
        'Ada Admin (you) admin@acme.example',
        'Ada Admin (you) admin@acme.example',
      ]);
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
      await setup.close();
      await harness.close();
    }
  });
});
