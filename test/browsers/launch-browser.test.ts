/** Starting a named browser with a URL: stand-in executables on a PATH the test gives, recording their arguments. */
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { findBrowser, type BrowserPlaces } from '../../main/browsers/find-browsers';
import { launchBrowser, requireBrowser } from '../../main/browsers/launch-browser';
import { AppError } from '../../main/errors';
import { browserStandins, type BrowserStandins } from '../support/browser-standin';

const ORG = 'https://acme.my.salesforce.com';
const LINK = `${ORG}/secur/frontdoor.jsp?otp=abc-123_XYZ&startURL=%2Flightning%2Fsetup%2FSetupOneHome%2Fhome&x=1;y`;
const GRACE_MS = 300;

describe('launching a browser with an org link', () => {
  let standins: BrowserStandins;
  afterEach(async () => {
    await standins?.cleanup();
  });

  async function setUp(): Promise<BrowserPlaces> {
    standins = await browserStandins();
    return { platform: 'linux', env: standins.env, homeDir: '/nowhere' };
  }

  it('starts it with the URL as exactly one argument, & and ; intact, never through a shell', async () => {
    const places = await setUp();
    await standins.install('firefox');
    await launchBrowser(await requireBrowser(places, 'firefox'), LINK, ORG, GRACE_MS);
    await expect.poll(() => standins.calls('firefox')).toEqual([[LINK]]);
  });

  it('counts a browser still running after the grace period as started', async () => {
    const places = await setUp();
    await standins.install('google-chrome', 'linger');
    const started = Date.now();
    await launchBrowser(await requireBrowser(places, 'chrome'), LINK, ORG, GRACE_MS);
    expect(Date.now() - started).toBeGreaterThanOrEqual(GRACE_MS - 20);
    expect(await standins.calls('google-chrome')).toEqual([[LINK]]);
  });

  it('never starts the browser for a URL the external-URL policy refuses', async () => {
    const places = await setUp();
    await standins.install('firefox');
    const browser = await requireBrowser(places, 'firefox');
    for (const url of [
      'http://acme.my.salesforce.com/secur/frontdoor.jsp?otp=1',
      'file:///etc/passwd',
      'https://user:pw@acme.my.salesforce.com/',
      'https://acme.my.salesforce.com/ --new-window',
      'http://127.0.0.1:631/',
      '--remote-debugging-port=9222',
    ]) {
      await expect(launchBrowser(browser, url, ORG, GRACE_MS)).rejects.toMatchObject({ code: 'oauth/bad_response' });
    }
    // The org's own origin may be a local test server (the Salesforce double), as with the system browser.
    await launchBrowser(browser, 'http://127.0.0.1:4567/secur/frontdoor.jsp?otp=1', 'http://127.0.0.1:4567', GRACE_MS);
    expect(await standins.calls('firefox')).toEqual([['http://127.0.0.1:4567/secur/frontdoor.jsp?otp=1']]);
  });

  it('says which browser is missing, and where it was looked for', async () => {
    const places = await setUp();
    const error = await requireBrowser(places, 'edge').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'browser/not_found', message: expect.stringMatching(/edge.*PATH.*Settings/) });
    await expect(requireBrowser({ ...places, platform: 'darwin', appDirs: [] }, 'safari')).rejects.toThrow(
      /in Applications/,
    );
  });

  it('is an error naming the browser when it exits with an error at once, without the link in it', async () => {
    const places = await setUp();
    await standins.install('brave-browser', 'fail');
    const error = await launchBrowser(await requireBrowser(places, 'brave'), LINK, ORG, 5_000).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'browser/failed',
      message: expect.stringMatching(/^Brave exited with code 3/),
    });
    expect((error as AppError).message).not.toContain('otp');
    expect((error as AppError).cause).toBeUndefined();
    // It did receive the link: it failed after starting.
    expect(await standins.calls('brave-browser')).toEqual([[LINK]]);
  });

  it('is an error when the browser found is gone by the time it is started', async () => {
    const places = await setUp();
    const file = await standins.install('chromium');
    const browser = (await findBrowser(places, 'chromium'))!;
    await rm(file);
    const error = await launchBrowser(browser, LINK, ORG, GRACE_MS).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'browser/failed',
      message: expect.stringMatching(/^Chromium could not be started: it is no longer where it was found/),
    });
    expect(JSON.stringify(error)).not.toContain('otp');
  });
});
