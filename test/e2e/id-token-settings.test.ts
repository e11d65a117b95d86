/**
 * Story: an admin signs in with an app whose ID token settings add custom attributes, custom permissions, an
 * audience and a longer validity, and inspects the ID token: the attributes and permissions are shown as
 * labelled groups, and the validity and the audiences are explained with the settings behind them. Chromium
 * runs the built renderer over the real preload factory and main router, against the Salesforce double.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startWorld, type World } from '../support/sign-in';
import { startHarness, type AppPage, type Harness } from './harness';

describe('the ID token settings, read from the ID token', () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld({
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
    app = await harness.open(world.services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  it('groups the custom attributes and permissions, and explains the validity and the audiences', async () => {
    const page = app.page;
    await page.getByRole('button', { name: /Acme production/ }).click();
    await page.getByRole('button', { name: /^Inspect id token/ }).click();
    const decoded = page.getByRole('region', { name: 'Decoded id token' });
    const attributes = decoded.getByRole('group', { name: 'Custom attributes (2)' });
    expect(
      (await attributes.innerText())
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ).toEqual(['Custom attributes (2)', 'Region', 'EMEA', 'CostCenter', 'CC-7']);
    const permissions = decoded.getByRole('group', { name: 'Custom permissions (2)' });
    expect(await permissions.innerText()).toMatch(/Approve_Refunds\s+✓ Granted\s+See_Costs\s+✗ Not granted/);

    const payload = decoded.getByRole('table', { name: 'Payload' });
    const row = (name: string) => payload.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
    expect(await row('exp').innerText()).toMatch(
      /In this token: Valid for 10 minutes after it was issued .*"ID Token Valid for"/,
    );
    expect(await row('aud').innerText()).toMatch(
      /In this token: 2 audiences: "azp" names the consumer key .*"ID Token Audiences"/,
    );
    expect(await row('custom_attributes').innerText()).toMatch(/"Include Custom Attributes"/);
    expect(app.problems).toEqual([]);
  });
});
