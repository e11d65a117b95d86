/**
 * The three flows that broke in real Electron because a Svelte `$state` proxy crossed `contextBridge`
 * (structured clone throws on proxies; the Chromium harness of test/e2e does not clone, so only Electron
 * shows it): each is driven through the UI, as a person would, so the arguments come from renderer state.
 *   - Salesforce CLI import of the chosen orgs (the `chosen` array);
 *   - "Register a new app" with grants (the `grants` array);
 *   - adding a private key to a saved app profile (the profile's fields, `scopes` included, from state).
 * Selectors and fixtures are those of test/e2e/cli-import, register and jwt-key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { to18 } from '../../main/tokens/org-id';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_ORG_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type DoubleUser,
} from '../servers/salesforce-double';
import { freePort } from '../servers/browser-login';
import { installSfStandin } from '../support/sf-standin';
import { cliOrgsFor, startWorld } from '../support/sign-in';
import { callApi, describeElectron, launchApp, logInInBrowser, valueOf } from './launch';

const DEV: DoubleUser = { ...DEFAULT_USER, userId: to18('0055g00000DevUs'), username: 'dev@acme.example' };
const UAT: DoubleUser = { ...DEFAULT_USER, userId: to18('0055g00000UatUs'), username: 'uat@acme.example' };

describeElectron('flows whose arguments come from Svelte state, in real Electron', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  it('imports the chosen Salesforce CLI orgs', async () => {
    const world = await startWorld({
      double: { orgs: [{ orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [DEFAULT_USER, DEV, UAT] }] },
    });
    cleanups.push(() => world.close());
    const orgs = await cliOrgsFor(world, [
      [DEFAULT_USER, 'acme-prod'],
      [DEV, 'acme-dev'],
      [UAT, 'acme-uat'],
    ]);
    const standin = await installSfStandin({ orgs });
    cleanups.push(() => standin.cleanup());
    // The app looks for `sf` on its own PATH: the stand-in's folder (and node, which runs it) and nothing else.
    const app = await launchApp({ env: standin.env });
    cleanups.push(() => app.close());
    const page = app.page;

    await page.getByRole('button', { name: 'Add your first org' }).click();
    await page.getByLabel('Salesforce CLI').check();
    const table = page.getByRole('table', { name: 'Orgs of the Salesforce CLI' });
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(3);
    await page.getByRole('checkbox', { name: 'Import acme-prod' }).check();
    await page.getByRole('checkbox', { name: 'Import acme-uat' }).check();
    await page.getByRole('button', { name: 'Import 2 orgs' }).click();

    await expect
      .poll(() => page.getByRole('status').allInnerTexts(), { timeout: 30_000 })
      .toContainEqual(expect.stringMatching(/Imported 2 of 2 orgs from the Salesforce CLI/));
    const nav = page.getByRole('navigation', { name: 'Org list' });
    await expect.poll(() => nav.innerText()).toMatch(/acme-prod/);
    const imported = valueOf(await callApi(page, 'listOrgs', undefined));
    expect(imported.map((o) => o.label).sort()).toEqual(['acme-prod', 'acme-uat']);
    // Exactly the chosen orgs were read from the CLI.
    const displayed = (await standin.calls())
      .filter((argv) => argv[0] === 'org' && argv[1] === 'display')
      .map((argv) => argv[argv.findIndex((a) => a === '-o' || a === '--target-org') + 1]);
    expect(displayed.sort()).toEqual([DEFAULT_USER.username, UAT.username].sort());
    expect(app.problems).toEqual([]);
  });

  it('registers a new app with the chosen grants and signs in with it', async () => {
    const double = await startSalesforceDouble({ initialAccessToken: 'iat-from-setup' });
    cleanups.push(() => double.close());
    const app = await launchApp();
    cleanups.push(() => app.close());
    const page = app.page;

    await page.getByRole('button', { name: 'Add your first org' }).click();
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill(double.loginUrl);
    await page.getByLabel('App profile').selectOption('register');
    await page.getByLabel('Initial access token', { exact: true }).fill('iat-from-setup');
    await page.getByLabel('Name', { exact: true }).fill('Registered from the wizard');
    await page.getByLabel('Callback URL', { exact: true }).fill(`http://localhost:${await freePort()}/OauthRedirect`);
    const grants = page.getByRole('group', { name: 'Flows the new app may use' });
    await grants.getByLabel('Client credentials').check();
    await grants.getByLabel('JWT bearer').check();
    await page.getByRole('button', { name: 'Sign in with browser' }).click();

    const callback = await logInInBrowser(app, DEFAULT_USER);
    expect(callback.status, callback.body).toBeLessThan(400);
    await expect
      .poll(() => page.getByRole('table', { name: 'Tokens of this org' }).isVisible(), { timeout: 30_000 })
      .toBe(true);
    expect(double.requests).toContain('POST /services/oauth2/register');
    const profiles = valueOf(await callApi(page, 'listAppProfiles', undefined));
    expect(profiles).toEqual([expect.objectContaining({ name: 'Registered from the wizard', hasSecret: true })]);
    expect(double.apps.map((a) => a.clientId)).toContain(profiles[0]!.consumerKey);
    expect(app.problems).toEqual([]);
  });

  it('adds a private key to a saved app profile and signs in with it (JWT bearer)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const double = await startSalesforceDouble({
      apps: [
        {
          clientId: DEFAULT_CLIENT_ID,
          callbackUrls: [],
          jwtPublicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          preAuthorizedUsers: [DEFAULT_USER.username],
        },
      ],
    });
    cleanups.push(() => double.close());
    const app = await launchApp();
    cleanups.push(() => app.close());
    const page = app.page;

    // A profile saved without a key (as in an earlier session); the reload makes the window's state hold it.
    const saved = valueOf(
      await callApi(page, 'saveAppProfile', {
        name: 'Integration (JWT)',
        kind: 'connected-app',
        consumerKey: DEFAULT_CLIENT_ID,
        callbackUrl: 'http://localhost:1717/OauthRedirect',
        scopes: ['api'],
      }),
    );
    expect(saved.hasPrivateKey).toBe(false);
    await page.reload();

    await page.getByRole('button', { name: 'Add your first org' }).click();
    await page.getByLabel('JWT bearer').check();
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill(double.loginUrl);
    await expect.poll(() => page.getByLabel('App profile').inputValue()).toBe(saved.id);
    await page.getByRole('textbox', { name: 'Username' }).fill(DEFAULT_USER.username);
    await page
      .getByLabel('Or paste the private key (PEM)')
      .fill(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    await page.getByRole('button', { name: 'Sign in with the key' }).click();

    await expect
      .poll(() => page.getByRole('table', { name: 'Tokens of this org' }).isVisible(), { timeout: 30_000 })
      .toBe(true);
    expect(valueOf(await callApi(page, 'listAppProfiles', undefined))).toEqual([
      expect.objectContaining({ id: saved.id, name: 'Integration (JWT)', hasPrivateKey: true, scopes: ['api'] }),
    ]);
    expect(valueOf(await callApi(page, 'listOrgs', undefined))).toEqual([
      expect.objectContaining({ username: DEFAULT_USER.username, grant: 'jwt_bearer' }),
    ]);
    expect(app.problems).toEqual([]);
  });
});
