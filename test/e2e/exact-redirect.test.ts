/**
 * Story: an app profile's callback URL is `http://127.0.0.1/callback` (any-port loopback, RFC 8252 §7.3), but
 * the server matches redirect URIs exactly: the Salesforce double, whose app lists only one fixed-port URL.
 * The browser shows the server's error page; the waiting screen explains it after a few seconds and switches
 * the profile to the port it just used. Once that URL is registered at the server, signing in again works.
 * The page's clock is Playwright's, fast-forwarded, so nothing waits eight real seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppProfile } from '../../preload/contract';
import { DEFAULT_USER } from '../servers/salesforce-double';
import { startWorld, type World } from '../support/sign-in';
import { startHarness, type AppPage, type Harness } from './harness';

const ANY_PORT = 'http://127.0.0.1/callback';

describe('a server that matches redirect URIs exactly', () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;
  let profile: AppProfile;
  /** What the "system browser" showed after each authorize request. */
  const browserPages: string[] = [];

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld();
    // The double's app lists only world.callbackUrl (a fixed port), never the any-port URL.
    expect(world.double.apps[0]!.callbackUrls).toEqual([world.callbackUrl]);
    profile = await world.services.handlers.saveAppProfile({
      name: 'Any-port app',
      kind: 'external-client-app',
      consumerKey: world.profile.consumerKey,
      callbackUrl: ANY_PORT,
      scopes: ['api', 'refresh_token'],
    });
    app = await harness.open(world.services.handlers);
    await app.page.clock.install();
    world.services.onOpen = (url) => {
      void (async () => {
        const page = await app.context.newPage();
        await page.goto(url);
        const body = await page.locator('body').innerText();
        if (!body.includes('redirect_uri_mismatch')) {
          await page.getByLabel('Username').fill(DEFAULT_USER.username);
          await page.getByLabel('Password').fill(DEFAULT_USER.password);
          await page.getByRole('button', { name: 'Allow' }).click();
          await page.waitForURL(/\/done$/);
        }
        browserPages.push(await page.locator('body').innerText());
      })();
    };
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  async function startSignIn(): Promise<void> {
    const page = app.page;
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill(world.double.loginUrl);
    await page.getByLabel('App profile').selectOption(profile.id);
    await page.getByRole('button', { name: 'Sign in with browser' }).click();
  }

  it('explains the refused any-port redirect after a few seconds, and switches the profile to that port', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Add your first org' }).click();
    await startSignIn();
    await page.getByText('Waiting for you to log in in your browser…').waitFor();
    await expect.poll(() => browserPages).toEqual([expect.stringContaining('redirect_uri_mismatch')]);
    const sent = new URL(world.services.opened[0]!).searchParams.get('redirect_uri')!;
    expect(sent).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const port = new URL(sent).port;

    // Not at once: a browser that is merely slow gets its few seconds first.
    const explanation = page.getByText('this server matches redirect URIs exactly');
    await page.clock.fastForward(3_000);
    await page.waitForTimeout(1_200);
    expect(await explanation.isVisible()).toBe(false);
    await page.clock.fastForward(6_000);
    await expect.poll(() => explanation.isVisible()).toBe(true);
    const waiting = page.getByRole('status').filter({ hasText: 'Waiting for you to log in' });
    expect(await waiting.innerText()).toContain(sent);

    // Keyboard: Tab reaches the switch button; Enter presses it, and focus stays on the same button.
    const useFixed = page.getByRole('button', { name: `Use port ${port} from now on` });
    await page.locator('body').focus();
    for (let i = 0; i < 40 && !(await useFixed.evaluate((b) => b === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    expect(await useFixed.evaluate((b) => b === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const copy = page.getByRole('button', { name: 'Copy the callback URL' });
    await expect.poll(() => copy.isVisible()).toBe(true);
    expect(await copy.evaluate((b) => b === document.activeElement)).toBe(true);
    expect(await waiting.innerText()).toMatch(
      new RegExp(`This profile now uses ${sent.replace(/[.]/g, '\\.')}\\. Register exactly that URL at the server`),
    );

    const saved = (await world.services.handlers.listAppProfiles(undefined)).find((p) => p.id === profile.id)!;
    expect(saved.callbackUrl).toBe(sent);
    expect(saved.consumerKey).toBe(profile.consumerKey);
    expect(saved.scopes).toEqual(profile.scopes);
  });

  it('signs in with the fixed port once that URL is registered at the server', async () => {
    const page = app.page;
    const saved = (await world.services.handlers.listAppProfiles(undefined)).find((p) => p.id === profile.id)!;
    world.double.apps[0]!.callbackUrls.push(saved.callbackUrl);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await startSignIn();
    await expect
      .poll(() => page.getByRole('navigation', { name: 'Org list' }).innerText(), { timeout: 15_000 })
      .toMatch(/Connected/);
    expect(new URL(world.services.opened[1]!).searchParams.get('redirect_uri')).toBe(saved.callbackUrl);
    await expect.poll(() => browserPages[1]).toMatch(/Signed in/);
  });

  it('ran without console errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
    expect(app.calls).toEqual(expect.arrayContaining(['beginSignIn', 'saveAppProfile', 'cancelSignIn']));
  });
});
