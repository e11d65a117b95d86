/**
 * Story: an app in Salesforce allows only the user-agent flow. The consultant picks it in the wizard, reads
 * why the web server flow with PKCE is safer, and signs in. The real loopback listener serves its fragment
 * page to Chromium, whose script clears the fragment from the address bar before it posts it back; the org
 * appears with an access and a refresh token, and Refresh renews it with the refresh token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER } from '../servers/salesforce-double';
import { startWorld, type World } from '../support/sign-in';
import { startHarness, type AppPage, type Harness } from './harness';

describe('the user-agent flow', () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;
  const browser: {
    final: string[];
    /** The address bar while the page's post was on its way. */
    duringPost: string[];
    posts: { body: string; referer: string | undefined }[];
    problems: string[];
  } = { final: [], duringPost: [], posts: [], problems: [] };

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld({ app: { responseTypes: ['token'] }, scopes: ['api', 'refresh_token'] });
    app = await harness.open(world.services.handlers);
    const callback = new URL(world.callbackUrl);
    world.services.onOpen = (url) => {
      void (async () => {
        const page = await app.context.newPage();
        page.on('console', (m) => void (m.type() === 'error' && browser.problems.push(m.text())));
        page.on('pageerror', (e) => void browser.problems.push(e.message));
        await page.route(`${callback.origin}${callback.pathname}`, async (route) => {
          const request = route.request();
          if (request.method() === 'POST') {
            browser.posts.push({ body: request.postData() ?? '', referer: request.headers()['referer'] });
            browser.duringPost.push(await page.evaluate(() => location.href));
          }
          await route.continue();
        });
        await page.goto(url);
        await page.getByLabel('Username').fill(DEFAULT_USER.username);
        await page.getByLabel('Password').fill(DEFAULT_USER.password);
        await page.getByRole('button', { name: 'Allow' }).click();
        await page.waitForURL(/\/done$/);
        await page.getByText('Signed in to').waitFor();
        browser.final.push(`${page.url()}\n${await page.locator('body').innerText()}`);
      })();
    };
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  it('warns in the wizard that the web server flow with PKCE is safer', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Add your first org' }).click();
    await page.getByRole('radio', { name: /^User-agent flow/ }).check();
    const note = page.getByText(/RFC 9700/);
    await note.waitFor();
    expect(await note.innerText()).toMatch(/web server flow with PKCE/);
  });

  it('signs in through the fragment page, which clears the fragment before posting it', async () => {
    const page = app.page;
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill(world.double.loginUrl);
    await page.getByLabel('Label').fill('Acme implicit');
    await page.getByRole('button', { name: 'Sign in with the user-agent flow' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Acme implicit' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(new URL(world.services.opened[0]!).searchParams.get('response_type')).toBe('token');

    await expect.poll(() => browser.final.length, { timeout: 10_000 }).toBe(1);
    expect(browser.final[0]).toMatch(/\/done\n[\s\S]*Signed in to Acme implicit/);
    expect(browser.posts).toHaveLength(1);
    expect(browser.posts[0]!.body).toMatch(/^access_token=00D/);
    expect(browser.posts[0]!.referer).toBeUndefined();
    // The fragment left the address bar before the post went out.
    expect(browser.duringPost).toEqual([world.callbackUrl]);
    expect(browser.problems).toEqual([]);

    const table = page.getByRole('table', { name: 'Tokens of this org' });
    expect(await table.locator('tr[data-kind="refresh"]').count()).toBe(1);
    expect(await page.locator('main').innerText()).toContain('Browser (user-agent flow)');
  });

  it('renews with the refresh token like any other org', async () => {
    const [org] = await world.services.handlers.listOrgs(undefined);
    const before = (await world.services.handlers.revealToken({ id: org!.id, kind: 'access' })).token;
    await app.page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect.poll(() => world.double.refreshGrants()).toBe(1);
    await expect
      .poll(async () => (await world.services.handlers.revealToken({ id: org!.id, kind: 'access' })).token)
      .not.toBe(before);
  });

  it('ran without console errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
    expect(app.calls).toEqual(expect.arrayContaining(['beginSignIn', 'awaitSignIn', 'refreshOrg']));
  });
});
