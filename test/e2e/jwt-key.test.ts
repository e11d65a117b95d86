/**
 * Story: a profile saved without a private key gets one in the JWT bearer wizard, and the sign-in works. The
 * key and the profile's fields cross the bridge from Svelte state, so this fails if a `$state` proxy is sent.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type SalesforceDouble,
} from '../servers/salesforce-double';
import { testHandlers, type TestServices } from '../support/test-services';
import { startHarness, type AppPage, type Harness } from './harness';

describe('add a private key to an app profile and sign in with it', () => {
  let harness: Harness;
  let double: SalesforceDouble;
  let services: TestServices;
  let app: AppPage;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  beforeAll(async () => {
    harness = await startHarness();
    double = await startSalesforceDouble({
      apps: [
        {
          clientId: DEFAULT_CLIENT_ID,
          callbackUrls: [],
          jwtPublicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          preAuthorizedUsers: [DEFAULT_USER.username],
        },
      ],
    });
    services = await testHandlers();
    await services.handlers.saveAppProfile({
      name: 'Integration (JWT)',
      kind: 'connected-app',
      consumerKey: DEFAULT_CLIENT_ID,
      callbackUrl: 'http://localhost:1717/OauthRedirect',
      scopes: ['api'],
    });
    app = await harness.open(services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    await double?.close();
    await harness?.close();
  });

  it('stores the pasted key with the profile and signs in with a JWT assertion', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Add your first org' }).click();
    await page.getByLabel('JWT bearer').check();
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill(double.loginUrl);
    await page.getByRole('textbox', { name: 'Username' }).fill(DEFAULT_USER.username);
    await page
      .getByLabel('Or paste the private key (PEM)')
      .fill(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    await page.getByRole('button', { name: 'Sign in with the key' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: 'Tokens of this org' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await services.handlers.listAppProfiles(undefined)).toEqual([
      expect.objectContaining({ name: 'Integration (JWT)', hasPrivateKey: true }),
    ]);
    expect(app.problems).toEqual([]);
  });
});
