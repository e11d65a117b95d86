/**
 * The fleet in Chromium against the Salesforce double, through the real bridge and handlers: open it, sort,
 * filter, select with the mouse and the keyboard, check the selection (one org's refresh token was revoked at
 * the server behind the app's back), cancel a check of all of them while the server does not answer, and sign
 * out of two after the confirmation; where focus is after each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type AppPage, type Harness } from './harness';
import { fleetWorld, type SceneSetup } from './scenes';

describe('the fleet', () => {
  let harness: Harness;
  let setup: SceneSetup;
  let app: AppPage;
  beforeAll(async () => {
    harness = await startHarness();
    setup = await fleetWorld();
    app = await harness.open(setup.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await setup?.close();
    await harness?.close();
  });

  const focused = () =>
    app.page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return 'body';
      const row = el.closest('tr[data-id]');
      if (row) return `row:${row.querySelector('.name')?.textContent?.trim()}`;
      return `${el.tagName.toLowerCase()}#${el.id}:${el.textContent?.trim().slice(0, 40)}`;
    });
  const grid = () => app.page.getByRole('grid', { name: 'All orgs' });
  const labels = () => grid().locator('tbody tr[data-id] .name').allInnerTexts();
  const row = (label: string) => grid().locator('tbody tr[data-id]', { hasText: label });
  const result = (label: string) => row(label).locator('.result');

  it('opens from the sidebar with focus on its title, every org in a row', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Fleet: all orgs' }).click();
    await expect.poll(focused).toBe('h2#fleet-title:Fleet');
    await expect
      .poll(labels)
      .toEqual([
        'Acme production',
        'Acme UAT',
        'Globex production',
        'Globex QA',
        'Initech production',
        'Umbrella staging',
      ]);
    expect(await row('Acme production').locator('.type').innerText()).toBe('Production');
    expect(await row('Acme UAT').locator('.type').innerText()).toBe('Sandbox');
    // Sign-in introspected the opaque tokens: the status says so, with the time.
    expect(await row('Acme production').innerText()).toMatch(
      /Connected[\s\S]*Introspection \d\d:\d\d:\d\d: access token active[\s\S]*in 1 h 59 min/,
    );
    expect(await row('Globex QA').innerText()).toMatch(/Expiring soon[\s\S]*in [78] min/);
  });

  it('sorts by a column, again to reverse it, and filters with the palette rule', async () => {
    const page = app.page;
    const header = grid().getByRole('columnheader', { name: 'Expires' });
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(async () => (await labels())[0]).toBe('Globex QA');
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(async () => (await labels()).at(-1)).toBe('Globex QA');
    await grid().getByRole('columnheader', { name: 'Org' }).getByRole('button').click();

    await page.getByRole('searchbox', { name: 'Filter orgs' }).fill('glbx');
    await expect.poll(labels).toEqual(['Globex production', 'Globex QA']);
    expect(await page.getByText('2 of 6 orgs').count()).toBe(1);
    expect(await row('Globex production').locator('.name mark').allInnerTexts()).toEqual(['Gl', 'b', 'x']);
    await page.getByRole('searchbox', { name: 'Filter orgs' }).fill('');
    await expect.poll(async () => (await labels()).length).toBe(6);
  });

  it('selects with a click, a shift-click range, Space and the arrows, and all shown at once', async () => {
    const page = app.page;
    const box = (label: string) => grid().getByRole('checkbox', { name: `Select ${label}` });
    await box('Acme UAT').click();
    await box('Globex QA').click({ modifiers: ['Shift'] });
    await expect
      .poll(() => grid().locator('tr[aria-selected="true"] .name').allInnerTexts())
      .toEqual(['Acme UAT', 'Globex production', 'Globex QA']);
    expect(await page.getByText('3 selected').count()).toBe(1);
    // The keyboard: focus a row, move down with the arrow, Space toggles the row focus moved to.
    await row('Globex QA').click({ position: { x: 600, y: 10 } });
    await expect.poll(focused).toBe('row:Globex QA');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('row:Initech production');
    await page.keyboard.press('Space');
    await expect.poll(() => row('Initech production').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space');
    await expect.poll(() => row('Globex QA').getAttribute('aria-selected')).toBe('false');
    const all = grid().getByRole('checkbox', { name: 'Select all shown orgs' });
    await all.click();
    expect(await page.getByText('6 selected').count()).toBe(1);
    await all.click();
    expect(await page.getByText('None selected').count()).toBe(1);
  });

  it('checks the selection with progress and a result per row, finding the refresh token revoked at the server', async () => {
    const page = app.page;
    for (const label of ['Acme production', 'Globex production', 'Initech production'])
      await grid()
        .getByRole('checkbox', { name: `Select ${label}` })
        .click();
    await page.getByRole('toolbar').getByRole('button', { name: 'Check', exact: true }).click();
    const progress = page.getByRole('region', { name: 'Progress of the run' });
    await expect.poll(() => progress.innerText()).toMatch(/Checked 3 orgs\./);
    expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('3');
    expect(await result('Acme production').innerText()).toMatch(/the server says its tokens work/);
    expect(await result('Globex production').innerText()).toMatch(/no longer accepts its tokens\. Re-authenticate it/);
    expect(await row('Globex production').innerText()).toMatch(
      /Revoked[\s\S]*Introspection \d\d:\d\d:\d\d: (refresh|access) token inactive[\s\S]*revoked/,
    );
    expect(await result('Acme UAT').count()).toBe(0);
    // The org list took the new summary: the sidebar says so too, and Re-authenticate counts it.
    const sidebar = page.getByRole('navigation', { name: 'Org list' });
    await expect.poll(() => sidebar.getByRole('button', { name: /Globex production/ }).innerText()).toMatch(/Revoked/);
    expect(await page.getByRole('button', { name: 'Re-authenticate (1)' }).isEnabled()).toBe(true);
    // Focus was on Cancel while it ran; with Cancel gone it is on Done, and Done gives it to the title.
    await expect.poll(focused).toBe('button#fleet-dismiss:Done');
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('h2#fleet-title:Fleet');
    expect(await progress.count()).toBe(0);
  });

  it('re-authenticates the org that needs it in the browser, in place, and the row says so', async () => {
    const page = app.page;
    setup.world!.browser.username = 'admin@globex2.example';
    const before = (await setup.handlers.listOrgs(undefined)).length;
    await page.getByRole('button', { name: 'Re-authenticate (1)' }).click();
    const progress = page.getByRole('region', { name: 'Progress of the run' });
    await expect.poll(() => progress.innerText()).toMatch(/Re-authenticated 1 org\./);
    expect(await result('Globex production').innerText()).toBe('Signed in again.');
    await expect.poll(() => row('Globex production').getAttribute('data-status')).toBe('connected');
    // The other selected orgs did not need it: nothing ran for them.
    expect(await result('Acme production').count()).toBe(0);
    expect((await setup.handlers.listOrgs(undefined)).length).toBe(before);
    await expect.poll(focused).toBe('button#fleet-dismiss:Done');
    await page.keyboard.press('Enter');
  });

  it('cancels a check of all orgs while the server does not answer: in flight cancelled, the rest not run', async () => {
    const page = app.page;
    setup.world!.double.setFault('introspect', 'hang');
    await page.getByRole('button', { name: 'Check all' }).click();
    const progress = page.getByRole('region', { name: 'Progress of the run' });
    await expect.poll(() => progress.innerText()).toMatch(/Checking 0 of 6 orgs, 4 at a time/);
    await expect.poll(focused).toBe('button#fleet-cancel:Cancel');
    await expect.poll(() => grid().locator('[data-result="running"]').count()).toBe(4);
    expect(await grid().locator('[data-result="queued"]').count()).toBe(2);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => progress.innerText())
      .toMatch(/Cancelled: checked 0 of 6 orgs; 4 stopped while running, 2 not started\./);
    expect(await grid().locator('.result', { hasText: 'Not run: cancelled.' }).count()).toBe(2);
    expect(
      await grid()
        .locator('.result', { hasText: /^Cancelled\.$/ })
        .count(),
    ).toBe(4);
    await expect.poll(focused).toBe('button#fleet-dismiss:Done');
    setup.world!.double.setFault('introspect', null);
  });

  it('signs out of two after a confirmation that names them; focus comes back each time', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Clear' }).click();
    await grid().getByRole('checkbox', { name: 'Select Acme UAT' }).click();
    await grid().getByRole('checkbox', { name: 'Select Umbrella staging' }).click();
    const signOut = page.getByRole('button', { name: 'Sign out…' });
    await signOut.click();
    const dialog = page.getByRole('dialog', { name: 'Sign out of 2 orgs?' });
    expect(await dialog.innerText()).toMatch(/Acme UAT \(admin@acme1\.example\)[\s\S]*Umbrella staging/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(focused).toBe('button#:Sign out…');
    expect((await setup.handlers.listOrgs(undefined)).length).toBe(6);

    await signOut.click();
    await dialog.getByRole('button', { name: 'Sign out of 2 orgs' }).click();
    await expect.poll(labels).toEqual(['Acme production', 'Globex production', 'Globex QA', 'Initech production']);
    const left = (await setup.handlers.listOrgs(undefined)).map((o) => o.label).sort((a, b) => a.localeCompare(b));
    expect(left).toEqual(['Acme production', 'Globex production', 'Globex QA', 'Initech production']);
    await expect
      .poll(() => page.getByRole('region', { name: 'Progress of the run' }).innerText())
      .toMatch(/Signed out of 2 orgs\./);
    await expect.poll(focused).toBe('button#fleet-dismiss:Done');
    expect(await page.getByText('None selected').count()).toBe(1);
    expect(app.problems).toEqual([]);
  });

  it('folds columns away in a narrow window instead of scrolling sideways, the actions always in view', async () => {
    const page = app.page;
    const headers = () => grid().getByRole('columnheader').allInnerTexts();
    const fits = () =>
      page.evaluate(() => {
        const box = document.querySelector('table[aria-label="All orgs"]')!.parentElement!;
        const bar = document.querySelector('[role="toolbar"]')!.getBoundingClientRect();
        return { sideways: box.scrollWidth > box.clientWidth, barInView: bar.top >= 0 && bar.bottom <= innerHeight };
      });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Hide the sidebar' }).click();
    await expect.poll(headers).toContain('Instance');
    expect(await headers()).toContain('Org ID');
    await page.getByRole('button', { name: 'Show the sidebar' }).click();
    for (const size of [
      { width: 900, height: 600 },
      { width: 800, height: 560 },
    ]) {
      await page.setViewportSize(size);
      await expect.poll(async () => (await headers()).some((h) => /Instance|Org ID/.test(h))).toBe(false);
      expect(await fits()).toEqual({ sideways: false, barInView: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(app.problems).toEqual([]);
  });
});
