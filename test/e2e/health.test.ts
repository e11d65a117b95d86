/**
 * Story: the user turns on the background check and renewing ahead for an org; a check in the background
 * finds the refresh token revoked at the server, and Messages lists the desktop notification it showed.
 * The built renderer in Chromium, the real handlers and vault, the Salesforce double, and timers the test
 * drives (main/orgs/health-monitor.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualScheduler, recordingNotifier } from '../support/manual-scheduler';
import { signIn, startWorld, type World } from '../support/sign-in';
import { startHarness, type AppPage, type Harness } from './harness';

const MINUTE = 60_000;

describe('health in the background', () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;
  const scheduler = new ManualScheduler();
  const notifier = recordingNotifier();
  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld({
      double: { now: scheduler.now },
      services: { now: scheduler.now, scheduler, notifier },
    });
    await signIn(world, world.double.loginUrl, { label: 'Acme Prod' });
    app = await harness.open(world.services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  it('saves the check interval and the notification setting, and says what runs', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Settings' }).click();
    const group = page.getByRole('group', { name: 'In the background' });
    await expect.poll(() => group.innerText()).toMatch(/only to that org's own servers/);
    const interval = group.getByLabel('Check every org');
    expect(await interval.inputValue()).toBe('0');
    await interval.selectOption({ label: 'Every 15 minutes' });
    await group.getByText('Every org is checked every 15 minutes.').waitFor();
    expect(world.services.vault.settings.healthCheckMinutes).toBe(15);
    expect(scheduler.pending()).toContain(15 * MINUTE);

    const box = group.getByRole('checkbox', { name: 'Desktop notifications' });
    expect(await box.isChecked()).toBe(true);
    await box.uncheck();
    await group.getByText('Desktop notifications are off.').waitFor();
    expect(world.services.vault.settings.notifications).toBe(false);
    await box.check();
    await group.getByText('Desktop notifications are on.').waitFor();
    expect(world.services.vault.settings.notifications).toBe(true);

    // A restart of the window reads them back from main.
    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    expect(await page.getByLabel('Check every org').inputValue()).toBe('15');
  });

  it("turns on renewing ahead in the org's edit form", async () => {
    const page = app.page;
    await page
      .getByRole('button', { name: /Acme Prod/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Edit label and group' }).click();
    const form = page.getByRole('form', { name: 'Edit org' });
    await form.getByRole('checkbox', { name: 'Renew ahead of expiry' }).check();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => world.services.vault.listOrgs()[0]?.record.refreshAhead).toBe(true);
  });

  it('lists the desktop notification a background check showed, and clears it', async () => {
    const page = app.page;
    const [org] = world.services.vault.listOrgs();
    const refresh = (await world.services.handlers.revealToken({ id: org!.record.id, kind: 'refresh' })).token;
    const r = await fetch(`${world.double.loginUrl}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refresh }),
    });
    expect(r.status).toBe(200);
    await scheduler.advance(15 * MINUTE);
    expect(notifier.shown).toHaveLength(1);

    // Clicking the notification focuses the window (main/notifier-electron.ts), which asks for the list again.
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await page.getByRole('button', { name: /^Messages \(\d+\)$/ }).click();
    const panel = page.getByRole('region', { name: 'Earlier messages' });
    await expect.poll(() => panel.evaluate((el) => el === document.activeElement)).toBe(true);
    const list = panel.getByRole('list', { name: 'Desktop notifications' });
    await expect
      .poll(() => list.innerText())
      .toMatch(/Acme Prod: the refresh token was revoked \(introspection said inactive at .+\): re-authenticate\./);

    await panel.getByRole('button', { name: 'Clear' }).click();
    await list.waitFor({ state: 'detached' });
    expect(await world.services.handlers.listNotifications(undefined)).toEqual([]);
    expect(app.problems).toEqual([]);
  });
});
