/** Stories about many orgs: the quick switcher and the sidebar. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type AppPage, type Harness } from './harness';
import { orgsWorld, type SceneSetup } from './scenes';

describe('switching between orgs', () => {
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

  it('lists pinned orgs first, with type, status and user', async () => {
    const list = app.page.getByRole('navigation', { name: 'Org list' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    const pinned = await list.getByRole('list', { name: 'Orgs: Pinned' }).innerText();
    expect(pinned).toMatch(/★ Acme production[\s\S]*admin@acme\.example[\s\S]*Connected/);
    const other = await list.getByRole('list', { name: 'Orgs: Other' }).innerText();
    expect(other).toMatch(/Acme UAT sandbox[\s\S]*admin@acme\.example\.uat/);
  });

  it('renames an org, puts it in a group and unpins it', async () => {
    const page = app.page;
    await page.getByRole('button', { name: /Acme UAT sandbox/ }).click();
    await page.getByRole('button', { name: 'Edit label and group' }).click();
    const form = page.getByRole('form', { name: 'Edit org' });
    await form.getByLabel('Label').fill('UAT (Acme)');
    await form.getByLabel('Group (client or tag)').fill('Client Acme');
    await form.getByRole('button', { name: 'Save' }).click();
    const list = page.getByRole('navigation', { name: 'Org list' });
    await expect.poll(() => list.getByRole('list', { name: 'Orgs: Client Acme' }).innerText()).toMatch(/UAT \(Acme\)/);
    await expect.poll(() => page.getByRole('heading', { name: 'UAT (Acme)' }).isVisible()).toBe(true);
  });

  it('opens the quick switcher with Ctrl+K, finds an org fuzzily and opens it with Enter', async () => {
    const page = app.page;
    await page.keyboard.press('Control+k');
    const box = page.getByRole('combobox');
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.fill('uatac');
    const options = page.getByRole('option');
    await expect.poll(() => options.first().innerText()).toMatch(/UAT \(Acme\)/);
    await box.press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'UAT (Acme)' }).isVisible()).toBe(true);
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('moves with the arrow keys, closes with Escape, and finds by org ID', async () => {
    const page = app.page;
    await page.keyboard.press('Control+k');
    const box = page.getByRole('combobox');
    await box.fill('00D5g');
    await expect.poll(() => page.getByRole('option').count()).toBe(1);
    await box.fill('');
    // The org opened last comes first; the arrow moves to the next one.
    await expect.poll(() => page.getByRole('option').first().innerText()).toMatch(/UAT \(Acme\)[\s\S]*recent/);
    await box.press('ArrowDown');
    await expect.poll(() => page.getByRole('option', { selected: true }).innerText()).toMatch(/Acme production/);
    await box.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(app.problems).toEqual([]);
  });

  it('shows a token in detail, verifies its signature against the JWKS, and copies or reveals it only when asked', async () => {
    const page = app.page;
    await page.getByRole('button', { name: /Acme production/ }).click();
    expect(await page.locator('main').innerText()).not.toContain(
      (
        await setup.world!.services.handlers.revealToken({
          id: (await setup.world!.services.handlers.listOrgs(undefined))[0]!.id,
          kind: 'access',
        })
      ).token.slice(-30),
    );
    await page.getByRole('button', { name: 'Inspect access token' }).click();
    const detail = page.getByRole('region', { name: 'Decoded access token' });
    await expect.poll(() => detail.innerText()).toMatch(/Salesforce JWT access token/);
    await detail.getByRole('button', { name: 'Verify signature' }).click();
    await expect.poll(() => detail.innerText()).toMatch(/Signature valid\.[\s\S]*\/id\/keys/);

    await page.getByRole('button', { name: 'Copy access token' }).click();
    await expect.poll(() => setup.world!.services.clipboard.length).toBe(1);
    expect(setup.world!.services.clipboard[0]).toMatch(/^eyJ/);

    await page.getByRole('button', { name: 'Reveal access token' }).click();
    const revealed = page.getByRole('region', { name: 'Revealed access token' });
    await expect.poll(() => revealed.innerText()).toContain(setup.world!.services.clipboard[0]!.slice(-30));
    await revealed.getByRole('button', { name: 'Hide' }).click();
    await expect.poll(() => revealed.count()).toBe(0);

    await page.getByRole('button', { name: 'Load userinfo' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'User info' }).innerText())
      .toMatch(/preferred_username[\s\S]*admin@acme\.example/);
    expect(app.problems).toEqual([]);
  });
});
