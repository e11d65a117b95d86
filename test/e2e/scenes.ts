/** The screens the screenshot script captures, each with the services it needs. */
import type { Page } from 'playwright-core';
import type { Handlers } from '../../preload/contract';
import { DEFAULT_ORG_ID, DEFAULT_USER } from '../servers/salesforce-double';
import { signIn, startWorld, type World } from '../support/sign-in';
import { installSfStandin } from '../support/sf-standin';
import { ManualScheduler, recordingNotifier } from '../support/manual-scheduler';
import { testHandlers } from '../support/test-services';
import { salesforceJwtAccessToken } from '../support/tokens';
import { adminTokensWorld } from '../support/admin-tokens-world';
import { browsersWorld } from '../support/browser-standin';

const MINUTE = 60_000;

export interface SceneSetup {
  handlers: Handlers;
  /** The Salesforce double and services behind the scene, when it has them. */
  world?: World;
  close(): Promise<void>;
}

export interface Scene {
  name: string;
  setup(): Promise<SceneSetup>;
  act(page: Page, setup: SceneSetup): Promise<void>;
}

async function pasteToken(page: Page, token: string): Promise<void> {
  const field = page.getByLabel('Token', { exact: true });
  await field.fill(token);
  await field.press('Enter');
}

/** A world with two signed-in orgs (one with JWT access tokens), shown in the org view. */
export async function orgsWorld(): Promise<SceneSetup> {
  const world = await startWorld({
    app: { tokenFormat: 'jwt' },
    double: {
      orgs: [
        { orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [DEFAULT_USER] },
        {
          orgId: '00D7F000001uatBUAQ',
          name: 'Acme UAT',
          myDomain: 'acme--uat',
          sandbox: true,
          users: [{ ...DEFAULT_USER, userId: '0057F000002uatAQAQ', username: 'admin@acme.example.uat' }],
        },
      ],
    },
  });
  const first = await signIn(world, world.double.loginUrl, { label: 'Acme production' });
  await world.services.handlers.updateOrg({ id: first.id, color: '#0b5cab', pinned: true });
  world.browser.username = 'admin@acme.example.uat';
  const second = await signIn(world, world.double.sandboxLoginUrl, { label: 'Acme UAT sandbox' });
  await world.services.handlers.updateOrg({ id: second.id, color: '#d97706' });
  return { handlers: world.services.handlers, world, close: () => world.close() };
}

/** The first org's stored access token, as the user would paste it after revealing it. */
async function storedAccessToken(setup: SceneSetup): Promise<string> {
  const [first] = await setup.handlers.listOrgs(undefined);
  return (await setup.handlers.revealToken({ id: first!.id, kind: 'access' })).token;
}

/** Opens an org, revokes one of its tokens through the confirmation, and waits for its row to say so. */
export async function revokeInPage(page: Page, org: RegExp, kind: 'access' | 'refresh'): Promise<void> {
  await page.getByRole('button', { name: org }).first().click();
  await page.getByRole('button', { name: `Revoke ${kind} token` }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: `Revoke ${kind} token` })
    .click();
  await page.locator(`tr[data-kind="${kind}"][data-status="revoked"]`).waitFor();
}

/** What a consultant's Salesforce CLI might hold (the tokens are never shown, so any text does). */
const CLI_ORGS = [
  { username: 'admin@acme.example', alias: 'acme-prod', isDefault: true, isDevHub: true },
  { username: 'admin@acme.example.uat', alias: 'acme-uat', isSandbox: true },
  { username: 'test-wq1kz@example.com', alias: 'feature-login', isScratch: true, expirationDate: '2026-12-09' },
  { username: 'ops@globex.example', alias: 'globex' },
].map((o, i) => ({
  ...o,
  orgId: `00D5g00000${i}XYZAEA4`.slice(0, 18),
  instanceUrl: `https://${o.alias}.my.salesforce.com`,
  loginUrl: o.isSandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com',
  accessToken: `00D5g00000${i}XYZ!AQ.not-a-real-token`,
}));

