/**
 * Opening an org in a browser the user names (`sf org open --browser`), through the real handlers and the
 * Salesforce double: stand-in browsers on the PATH the test gives record what they were started with.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { browserStandins, type BrowserStandins } from '../support/browser-standin';
import { signIn, startWorld, type World } from '../support/sign-in';

const FRONTDOOR =
  /^http:\/\/127\.0\.0\.1:\d+\/secur\/frontdoor\.jsp\?otp=[\w-]+&startURL=%2Flightning%2Fsetup%2FSetupOneHome%2Fhome$/;

describe('opening an org in a named browser', () => {
  let world: World | undefined;
  let standins: BrowserStandins | undefined;
  afterEach(async () => {
    await world?.close();
    await standins?.cleanup();
    world = undefined;
  });

  async function setUp(): Promise<{ world: World; standins: BrowserStandins }> {
    standins = await browserStandins();
    world = await startWorld({ services: { browsers: { env: standins.env, launchGraceMs: 3000 } } });
    return { world, standins };
  }

  it('lists what is installed, and opens the frontdoor link in the one named, not the system browser', async () => {
    const { world, standins } = await setUp();
    await standins.install('firefox');
    await standins.install('chromium');
    const { handlers } = world.services;
    expect(await handlers.listBrowsers(undefined)).toEqual([
      { id: 'chromium', name: 'Chromium' },
      { id: 'firefox', name: 'Firefox' },
    ]);
    const org = await signIn(world);
    const opened = world.services.opened.length;
    await handlers.openOrgInBrowser({ id: org.id, path: '/lightning/setup/SetupOneHome/home', browser: 'firefox' });
    const [[url, ...more]] = (await standins.calls('firefox')) as [string[]];
    expect(more).toEqual([]);
    expect(url).toMatch(FRONTDOOR);
    expect(url).not.toContain((await handlers.revealToken({ id: org.id, kind: 'access' })).token);
    expect(world.services.opened).toHaveLength(opened);
    expect(await standins.calls('chromium')).toEqual([]);
  });

  it('opens orgs in the browser of the setting "Open orgs in" unless told otherwise', async () => {
    const { world, standins } = await setUp();
    await standins.install('chromium');
    const { handlers } = world.services;
    const org = await signIn(world);
    expect((await handlers.getSettings(undefined)).openOrgsIn).toBe('system');
    expect(await handlers.saveSettings({ openOrgsIn: 'chromium' })).toMatchObject({ openOrgsIn: 'chromium' });
    const opened = world.services.opened.length;
    await handlers.openOrgInBrowser({ id: org.id });
    expect(await standins.calls('chromium')).toHaveLength(1);
    expect(world.services.opened).toHaveLength(opened);
    // "system" asks for the system browser explicitly; a copied link goes to no browser at all.
    await handlers.openOrgInBrowser({ id: org.id, browser: 'system' });
    expect(world.services.opened).toHaveLength(opened + 1);
    await handlers.openOrgInBrowser({ id: org.id, copyLink: true });
    expect(await standins.calls('chromium')).toHaveLength(1);
    expect(world.services.clipboard.at(-1)).toMatch(/\/secur\/frontdoor\.jsp\?otp=/);
    // The setting outlives the session: it is in the vault's settings.
    expect(world.services.vault.settings.openOrgsIn).toBe('chromium');
  });

  it('spends no single-use link on a browser that is not installed, and says what to do', async () => {
    const { world } = await setUp();
    const org = await signIn(world);
    const links = () => world.double.requests.filter((r) => r.endsWith('/services/oauth2/singleaccess')).length;
    const before = links();
    await expect(world.services.handlers.openOrgInBrowser({ id: org.id, browser: 'edge' })).rejects.toMatchObject({
      code: 'browser/not_found',
      message: expect.stringMatching(/not found on your PATH.*Settings → Open orgs in/),
    });
    expect(links()).toBe(before);
  });

  it('says which browser failed when it exits with an error at once', async () => {
    const { world, standins } = await setUp();
    await standins.install('brave-browser', 'fail');
    const org = await signIn(world);
    await expect(world.services.handlers.openOrgInBrowser({ id: org.id, browser: 'brave' })).rejects.toMatchObject({
      code: 'browser/failed',
      message: expect.stringMatching(/^Brave exited with code 3 at once.*Copy a one-time login link/),
    });
  });
});
