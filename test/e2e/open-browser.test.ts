/**
 * The browser story: the Open page menu offers the other browsers found (stand-ins on the PATH the test gives),
 * choosing one starts it with the org's frontdoor link from the Salesforce double, and the setting "Open orgs in"
 * is saved and used by Open page from then on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browsersWorld } from '../support/browser-standin';
import { startHarness, type AppPage, type Harness } from './harness';

/** What the system browser was asked to open of the org (the sign-in before it opened its login page). */
const frontdoorsOpened = (setup: Awaited<ReturnType<typeof browsersWorld>>) =>
  setup.world.services.opened.filter((u) => u.includes('/secur/frontdoor.jsp'));

const FRONTDOOR = /^http:\/\/127\.0\.0\.1:\d+\/secur\/frontdoor\.jsp\?otp=[\w-]+(&startURL=[\w%.-]+)?$/;

describe('opening an org in another browser', () => {
  let harness: Harness;
  let setup: Awaited<ReturnType<typeof browsersWorld>>;
  let app: AppPage;
  beforeAll(async () => {
    harness = await startHarness();
    setup = await browsersWorld(['firefox', 'chromium']);
    app = await harness.open(setup.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await setup?.close();
    await harness?.close();
  });

  it('offers "Open in" each browser found, and starts the one chosen with the org\'s frontdoor link', async () => {
    const page = app.page;
    await page.getByRole('button', { name: /Acme production/ }).click();
    const menuButton = page.getByRole('button', { name: 'Open page' });
    await menuButton.click();
    await expect
      .poll(() => page.getByRole('menuitem', { name: /^Open in/ }).allInnerTexts())
      .toEqual(['Open in Chromium', 'Open in Firefox']);
    await page.getByRole('menuitem', { name: 'Open in Firefox' }).click();
    await expect.poll(() => page.getByText('Opened the org in Firefox.').count()).toBe(1);
    const calls = await setup.standins.calls('firefox');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(1);
    expect(calls[0]![0]).toMatch(FRONTDOOR);
    const [listed] = await setup.handlers.listOrgs(undefined);
    const { instanceUrl } = await setup.handlers.getOrg({ id: listed!.id });
    expect(calls[0]![0]!.startsWith(`${instanceUrl}/secur/frontdoor.jsp?otp=`)).toBe(true);
    // Not the system browser, and not the other one.
    expect(frontdoorsOpened(setup)).toEqual([]);
    expect(await setup.standins.calls('chromium')).toEqual([]);
    // Focus goes back to the menu's button.
    await expect.poll(() => menuButton.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('saves "Open orgs in", and Open page uses it from then on, offering the system browser instead', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Settings' }).click();
    const group = page.getByRole('group', { name: 'Open orgs in' });
    await expect
      .poll(() => group.getByRole('radio').evaluateAll((els) => els.map((el) => el.parentElement?.textContent?.trim())))
      .toEqual(["The system's default browser", 'Chromium', 'Firefox']);
    expect(await group.getByRole('radio', { name: "The system's default browser" }).isChecked()).toBe(true);
    await group.getByRole('radio', { name: 'Chromium' }).check();
    await expect.poll(() => group.getByRole('status').innerText()).toBe('Orgs open in Chromium.');
    expect((await setup.handlers.getSettings(undefined)).openOrgsIn).toBe('chromium');

    await page.getByRole('button', { name: /Acme production/ }).click();
    const menuButton = page.getByRole('button', { name: 'Open page' });
    await menuButton.click();
    await expect
      .poll(() => page.getByRole('menuitem', { name: /^Open in/ }).allInnerTexts())
      .toEqual(['Open in Firefox', 'Open in the system browser']);
    await page.getByRole('menuitem', { name: 'Setup', exact: true }).click();
    await expect.poll(() => setup.standins.calls('chromium').then((c) => c.length)).toBe(1);
    const [[url]] = (await setup.standins.calls('chromium')) as [string[]];
    expect(url).toMatch(/startURL=%2Flightning%2Fsetup%2FSetupOneHome%2Fhome$/);
    expect(frontdoorsOpened(setup)).toEqual([]);

    // "Open in the system browser" still reaches the system browser, once.
    await menuButton.click();
    await page.getByRole('menuitem', { name: 'Open in the system browser' }).click();
    await expect.poll(() => frontdoorsOpened(setup).length).toBe(1);
    expect(frontdoorsOpened(setup)[0]).toMatch(FRONTDOOR);
    expect(app.problems).toEqual([]);
  });

  it('keeps the longer menu inside a small window: it scrolls, and the keyboard reaches every item', async () => {
    const page = app.page;
    await page.setViewportSize({ width: 800, height: 560 });
    try {
      const menuButton = page.getByRole('button', { name: 'Open page' });
      await menuButton.focus();
      await page.keyboard.press('ArrowDown');
      const menu = page.locator('.menu');
      const box = (await menu.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(560);
      await page.keyboard.press('End');
      const last = page.getByRole('menuitem', { name: /Copy a one-time login link/ });
      await expect.poll(() => last.evaluate((el) => el === document.activeElement)).toBe(true);
      const item = (await last.boundingBox())!;
      expect(item.y + item.height).toBeLessThanOrEqual(560);
      await page.keyboard.press('Escape');
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('says which browser failed and what to do, when it exits at once', async () => {
    const page = app.page;
    await setup.standins.install('firefox', 'fail');
    await page.getByRole('button', { name: 'Open page' }).click();
    await page.getByRole('menuitem', { name: 'Open in Firefox' }).click();
    await expect
      .poll(() => page.getByRole('alert').allInnerTexts())
      .toContainEqual(expect.stringMatching(/Firefox exited with code 3 at once/));
  });
});
