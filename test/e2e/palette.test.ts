/** Stories about the palette (Ctrl/Cmd+K), the sidebar filter and where focus goes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type AppPage, type Harness } from './harness';
import { orgsWorld, type SceneSetup } from './scenes';

describe('the palette and focus', () => {
  let harness: Harness;
  let setup: SceneSetup;
  let app: AppPage;
  beforeAll(async () => {
    harness = await startHarness();
    setup = await orgsWorld();
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
      const name = el?.getAttribute('aria-label') ?? el?.textContent?.trim().slice(0, 40) ?? '';
      return el ? `${el.tagName.toLowerCase()}#${el.id}:${name}` : 'none';
    });

  it('names the shortcut for this platform and marks production orgs, as the org itself says', async () => {
    const page = app.page;
    const hint = page.getByRole('button', { name: /Find an org/ }).locator('kbd');
    await expect.poll(() => hint.innerText()).toBe('Ctrl+K');
    await page.keyboard.press('Control+k');
    await expect.poll(() => page.getByRole('option').count()).toBe(2);
    // The double's hosts are 127.0.0.1: the kind comes from the Organization query, not from a host name.
    const prod = page.getByRole('option', { name: /Acme production/ });
    expect(await prod.locator('.prod').textContent()).toBe('Production');
    expect(
      await page
        .getByRole('option', { name: /Acme UAT sandbox/ })
        .locator('.prod')
        .count(),
    ).toBe(0);
  });

  it('highlights what matched and gives focus back to where it was on Escape', async () => {
    const page = app.page;
    const box = page.getByRole('combobox');
    await box.fill('uatsb');
    await expect
      .poll(() => page.getByRole('option').first().locator('mark').allInnerTexts())
      .toEqual(['UAT', 's', 'b']);
    await box.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    // The page had focus nowhere in particular: it goes back to the body, not to a stale element.
    const search = page.getByRole('searchbox', { name: 'Search orgs' });
    const button = page.getByRole('button', { name: /Find an org/ });
    await button.focus();
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox').press('Escape');
    await expect.poll(focused).toMatch(/^button#:.*Ctrl\+K/);
    expect(await search.count()).toBe(0); // Two orgs: no filter box.
  });

  it('opens an org and puts focus on its title; lists the org opened last first', async () => {
    const page = app.page;
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox').fill('uat');
    await page.getByRole('combobox').press('Enter');
    await expect.poll(focused).toBe('h2#org-title:Acme UAT sandbox');
    await page.keyboard.press('Control+k');
    await expect.poll(() => page.getByRole('option').first().innerText()).toMatch(/Acme UAT sandbox[\s\S]*recent/);
    await page.getByRole('combobox').press('Escape');
  });

  it('runs an action on an org: → lists them, Enter runs one', async () => {
    const page = app.page;
    await page.keyboard.press('Control+k');
    const box = page.getByRole('combobox');
    await box.fill('acme prod');
    await box.press('ArrowRight');
    await expect.poll(() => page.getByRole('dialog', { name: 'Actions for Acme production' }).count()).toBe(1);
    const actions = await page.getByRole('option').allInnerTexts();
    expect(actions).toEqual(
      expect.arrayContaining(['Open', 'Refresh the access token', 'Re-authenticate', 'Inspect the access token']),
    );
    await box.fill('insp acc');
    await box.press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'Acme production' }).isVisible()).toBe(true);
    await expect.poll(() => page.locator('main').innerText()).toMatch(/Salesforce JWT access token/);
    // ← goes back from the actions to the orgs without closing.
    await page.keyboard.press('Control+k');
    await box.press('Tab');
    await expect.poll(() => page.getByRole('dialog', { name: /Actions for/ }).count()).toBe(1);
    await box.press('Backspace');
    await expect.poll(() => page.getByRole('dialog', { name: 'Switch org' }).count()).toBe(1);
    await box.press('Escape');
  });

  it('gives focus back to the button that opened a confirmation, whether cancelled or confirmed', async () => {
    const page = app.page;
    await page.getByRole('button', { name: /Acme UAT sandbox/ }).click();
    const revoke = page.getByRole('button', { name: 'Revoke access token' });
    await revoke.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(focused).toMatch(/^button#:Revoke access token/);
  });

  it('keeps an org without a colour stripe colourless when Edit is saved', async () => {
    const page = app.page;
    await page.getByRole('button', { name: /Acme UAT sandbox/ }).click();
    await page.getByRole('button', { name: 'Edit label and group' }).click();
    const form = page.getByRole('form', { name: 'Edit org' });
    await form.getByLabel('Mark this org with a colour').uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    const uat = async () => (await setup.handlers.listOrgs(undefined)).find((o) => o.label === 'Acme UAT sandbox');
    await expect.poll(async () => (await uat())?.color).toBeNull();
    await page.getByRole('button', { name: 'Edit label and group' }).click();
    await form.getByLabel('Label').fill('Acme UAT');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await setup.handlers.listOrgs(undefined)).find((o) => o.label === 'Acme UAT')?.color)
      .toBeNull();
  });

  it('opens a Setup page of the org, or a typed path, from the Open page menu with the keyboard', async () => {
    const page = app.page;
    await page
      .getByRole('button', { name: /Acme production/ })
      .first()
      .click();
    const menuButton = page.getByRole('button', { name: 'Open page' });
    await menuButton.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('button#:Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => setup.world!.services.opened.at(-1) ?? '')
      .toMatch(/startURL=%2Flightning%2Fsetup%2FSetupOneHome/);
    await expect.poll(focused).toMatch(/^button#[\w-]*:Open page/);
    await menuButton.click();
    const path = page.getByLabel('Other page (a path inside the org)');
    await path.fill('https://evil.example/');
    await path.press('Enter');
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/starts with one \//);
    await path.fill('/lightning/o/Account/list');
    await path.press('Enter');
    await expect
      .poll(() => setup.world!.services.opened.at(-1) ?? '')
      .toMatch(/startURL=%2Flightning%2Fo%2FAccount%2Flist/);
  });

  it('collapses the sidebar to a rail and back, keeping the tools and the palette', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Hide the sidebar' }).click();
    await expect.poll(() => page.getByRole('navigation', { name: 'Org list' }).count()).toBe(0);
    const width = await page.getByRole('complementary', { name: 'Navigation' }).evaluate((el) => el.clientWidth);
    expect(width).toBeLessThan(60);
    await page.getByRole('button', { name: 'Inspect a token' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Inspect a token' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Show the sidebar' }).click();
    await expect.poll(() => page.getByRole('navigation', { name: 'Org list' }).count()).toBe(1);
    expect(app.problems).toEqual([]);
  });
});