export const scenes: Scene[] = [
  {
    name: 'inspect-empty',
    setup: () => testHandlers(),
    act: async (page) => {
      await page.getByLabel('Token', { exact: true }).waitFor();
    },
  },
  {
    name: 'inspect-jwt',
    setup: () => testHandlers(),
    act: async (page) => {
      await pasteToken(page, await salesforceJwtAccessToken({ expiresInSeconds: 14 * 60 + 20 }));
      await page.getByText('Salesforce JWT access token').first().waitFor();
    },
  },
  {
    name: 'inspect-error',
    setup: () => testHandlers(),
    act: async (page) => {
      await pasteToken(page, 'eyJhbGciOiJSUzI1NiJ9.@@@not-base64@@@.c2ln');
      await page.getByRole('alert').filter({ hasText: 'Cannot read this token' }).waitFor();
    },
  },
  {
    name: 'org-view',
    setup: orgsWorld,
    act: async (page) => {
      await page.getByRole('button', { name: /Acme production/ }).click();
      await page.getByRole('table', { name: 'Tokens of this org' }).waitFor();
    },
  },
  {
    name: 'revoke-confirm',
    setup: orgsWorld,
    act: async (page) => {
      await page.getByRole('button', { name: /Acme production/ }).click();
      await page.getByRole('button', { name: 'Revoke refresh token' }).click();
      await page.getByRole('dialog').waitFor();
    },
  },
  {
    name: 'add-org',
    setup: orgsWorld,
    act: async (page) => {
      await page.getByRole('button', { name: '+ Add org' }).click();
      await page.getByRole('button', { name: 'Sign in with browser' }).waitFor();
    },
  },
  {
    // A first run: the guide to creating an External Client App, with the exact callback URL and scopes.
    name: 'add-org-guide',
    setup: () => testHandlers(),
    act: async (page) => {
      await page.getByRole('button', { name: 'Add your first org' }).click();
      await page.getByLabel('App profile').selectOption({ label: 'New app profile…' });
      await page.getByText('First time? Create the External Client App in Salesforce').click();
      await page.locator('details.guide ol').waitFor();
    },
  },
  {
    name: 'add-org-jwt',
    setup: orgsWorld,
    act: async (page, setup) => {
      await page.getByRole('button', { name: '+ Add org' }).click();
      await page.getByLabel('JWT bearer').check();
      await page.getByLabel('My Domain URL').check();
      await page.getByLabel('My Domain', { exact: true }).fill(setup.world!.double.loginUrl);
      await page.getByRole('textbox', { name: 'Username' }).fill('integration@acme.example');
      await page.getByRole('button', { name: 'Sign in with the key' }).waitFor();
    },
  },
  {
    name: 'device-code',
    setup: async () => {
      const world = await startWorld({ app: { deviceFlow: true } });
      return { handlers: world.services.handlers, world, close: () => world.close() };
    },
    act: async (page, setup) => {
      await page.getByRole('button', { name: '+ Add org' }).click();
      await page.getByLabel('Device code').check();
      await page.getByLabel('My Domain URL').check();
      await page.getByLabel('My Domain', { exact: true }).fill(setup.world!.double.loginUrl);
      await page.getByRole('button', { name: 'Get a code' }).click();
      await page.getByText('Enter this code at Salesforce').waitFor();
    },
  },
  {
    name: 'cli-import',
    setup: async () => {
      const standin = await installSfStandin({ orgs: CLI_ORGS });
      const services = await testHandlers({ cli: { env: standin.env } });
      return {
        handlers: services.handlers,
        close: async () => {
          await services.close();
          await standin.cleanup();
        },
      };
    },
    act: async (page) => {
      await page.getByRole('button', { name: '+ Add org' }).click();
      await page.getByLabel('Salesforce CLI').check();
      await page.getByRole('table').waitFor();
      await page.getByRole('checkbox', { name: 'Import acme-prod' }).check();
      await page.getByRole('checkbox', { name: 'Import feature-login' }).check();
    },
  },
  {
    name: 'quick-switcher',
    setup: orgsWorld,
    act: async (page) => {
      await page.getByRole('navigation', { name: 'Org list' }).waitFor();
      await page.keyboard.press('Control+k');
      await page.getByRole('combobox').fill('uat');
    },
  },
  {
    name: 'token-detail',
    setup: orgsWorld,
    act: async (page) => {
      await page.getByRole('button', { name: /Acme production/ }).click();
      await page.getByRole('button', { name: 'Inspect access token' }).click();
      await page.getByRole('button', { name: 'Verify signature' }).click();
      await page.getByText('Signature valid.').waitFor();
      await page.getByRole('region', { name: 'Decoded access token' }).scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'token-revealed',
    setup: orgsWorld,
    act: async (page) => {
      await page.getByRole('button', { name: /Acme production/ }).click();
      await page.getByRole('button', { name: 'Inspect access token' }).click();
      await page.getByRole('button', { name: 'Reveal access token' }).click();
      await page.getByRole('region', { name: 'Revealed access token' }).waitFor();
      await page.getByRole('region', { name: 'Decoded access token' }).getByRole('figure').scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'settings',
    setup: () => testHandlers(),
    act: async (page) => {
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings' }).waitFor();
    },
  },
  {
    name: 'sign-in-waiting',
    setup: async () => {
      const setup = await orgsWorld();
      // The browser opens but the person has not logged in yet.
      setup.world!.services.onOpen = null;
      return setup;
    },
    act: async (page, setup) => {
      await page.getByRole('button', { name: '+ Add org' }).click();
      // The double's login host, never the real login.salesforce.com: tests stay off the internet.
      await page.getByLabel('My Domain URL').check();
      await page.getByLabel('My Domain', { exact: true }).fill(setup.world!.double.loginUrl);
      await page.getByRole('button', { name: 'Sign in with browser' }).click();
      await page.getByText('Waiting for you to log in in your browser…').waitFor();
    },
  },
  {
    // An any-port callback URL at a server that matches redirect URIs exactly: after a few seconds the
    // waiting screen explains the browser's error page and offers a fixed port.
    name: 'sign-in-exact-redirect',
    setup: async () => {
      const setup = await orgsWorld();
      await setup.handlers.saveAppProfile({
        name: 'Any-port app',
        kind: 'external-client-app',
        consumerKey: setup.world!.profile.consumerKey,
        callbackUrl: 'http://127.0.0.1/callback',
        scopes: ['api', 'refresh_token'],
      });
      setup.world!.services.onOpen = null;
      return setup;
    },
    act: async (page, setup) => {
      // Playwright's clock, fast-forwarded: the explanation waits eight seconds of page time.
      await page.clock.install();
      await page.getByRole('button', { name: '+ Add org' }).click();
      await page.getByLabel('My Domain URL').check();
      await page.getByLabel('My Domain', { exact: true }).fill(setup.world!.double.loginUrl);
      await page.getByLabel('App profile').selectOption({ label: 'Any-port app (3MVG9double.…)' });
      await page.getByRole('button', { name: 'Sign in with browser' }).click();
      await page.getByText('Waiting for you to log in in your browser…').waitFor();
      await page.clock.fastForward(9_000);
      await page.getByRole('button', { name: /^Use port \d+ from now on$/ }).waitFor();
    },
  },
  {
    // Live decoding, encoded and decoded side by side, a claim row lit with its bytes in the token.
    name: 'inspect-linked',
    setup: () => testHandlers(),
    act: async (page) => {
      await page
        .getByLabel('Token', { exact: true })
        .fill(await salesforceJwtAccessToken({ expiresInSeconds: 14 * 60 + 20 }));
      const row = page.getByRole('table', { name: 'Payload' }).getByRole('row').filter({ hasText: /^exp/ });
      await row.first().hover();
    },
  },
  {
    // Two tokens compared claim by claim: an earlier and a later access token of the same user.
    name: 'inspect-compare',
    setup: () => testHandlers(),
    act: async (page) => {
      await page
        .getByLabel('Token', { exact: true })
        .fill(await salesforceJwtAccessToken({ expiresInSeconds: 5 * 60 }));
      await page.getByRole('button', { name: 'Compare with another token' }).click();
      await page
        .getByLabel('Second token', { exact: true })
        .fill(await salesforceJwtAccessToken({ expiresInSeconds: 2 * 3600 }));
      const diff = page.getByRole('heading', { name: 'First token and Second token' });
      await diff.waitFor();
      await diff.scrollIntoViewIfNeeded();
    },
  },
  {
    // A pasted token's signature checked against its issuer's keys, fetched only on the click.
    name: 'inspect-verify',
    setup: orgsWorld,
    act: async (page, setup) => {
      await page.getByLabel('Token', { exact: true }).fill(await storedAccessToken(setup));
      const panel = page.getByRole('region', { name: 'Check signature' });
      await panel.getByRole('button', { name: 'Fetch keys and check' }).click();
      await panel.getByText(/valid/i).first().waitFor();
      await panel.scrollIntoViewIfNeeded();
    },
  },
  {
    // A pasted token recognised as a stored org's, and introspected there.
    name: 'inspect-pasted-actions',
    setup: orgsWorld,
    act: async (page, setup) => {
      await page.getByLabel('Token', { exact: true }).fill(await storedAccessToken(setup));
      const region = page.getByRole('region', { name: 'Act on this token' });
      await region.getByRole('button', { name: 'Introspect there' }).click();
      await region.getByRole('table', { name: 'Introspection of the pasted token' }).waitFor();
      await region.scrollIntoViewIfNeeded();
    },
  },
  {
    // The stored ID token with every OpenID Connect check it passed when it was received.
    name: 'id-token-checks',
    setup: orgsWorld,
    act: async (page) => {
      await page.getByRole('button', { name: /Acme production/ }).click();
      await page.getByRole('button', { name: 'Inspect ID token' }).click();
      const checks = page.getByRole('list', { name: 'ID token validation' });
      await checks.waitFor();
      await checks.scrollIntoViewIfNeeded();
    },
  },
  {
    // The API console after a SOQL query: status, API usage, headers and the records.
    name: 'api-console',
    setup: orgsWorld,
    act: async (page) => {
      await page.getByRole('button', { name: /Acme production/ }).click();
      await page.getByRole('button', { name: 'API console' }).click();
      const panel = page.getByRole('region', { name: 'API console' });
      await page.getByRole('textbox', { name: /^SOQL query/ }).fill('SELECT Id, Name FROM Account LIMIT 5');
      await panel.getByRole('button', { name: 'Run query' }).click();
      await panel.getByRole('region', { name: 'Answer' }).waitFor();
    },
  },
  {
    // Copy as…: the token as a header, a command or variables, put on the clipboard by main.
    name: 'copy-as-menu',
    setup: orgsWorld,
    act: async (page) => {
      await page.getByRole('button', { name: /Acme production/ }).click();
      await page.getByRole('button', { name: 'Copy as…' }).click();
      await page.getByRole('menu').waitFor();
    },
  },
  {
    // The palette's actions for one org (→ on an org).
    name: 'palette-actions',
    setup: orgsWorld,
    act: async (page) => {
      await page.getByRole('navigation', { name: 'Org list' }).waitFor();
      await page.keyboard.press('Control+k');
      await page.getByRole('combobox').fill('acme prod');
      await page.getByRole('combobox').press('ArrowRight');
      await page.getByRole('dialog', { name: /Actions for/ }).waitFor();
    },
  },
  {
    // The sidebar collapsed to a rail: the org view gets the whole window.
    name: 'sidebar-collapsed',
    setup: orgsWorld,
    act: async (page) => {
      await page.getByRole('button', { name: /Acme production/ }).click();
      await page.getByRole('button', { name: 'Hide the sidebar' }).click();
      await page.getByRole('button', { name: 'Show the sidebar' }).waitFor();
    },
  },
  {
    // The access token revoked: its row says so with the server's confirmation; the refresh token still works.
    name: 'org-revoked-access',
    setup: orgsWorld,
    act: async (page) => {
      await revokeInPage(page, /Acme production/, 'access');
      await page.getByText(/introspection confirms inactive/).waitFor();
    },
  },
  {
    // The refresh token revoked: the cascade on every row, the ID token still valid, and one way out.
    name: 'org-revoked-refresh',
    setup: orgsWorld,
    act: async (page) => {
      await revokeInPage(page, /Acme production/, 'refresh');
      await page.getByRole('region', { name: 'Sign in again' }).waitFor();
    },
  },
  // Asset tokens and ID token settings (Salesforce's asset token flow; the app's "Configure ID token").
  {
    // An asset token for a device: the form, and the token decoded with its signature checked.
    name: 'asset-token',
    setup: async () => {
      const world = await startWorld({ app: { assetTokens: { audiences: ['https://devices.acme.example'] } } });
      await signIn(world, world.double.loginUrl, { label: 'Acme production' });
      return { handlers: world.services.handlers, world, close: () => world.close() };
    },
    act: async (page) => {
      await page.getByRole('button', { name: /Acme production/ }).click();
      await page.getByRole('button', { name: 'Request an asset token…' }).click();
      const panel = page.getByRole('region', { name: 'Asset token', exact: true });
      await panel.getByLabel(/^Device ID/).fill('c0ffee00-1111-4222-8333-444455556666');
      await panel.getByLabel(/^Serial number/).fill('SN-0042');
      await panel.getByLabel(/^Account ID/).fill('0015g00000AbCdEAAV');
      await panel.getByRole('button', { name: 'Request asset token' }).click();
      const issued = panel.getByRole('region', { name: 'Issued asset token' });
      await issued.waitFor();
      await page.mouse.move(0, 0);
      await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    },
  },
  {
    // An ID token with custom attributes and permissions, an extra audience and its own validity, explained.
    name: 'id-token-settings',
    setup: async () => {
      const world = await startWorld({
        app: {
          idToken: {
            validForMinutes: 10,
            audiences: ['https://orders.acme.example'],
            customAttributes: { Region: 'EMEA', CostCenter: 'CC-7' },
            customPermissions: { Approve_Refunds: true, See_Costs: false },
          },
        },
      });
      await signIn(world, world.double.loginUrl, { label: 'Acme production' });
      return { handlers: world.services.handlers, world, close: () => world.close() };
    },
    act: async (page) => {
      await page.getByRole('button', { name: /Acme production/ }).click();
      await page.getByRole('button', { name: /^Inspect id token/ }).click();
      const decoded = page.getByRole('region', { name: 'Decoded id token' });
      const payload = decoded.getByRole('table', { name: 'Payload' });
      await payload
        .getByRole('rowheader', { name: 'custom_attributes' })
        .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    },
  },
  {
    // Health in the background: the check interval and notifications, with what runs and what it sends where.
    name: 'settings-health',
    setup: async () => {
      const services = await testHandlers({ scheduler: new ManualScheduler(), notifier: recordingNotifier() });
      await services.handlers.saveSettings({ healthCheckMinutes: 30 });
      return services;
    },
    act: async (page) => {
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('group', { name: 'In the background' }).scrollIntoViewIfNeeded();
    },
  },
  {
    // Messages with the desktop notifications a background check showed, above the window's own messages.
    name: 'notification-history',
    setup: async () => {
      // The app's and the double's clock stay the real one, so the screen's times agree; only the timers are driven.
      const scheduler = new ManualScheduler();
      const world = await startWorld({
        double: {
          orgs: [
            { orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [DEFAULT_USER] },
            {
              orgId: '00D7F000001uatBUAQ',
              name: 'Acme UAT',
              myDomain: 'acme--uat',
              sandbox: true,
              sessionTimeoutSeconds: 4 * 60,
              users: [{ ...DEFAULT_USER, userId: '0057F000002uatAQAQ', username: 'admin@acme.example.uat' }],
            },
          ],
        },
        services: { scheduler, notifier: recordingNotifier() },
      });
      const prod = await signIn(world, world.double.loginUrl, { label: 'Acme Prod' });
      world.browser.username = 'admin@acme.example.uat';
      const uat = await signIn(world, world.double.sandboxLoginUrl, { label: 'Acme UAT' });
      const { handlers } = world.services;
      // Acme UAT keeps only its access token (as a pasted session would): nothing can renew it.
      const { vault } = world.services;
      const access = vault.requireOrg(uat.id).tokens.find((t) => t.kind === 'access')!;
      await vault.saveTokens(uat.id, [{ meta: access, value: null }]);
      await handlers.saveSettings({ healthCheckMinutes: 15 });
      const refresh = (await handlers.revealToken({ id: prod.id, kind: 'refresh' })).token;
      await fetch(`${world.double.loginUrl}/services/oauth2/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refresh }),
      });
      await scheduler.advance(15 * MINUTE);
      return { handlers, world, close: () => world.close() };
    },
    act: async (page) => {
      await page
        .getByRole('button', { name: /Acme Prod/ })
        .first()
        .click();
      await page.getByRole('button', { name: /^Messages \(\d+\)$/ }).click();
      await page.getByRole('list', { name: 'Desktop notifications' }).waitFor();
    },
  },
  {
    // An org's edit form with "Renew ahead of expiry", which says what it sends where.
    name: 'org-edit-refresh-ahead',
    setup: orgsWorld,
    act: async (page) => {
      await page.getByRole('button', { name: /Acme production/ }).click();
      await page.getByRole('button', { name: 'Edit label and group' }).click();
      await page.getByRole('checkbox', { name: 'Renew ahead of expiry' }).check();
    },
  },
  {
    // A code by hand: the app's callback URL is Salesforce's success page, so the wizard waits for the pasted
    // address; here one from another attempt, refused next to the field.
    name: 'sign-in-manual-code',
    setup: async () => {
      const setup = await orgsWorld();
      const success = 'https://login.salesforce.com/services/oauth2/success';
      setup.world!.double.apps[0]!.callbackUrls.push(success);
      await setup.handlers.saveAppProfile({
        name: 'Success page app',
        kind: 'connected-app',
        consumerKey: setup.world!.profile.consumerKey,
        callbackUrl: success,
        scopes: ['api', 'refresh_token'],
      });
      // The browser opens but the person has not pasted anything yet.
      setup.world!.services.onOpen = null;
      return setup;
    },
    act: async (page, setup) => {
      await page.getByRole('button', { name: '+ Add org' }).click();
      await page.getByLabel('My Domain URL').check();
      await page.getByLabel('My Domain', { exact: true }).fill(setup.world!.double.loginUrl);
      await page.getByLabel('App profile').selectOption({ label: 'Success page app (3MVG9double.…)' });
      await page.getByRole('button', { name: 'Sign in with browser' }).click();
      const field = page.getByLabel('Address or code');
      await field.fill(
        'https://login.salesforce.com/services/oauth2/success?code=aPrx0jWjRo8KRXuAzFrwZnnxHq9GdqyFmDttQJMANnGVcTTVyJZgC1Y5CQbJFtZgPegjZvl5pg%3D%3D&state=an-earlier-attempt',
      );
      await page.getByRole('button', { name: 'Use this code' }).click();
      await page.getByRole('alert').filter({ hasText: 'another sign-in attempt' }).waitFor();
    },
  },
  {
    // The user-agent flow chosen in the wizard: the warning says why the web server flow with PKCE is safer.
    name: 'sign-in-user-agent',
    setup: orgsWorld,
    act: async (page) => {
      await page.getByRole('button', { name: '+ Add org' }).click();
      await page.getByRole('radio', { name: /^User-agent flow/ }).check();
      await page.getByText(/RFC 9700/).waitFor();
    },
  },
  {
    // Org-wide OAuth tokens for an admin: who sees what, usage per app, the tokens grouped by app.
    name: 'admin-tokens',
    setup: async () => {
      const { world } = await adminTokensWorld();
      return { handlers: world.services.handlers, world, close: () => world.close() };
    },
    act: async (page) => {
      await page.getByRole('button', { name: /Acme production/ }).click();
      await page.getByRole('button', { name: 'List OAuth tokens' }).click();
      await page.getByRole('note', { name: 'Whose tokens are listed' }).waitFor();
      await page.getByRole('button', { name: /^Load all/ }).click();
      await page.getByText('518 of 518 tokens listed').waitFor();
      await page
        .getByRole('checkbox', { name: /^Select Data Loader's token for Cy Clerk/ })
        .first()
        .check();
      await page
        .getByRole('region', { name: 'OAuth tokens of the org' })
        .evaluate((section) => section.scrollIntoView({ block: 'start' }));
    },
  },
  {
    // Open page with Chrome chosen in Settings → Open orgs in: the menu offers the other browsers found.
    name: 'open-in-browser',
    setup: async () => {
      const setup = await browsersWorld();
      await setup.handlers.saveSettings({ openOrgsIn: 'chrome' });
      return setup;
    },
    act: async (page) => {
      await page.getByRole('button', { name: /Acme production/ }).click();
      await page.getByRole('button', { name: 'Open page' }).click();
      await page.getByRole('menuitem', { name: 'Open in Firefox' }).waitFor();
    },
  },
  {
    // The fleet: every org in one table, sorted by status, two selected.
    name: 'fleet',
    setup: fleetWorld,
    act: async (page) => {
      await page.getByRole('button', { name: 'Fleet: all orgs' }).click();
      const grid = page.getByRole('grid', { name: 'All orgs' });
      await grid.getByRole('button', { name: 'Status and evidence' }).click();
      await grid.getByRole('checkbox', { name: 'Select Globex production' }).check();
      await grid.getByRole('checkbox', { name: 'Select Initech production' }).check();
    },
  },
  {
    // Check all found the org the server no longer accepts; re-authenticating it waits in the browser, with
    // Skip and Cancel.
    name: 'fleet-progress',
    setup: async () => {
      const setup = await fleetWorld();
      setup.world!.services.onOpen = null;
      return setup;
    },
    act: async (page) => {
      await page.getByRole('button', { name: 'Fleet: all orgs' }).click();
      await page.getByRole('button', { name: 'Check all' }).click();
      await page.getByRole('button', { name: 'Done' }).waitFor();
      await page.getByRole('grid').getByRole('checkbox', { name: 'Select Globex production' }).check();
      await page.getByRole('button', { name: 'Re-authenticate (1)' }).click();
      await page.getByText(/Waiting for you to log in to/).waitFor();
    },
  },
];

/** Orgs of the fleet scenes: [label, sandbox, minutes its access tokens last]. */
const FLEET_ORGS: [string, boolean, number][] = [
  ['Acme production', false, 120],
  ['Acme UAT', true, 120],
  ['Globex production', false, 120],
  ['Globex QA', true, 8],
  ['Initech production', false, 120],
  ['Umbrella staging', true, 120],
];

/**
 * Six signed-in orgs of different clients, production and sandbox, one whose access token expires within
 * minutes, and one (Globex production) whose refresh token an admin revoked at the server: the app has not
 * been told, so only a check finds it.
 */
export async function fleetWorld(): Promise<SceneSetup> {
  const users = FLEET_ORGS.map(([label], i) => ({
    ...DEFAULT_USER,
    userId: `0055g000001Flt${i}AAV`,
    username: `admin@${label.split(' ')[0]!.toLowerCase()}${i}.example`,
  }));
  const world = await startWorld({
    double: {
      orgs: FLEET_ORGS.map(([label, sandbox, minutes], i) => ({
        orgId: `00D5g000001Flt${i}AEA`,
        name: label.split(' ')[0]!,
        myDomain: `${label.split(' ')[0]!.toLowerCase()}${i}`,
        sandbox,
        sessionTimeoutSeconds: minutes * 60,
        users: [users[i]!],
      })),
    },
  });
  for (const [i, [label, sandbox]] of FLEET_ORGS.entries()) {
    world.browser.username = users[i]!.username;
    const org = await signIn(world, sandbox ? world.double.sandboxLoginUrl : world.double.loginUrl, { label });
    await world.services.handlers.updateOrg({ id: org.id, group: `Client ${label.split(' ')[0]}` });
    if (label === 'Globex production') {
      const { token } = await world.services.handlers.revealToken({ id: org.id, kind: 'refresh' });
      const r = await fetch(`${world.double.loginUrl}/services/oauth2/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
      });
      if (r.status !== 200) throw new Error(`the double did not revoke: HTTP ${r.status}`);
    }
  }
  return { handlers: world.services.handlers, world, close: () => world.close() };
}
