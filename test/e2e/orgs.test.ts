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
    const list = app.page.getByRole('list', { name: 'Orgs' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    const items = await list.getByRole('listitem').allInnerTexts();
    expect(items[0]).toMatch(/★ Acme production[\s\S]*admin@acme\.example[\s\S]*Connected/);
    expect(items[1]).toMatch(/Acme UAT sandbox[\s\S]*admin@acme\.example\.uat/);
  });

  it('opens the quick switcher with Ctrl+K, finds an org fuzzily and opens it with Enter', async () => {
    const page = app.page;
    await page.keyboard.press('Control+k');
    const box = page.getByRole('combobox');
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.fill('acuat');
    const options = page.getByRole('option');
    await expect.poll(() => options.first().innerText()).toMatch(/Acme UAT sandbox/);
    await box.press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'Acme UAT sandbox' }).isVisible()).toBe(true);
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('moves with the arrow keys, closes with Escape, and finds by org ID', async () => {
    const page = app.page;
    await page.keyboard.press('Control+k');
    const box = page.getByRole('combobox');
    await box.fill('00D5g');
    await expect.poll(() => page.getByRole('option').count()).toBe(1);
    await box.fill('');
    await box.press('ArrowDown');
    await expect.poll(() => page.getByRole('option', { selected: true }).innerText()).toMatch(/Acme UAT sandbox/);
    await box.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(app.problems).toEqual([]);
  });
});
