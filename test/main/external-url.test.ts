/**
 * The one policy for URLs that leave the app for the system browser (main/external-url.ts): the policy itself,
 * the page's `window.open` (main/window.ts), and the handlers that open sign-in pages, device verification
 * pages and orgs, wired to the real policy the way main/index.ts wires it, against the Salesforce double and
 * against a hostile login host whose answers point the browser at another local service.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserWindow } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { checkExternalUrl, externalOpener, isLocalHost, safeExternalHref } from '../../main/external-url';
import { createHandlers } from '../../main/services';
import { hardenWindow } from '../../main/window';
import { followCallback, freePort, loginAtSalesforceDouble } from '../servers/browser-login';
import { DEFAULT_CLIENT_ID, DEFAULT_USER, startSalesforceDouble } from '../servers/salesforce-double';
import { failureOf } from '../support/failure';
import { signInVia } from '../support/sign-in';
import { recordingSleep } from '../support/sleep';
import { openTestVault, tempDir } from '../support/vault';

const reasonOf = (url: string, trusted: string[] = []) => {
  const verdict = checkExternalUrl(url, trusted);
  return verdict.ok ? 'ok' : verdict.reason;
};

describe('the external-URL policy', () => {
  it('opens https addresses, handing over the parsed href', () => {
    expect(checkExternalUrl('https://login.salesforce.com/services/oauth2/authorize?client_id=a&scope=api')).toEqual({
      ok: true,
      href: 'https://login.salesforce.com/services/oauth2/authorize?client_id=a&scope=api',
    });
    expect(safeExternalHref('HTTPS://Acme.My.Salesforce.com')).toBe('https://acme.my.salesforce.com/');
    expect(safeExternalHref('https://acme.my.salesforce.com:8443/x#y')).toBe('https://acme.my.salesforce.com:8443/x#y');
    expect(safeExternalHref('https://help.salesforce.com/s/articleView?id=sf.remoteaccess.htm&type=5')).not.toBeNull();
  });

  it('never opens a URL with a user name or password, whatever the origin', () => {
    expect(reasonOf('https://login.salesforce.com@evil.example/')).toBe('credentials');
    expect(reasonOf('https://login.salesforce.com:443@evil.example/services/oauth2/authorize')).toBe('credentials');
    expect(reasonOf('https://user:pass@login.salesforce.com/')).toBe('credentials');
    expect(reasonOf('https://:secret@login.salesforce.com/')).toBe('credentials');
    expect(reasonOf('http://localhost@127.0.0.1:5000/', ['http://127.0.0.1:5000'])).toBe('credentials');
    // An empty user part is dropped by the parser: the address is not written as the browser reads it.
    expect(reasonOf('https://@evil.example/')).toBe('not-canonical');
    expect(reasonOf('https://:@evil.example/')).toBe('not-canonical');
    // Percent-encoding the @ does not make it part of the host.
    expect(reasonOf('https://login.salesforce.com%40evil.example/')).toBe('unparseable');
  });

  it('opens nothing but https and http', () => {
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(document.domain)//https://login.salesforce.com/',
      'vbscript:msgbox(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'file://server/share/x.exe',
      'ftp://files.example/x',
      'mailto:someone@example.com',
      'blob:https://login.salesforce.com/1234',
      'app://renderer/index.html',
      'chrome://settings',
      'ms-settings:privacy',
      'about:blank',
    ]) {
      expect(reasonOf(url), url).toBe('scheme');
    }
  });

  it('refuses whitespace, control characters and backslashes instead of repairing them', () => {
    for (const url of [
      ' https://login.salesforce.com/',
      'https://login.salesforce.com/ ',
      'https://login.sales\tforce.com/',
      'https://login.salesforce.com/\n',
      'https://login.salesforce.com/a b',
      '\u0000https://login.salesforce.com/',
      'https://login.salesforce.com/\u007f',
      'https:\\\\evil.example\\',
      'https://login.salesforce.com\\@evil.example/',
      'https://evil.example\\.login.salesforce.com/',
      '',
    ]) {
      expect(reasonOf(url), JSON.stringify(url)).toBe('characters');
    }
  });

  it('refuses Unicode look-alikes, takes punycode as written and never decodes it', () => {
    // Fullwidth letters and an ideographic full stop that the parser would turn into other hosts.
    expect(reasonOf('https://ｌｏｇｉｎ.salesforce.com/')).toBe('characters');
    expect(reasonOf('https://login.salesforce.com。evil.example/')).toBe('characters');
    // Cyrillic "аррӏе.com" and a Cyrillic "о" in "login".
    expect(reasonOf('https://аррӏе.com/')).toBe('characters');
    expect(reasonOf('https://lоgin.salesforce.com/')).toBe('characters');
    expect(reasonOf('https://login.salesforce.com/ä')).toBe('characters');
    // The same hosts in punycode are what the browser shows (and decides how to display) itself.
    expect(safeExternalHref('https://xn--80ak6aa92e.com/')).toBe('https://xn--80ak6aa92e.com/');
  });

  it('refuses addresses whose scheme and host are not written the way the browser reads them', () => {
    expect(reasonOf('https:evil.example/')).toBe('not-canonical');
    expect(reasonOf('https:/evil.example/')).toBe('not-canonical');
    expect(reasonOf('https:///evil.example/')).toBe('not-canonical');
    expect(reasonOf('https://login.salesforce.com:443/')).toBe('not-canonical');
    expect(reasonOf('https://login.salesforce.com./x')).toBe('ok');
    // Numeric spellings of 127.0.0.1 are not the trusted origin as written.
    expect(reasonOf('http://2130706433:5000/', ['http://127.0.0.1:5000'])).toBe('not-canonical');
    expect(reasonOf('http://0x7f.1:5000/', ['http://127.0.0.1:5000'])).toBe('not-canonical');
    expect(reasonOf('http://127.1:5000/', ['http://127.0.0.1:5000'])).toBe('not-canonical');
    expect(reasonOf('http://[0:0:0:0:0:0:0:1]:5000/', ['http://[::1]:5000'])).toBe('not-canonical');
    expect(reasonOf('https://', [])).toBe('unparseable');
    expect(reasonOf('https://[::1/')).toBe('unparseable');
    expect(reasonOf('login.salesforce.com')).toBe('unparseable');
  });

  it('opens loopback http only on the origin the operation talks to: same scheme, host and port', () => {
    const server = ['http://127.0.0.1:5000'];
    expect(safeExternalHref('http://127.0.0.1:5000/services/oauth2/authorize?x=1', server)).toBe(
      'http://127.0.0.1:5000/services/oauth2/authorize?x=1',
    );
    expect(safeExternalHref('http://localhost:1717/setup/connect', ['http://localhost:1717/ignored/path'])).toBe(
      'http://localhost:1717/setup/connect',
    );
    expect(safeExternalHref('http://[::1]:8080/x', ['http://[::1]:8080'])).toBe('http://[::1]:8080/x');
    // Another port, another loopback name for the same port, https instead of http: all other origins.
    expect(reasonOf('http://127.0.0.1:631/', server)).toBe('local-host');
    expect(reasonOf('http://127.0.0.1/', server)).toBe('local-host');
    expect(reasonOf('http://localhost:5000/', server)).toBe('local-host');
    expect(reasonOf('http://[::1]:5000/', server)).toBe('local-host');
    expect(reasonOf('https://127.0.0.1:5000/', server)).toBe('local-host');
    // Without a trusted origin (the page's window.open) no local host is opened at all.
    for (const url of [
      'http://localhost:631/',
      'http://127.0.0.1:631/admin',
      'http://[::1]:631/',
      'https://localhost:631/admin',
      'https://127.0.0.1/',
      'https://127.0.0.2:8443/',
      'https://0.0.0.0:631/',
      'https://localhost./',
      'https://printer.localhost/',
      'https://[::1]/',
      'https://[::]/',
      'https://[::ffff:7f00:1]/',
      'https://192.168.1.1/',
      'https://10.0.0.1/',
      'https://172.16.0.1/',
      'https://172.31.255.255/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
    ]) {
      expect(reasonOf(url), url).toBe('local-host');
    }
    expect(reasonOf('http://127.0.0.1:5000/')).toBe('local-host');
    expect(reasonOf('garbage', ['not a url'])).toBe('unparseable');
  });

  it('opens plain http nowhere but on a trusted loopback origin', () => {
    expect(reasonOf('http://login.salesforce.com/')).toBe('plain-http');
    expect(reasonOf('http://login.salesforce.com/', ['http://login.salesforce.com'])).toBe('plain-http');
    expect(reasonOf('http://192.168.1.1/', ['http://192.168.1.1'])).toBe('plain-http');
    expect(reasonOf('http://a.localhost:5000/', ['http://a.localhost:5000'])).toBe('plain-http');
    // https on a trusted local origin (a local https test server) is fine.
    expect(reasonOf('https://localhost:8443/x', ['https://localhost:8443'])).toBe('ok');
  });

  it('tells local hosts from public ones', () => {
    for (const host of ['localhost', 'LOCALHOST', 'x.localhost', '127.0.0.1', '127.255.0.9', '0.0.0.0', '10.1.2.3']) {
      expect(isLocalHost(host), host).toBe(true);
    }
    for (const host of ['[::1]', '[::]', '[::ffff:a00:1]', '[fc00::1]', '[fdab:1::2]', '[fe80::1]', '[febf::1]']) {
      expect(isLocalHost(host), host).toBe(true);
    }
    for (const host of [
      'login.salesforce.com',
      'localhost.example.com',
      'mylocalhost',
      '8.8.8.8',
      '172.15.0.1',
      '172.32.0.1',
      '192.169.0.1',
      '169.253.0.1',
      '11.0.0.1',
      '[2001:db8::1]',
      '[::ffff:808:808]',
      '[fc::1]',
      '[fec0::1]',
    ]) {
      expect(isLocalHost(host), host).toBe(false);
    }
  });

  it("main's opener checks against the server it is given, opens the parsed href, and refuses with an AppError", async () => {
    const opened: string[] = [];
    const open = externalOpener(async (href) => void opened.push(href));
    await open('HTTPS://Login.Salesforce.com/x', 'https://login.salesforce.com');
    await open('http://127.0.0.1:5000/setup/connect', 'http://127.0.0.1:5000/');
    const refused = await open('http://127.0.0.1:631/', 'http://127.0.0.1:5000').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'oauth/bad_response', message: expect.stringMatching(/only https/) });
    await expect(open('https://login.salesforce.com@evil.example/', 'https://login.salesforce.com')).rejects.toThrow(
      AppError,
    );
    expect(opened).toEqual(['https://login.salesforce.com/x', 'http://127.0.0.1:5000/setup/connect']);
  });
});

describe("the page's window.open", () => {
  function windowOpen() {
    let handler: ((details: { url: string }) => { action: string }) | null = null;
    const win = {
      webContents: {
        on: () => undefined,
        setWindowOpenHandler: (h: typeof handler) => void (handler = h),
      },
    } as unknown as BrowserWindow;
    const opened: string[] = [];
    hardenWindow(win, { openExternal: async (url: string) => void opened.push(url) }, 'app://renderer/index.html');
    return { open: (url: string) => handler!({ url }), opened };
  }

  it('is always denied; only https without credentials and off this machine reaches the browser, as parsed', () => {
    const { open, opened } = windowOpen();
    for (const url of [
      'https://login.salesforce.com@evil.example/',
      'https://user:pass@help.salesforce.com/',
      'http://localhost:631/',
      'https://localhost:631/',
      'https://192.168.1.1/',
      'http://help.salesforce.com/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      ' https://help.salesforce.com/',
      'https:\\\\evil.example',
      'https://ｌｏｇｉｎ.salesforce.com/',
      'HTTPS://Help.Salesforce.com',
    ]) {
      expect(open(url), url).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://help.salesforce.com/']);
  });
});

describe('the handlers, with the real policy', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** The bridge handlers over a temp vault, with main's opener (main/index.ts) recording instead of a browser. */
  async function app() {
    const temp = await tempDir();
    const vault = await openTestVault(temp.dir);
    const opened: string[] = [];
    const browser: { onOpen: ((href: string) => void) | null } = { onOpen: null };
    const handlers = createHandlers({
      appName: 'SF Token Inspector',
      version: '0.1.0-test',
      platform: 'linux',
      vault,
      now: Date.now,
      openExternal: externalOpener(async (href) => {
        opened.push(href);
        browser.onOpen?.(href);
      }),
      writeClipboard: async () => undefined,
      dialogs: { saveFile: async () => null, openJson: async () => null },
      cli: { env: { PATH: '' }, homeDir: temp.dir, installDirs: [] },
      browsers: { platform: 'linux', env: { PATH: '' }, homeDir: temp.dir },
      sleep: recordingSleep().sleep,
    });
    cleanups.push(async () => {
      handlers.close();
      await temp.cleanup();
    });
    return { handlers, vault, opened, browser };
  }

  async function double() {
    const callbackUrl = `http://localhost:${await freePort()}/OauthRedirect`;
    const sf = await startSalesforceDouble({
      apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [callbackUrl], deviceFlow: true }],
    });
    cleanups.push(() => sf.close());
    return { sf, callbackUrl };
  }

  async function profileFor(handlers: Awaited<ReturnType<typeof app>>['handlers'], callbackUrl: string) {
    return handlers.saveAppProfile({
      name: 'Policy test app',
      kind: 'external-client-app',
      consumerKey: DEFAULT_CLIENT_ID,
      callbackUrl,
      scopes: ['api', 'refresh_token', 'openid'],
    });
  }

  /** A login host and org whose answers point the browser elsewhere: discovery, device start, singleaccess. */
  async function hostile(answers: { authorize?: string; verification?: string; frontdoor?: string }) {
    let origin = '';
    const server: Server = createServer((req, res) => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const path = new URL(req.url ?? '/', origin).pathname;
      if (path === '/.well-known/openid-configuration') {
        return json(200, {
          issuer: origin,
          authorization_endpoint: answers.authorize ?? `${origin}/services/oauth2/authorize`,
          token_endpoint: `${origin}/token`,
          device_authorization_endpoint: `${origin}/device`,
          response_types_supported: ['code'],
        });
      }
      if (path === '/device') {
        return json(200, {
          device_code: 'device-code',
          user_code: 'BCDF-GHJK',
          verification_uri: answers.verification ?? `${origin}/setup/connect`,
          expires_in: 600,
          interval: 5,
        });
      }
      if (path === '/token') return json(400, { error: 'authorization_pending' });
      if (path === '/services/oauth2/singleaccess')
        return json(200, { frontdoor_uri: answers.frontdoor ?? `${origin}/secur/frontdoor.jsp?otp=1` });
      return json(404, { error: 'not_found' });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cleanups.push(() => new Promise<void>((ok) => server.close(() => ok())));
    return origin;
  }

  it("opens the sign-in page, the org and the device verification page on the double's own loopback origins", async () => {
    const { sf, callbackUrl } = await double();
    const { handlers, opened, browser } = await app();
    const profile = await profileFor(handlers, callbackUrl);
    browser.onOpen = (url) => {
      if (!url.includes('/services/oauth2/authorize')) return;
      void loginAtSalesforceDouble(url, { username: DEFAULT_USER.username, password: DEFAULT_USER.password })
        .then(({ callbackUrl: back }) => followCallback(back))
        .catch(() => undefined);
    };
    const org = await signInVia(handlers, {
      profileId: profile.id,
      loginHost: sf.loginUrl,
      method: 'authorization_code',
    });
    expect(opened[0]).toMatch(new RegExp(`^${sf.loginUrl}/services/oauth2/authorize\\?`));

    await handlers.openOrgInBrowser({ id: org.id });
    expect(org.instanceUrl).not.toBe(sf.loginUrl);
    expect(opened[1]).toMatch(new RegExp(`^${org.instanceUrl}/secur/frontdoor\\.jsp\\?otp=`));

    const start = await handlers.beginSignIn({ profileId: profile.id, loginHost: sf.loginUrl, method: 'device' });
    if (start.method !== 'device') throw new Error('expected a device start');
    await handlers.openDeviceVerification({ flowId: start.flowId });
    await handlers.cancelSignIn({ flowId: start.flowId });
    expect(opened[2]).toBe(start.verificationUri);
    expect(opened).toHaveLength(3);
  });

  it('refuses a sign-in page or verification page that a login host puts on another local port', async () => {
    const { handlers, opened } = await app();
    const profile = await profileFor(handlers, `http://localhost:${await freePort()}/OauthRedirect`);

    // A listed authorization endpoint on another local port is refused when the server is discovered, before
    // anything is opened.
    const authorizeElsewhere = await hostile({ authorize: 'http://127.0.0.1:631/services/oauth2/authorize' });
    const web = await failureOf(
      handlers.beginSignIn({ profileId: profile.id, loginHost: authorizeElsewhere, method: 'authorization_code' }),
    );
    expect(web).toMatchObject({ code: 'oauth/bad_response', message: expect.stringMatching(/authorization_endpoint/) });

    // The device verification page comes in the device authorization response: the opening policy refuses it.
    const verifyElsewhere = await hostile({ verification: 'http://localhost:631/admin' });
    const start = await handlers.beginSignIn({ profileId: profile.id, loginHost: verifyElsewhere, method: 'device' });
    expect(await failureOf(handlers.openDeviceVerification({ flowId: start.flowId }))).toMatchObject({
      code: 'oauth/bad_response',
    });
    await handlers.cancelSignIn({ flowId: start.flowId });
    expect(opened).toEqual([]);
  });

  it('refuses a verification page with credentials in it', async () => {
    const loginHost = await hostile({ verification: 'https://login.salesforce.com@evil.example/setup/connect' });
    const { handlers, opened } = await app();
    const profile = await profileFor(handlers, `http://localhost:${await freePort()}/OauthRedirect`);
    const start = await handlers.beginSignIn({ profileId: profile.id, loginHost, method: 'device' });
    expect((await failureOf(handlers.openDeviceVerification({ flowId: start.flowId })))?.code).toBe(
      'oauth/bad_response',
    );
    await handlers.cancelSignIn({ flowId: start.flowId });
    expect(opened).toEqual([]);
  });

  it("refuses an org link off the org's own local origin, or with credentials", async () => {
    const { sf, callbackUrl } = await double();
    const { handlers, vault, opened, browser } = await app();
    const profile = await profileFor(handlers, callbackUrl);
    browser.onOpen = (url) =>
      void loginAtSalesforceDouble(url, { username: DEFAULT_USER.username, password: DEFAULT_USER.password })
        .then(({ callbackUrl: back }) => followCallback(back))
        .catch(() => undefined);
    const org = await signInVia(handlers, {
      profileId: profile.id,
      loginHost: sf.loginUrl,
      method: 'authorization_code',
    });
    opened.length = 0;
    browser.onOpen = null;

    for (const frontdoor of [
      'http://127.0.0.1:631/secur/frontdoor.jsp?otp=1',
      'https://acme.my.salesforce.com@evil.example/secur/frontdoor.jsp?otp=1',
    ]) {
      const instance = await hostile({ frontdoor });
      const { record } = vault.requireOrg(org.id);
      await vault.saveOrg({ ...record, instanceUrl: instance });
      expect(await failureOf(handlers.openOrgInBrowser({ id: org.id })), frontdoor).toMatchObject({
        code: 'oauth/bad_response',
      });
    }
    expect(opened).toEqual([]);
  });
});
