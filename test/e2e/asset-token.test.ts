/**
 * Story: an admin opens an org whose app issues asset tokens, fills in a device and requests an asset token:
 * the answer is decoded next to the form with its claims explained and its signature checked against the
 * org's keys; Copy puts the token on the clipboard from main, and the raw token never crosses the bridge.
 * With asset tokens turned off for the app the refusal is explained where the user is; a request that hangs is
 * cancelled. Chromium runs the built renderer over the real preload factory and main router, against the
 * Salesforce double.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startWorld, type World } from '../support/sign-in';
import { startHarness, type AppPage, type BridgeMessage, type Harness } from './harness';

const focusedLabel = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.closest('label')?.textContent?.replace(/\s+/g, ' ').trim() ?? el?.textContent?.trim() ?? '';
  });

describe('an asset token for a connected device', () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;
  const record: BridgeMessage[] = [];

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld({
      app: { assetTokens: { audiences: ['https://devices.acme.example'], validForSeconds: 600 } },
    });
    await signIn(world, world.double.loginUrl, { label: 'Acme production' });
    app = await harness.open(world.services.handlers, { record });
    await app.page.getByRole('button', { name: /Acme production/ }).click();
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  it('requests an asset token from the org view and shows it decoded, verified and explained', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Request an asset token…' }).click();
    const panel = page.getByRole('region', { name: 'Asset token', exact: true });
    // The form opens with a fresh device ID, where the focus is.
    await expect.poll(() => focusedLabel(page)).toMatch(/^Device ID did/);
    const did = await panel.getByLabel(/^Device ID/).inputValue();
    expect(did).toMatch(/^[0-9a-f-]{36}$/);
    await panel.getByLabel(/^Serial number/).fill('SN-0042');
    await panel.getByLabel(/^Serial number/).press('Enter');

    const issued = panel.getByRole('region', { name: 'Issued asset token' });
    await issued.waitFor();
    expect(await issued.getByRole('status').filter({ hasText: 'Signature' }).innerText()).toMatch(
      /^Signature valid\. .*double-1/,
    );
    expect(await issued.getByRole('heading', { name: 'Salesforce asset token' }).isVisible()).toBe(true);
    const payload = issued.getByRole('table', { name: 'Payload' });
    const row = (name: string) => payload.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
    expect(await row('did').innerText()).toContain(did);
    expect(await row('did').innerText()).toMatch(/Device ID: the connected device/);
    expect(await row('Asset').innerText()).toMatch(/"SerialNumber": "SN-0042"/);
    expect(await row('exp').innerText()).toMatch(/In this token: Valid for 10 minutes .*"Token Valid for"/);
    expect(await row('aud').innerText()).toMatch(/"Asset Audiences"/);
    expect(await issued.getByText(/Actor token sent \(signed, RS256\)/).isVisible()).toBe(true);
    // The focus stayed in the form the request came from.
    expect(await focusedLabel(page)).toMatch(/^Serial number/);

    await issued.getByRole('button', { name: 'Copy asset token' }).click();
    await expect.poll(() => world.services.clipboard.at(-1) ?? '').toMatch(/^eyJ/);
    const token = world.services.clipboard.at(-1)!;
    expect(await issued.getByRole('status').filter({ hasText: 'Copied' }).innerText()).toBe(
      `Copied the asset token (…${token.slice(-4)}).`,
    );
    // Neither the token nor its signature crossed the bridge.
    const crossed = record.map((m) => JSON.stringify(m));
    expect(crossed.some((m) => m.includes(token))).toBe(false);
    expect(crossed.some((m) => m.includes(token.split('.')[2]!))).toBe(false);
    expect(app.problems).toEqual([]);
  });

  it('explains an app that does not issue asset tokens, next to the form', async () => {
    const page = app.page;
    const panel = page.getByRole('region', { name: 'Asset token', exact: true });
    delete world.double.apps[0]!.assetTokens;
    const request = panel.getByRole('button', { name: 'Request asset token' });
    await request.click();
    const alert = panel.getByRole('alert');
    await expect.poll(() => alert.isVisible()).toBe(true);
    expect(await alert.innerText()).toMatch(
      /^No asset token\. This app does not issue asset tokens\. .*"Enable Asset Tokens"/,
    );
    expect(await request.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('cancels a request the server does not answer', async () => {
    const page = app.page;
    const panel = page.getByRole('region', { name: 'Asset token', exact: true });
    world.double.apps[0]!.assetTokens = { audiences: ['https://devices.acme.example'] };
    world.double.setFault('token', 'hang');
    await panel.getByRole('button', { name: 'Request asset token' }).click();
    const progress = panel.getByRole('status').filter({ hasText: 'Asking the org' });
    await progress.waitFor();
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await panel.getByText(/^Cancelled\. No asset token was issued/).waitFor();
    world.double.setFault('token', null);
    // Close gives the focus back to the button that opened the panel.
    await panel.getByRole('button', { name: 'Close the asset token panel' }).click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()))
      .toBe('Request an asset token…');
    expect(app.problems).toEqual([]);
  });
});
