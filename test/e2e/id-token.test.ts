/**
 * Story: an admin signs in with `openid` at the Salesforce double, opens the org and inspects its ID token:
 * the inspection lists how the token was validated when it arrived (OpenID Connect Core §3.1.3.7), each check
 * with its outcome in words and the values compared; after a refresh it says the new one was checked at refresh.
 * Chromium runs the built renderer over the real preload factory and main router.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ID_TOKEN_CHECKS } from '../../preload/contract';
import { signIn, startWorld, type World } from '../support/sign-in';
import { startHarness, type AppPage, type Harness } from './harness';

describe('the ID token view shows how the ID token was validated', () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld();
    await signIn(world, world.double.loginUrl, { label: 'Acme production' });
    app = await harness.open(world.services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  it('lists every check with its outcome and what was compared, at sign-in', async () => {
    const page = app.page;
    await page.getByRole('button', { name: /Acme production/ }).click();
    await page.getByRole('button', { name: /^Inspect id token/ }).click();
    const decoded = page.getByRole('region', { name: 'Decoded id token' });
    const checks = decoded.getByRole('list', { name: 'ID token validation' });
    await expect.poll(() => checks.getByRole('listitem').count()).toBe(ID_TOKEN_CHECKS.length);
    const items = await checks.getByRole('listitem').allInnerTexts();
    expect(items.map((t) => t.split(/\s+/)[1])).toEqual([...ID_TOKEN_CHECKS]);
    expect(items[0]).toMatch(/signature\s+Passed\s+RS256 signature verified with key "double-1"/);
    expect(items.find((t) => t.includes('nonce'))).toMatch(/Passed\s+"nonce" matches the one sent with this sign-in/);
    expect(items.find((t) => t.includes('azp'))).toMatch(/Absent/);
    expect(await decoded.innerText()).toMatch(/Checked at sign-in/);
    expect(app.problems).toEqual([]);
  });

  it('says the ID token of a refresh was checked at refresh', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Refresh', exact: true }).first().click();
    await page.getByRole('button', { name: /^Inspect id token/ }).click();
    const decoded = page.getByRole('region', { name: 'Decoded id token' });
    await expect.poll(() => decoded.innerText(), { timeout: 10_000 }).toMatch(/Checked at refresh/);
    const checks = decoded.getByRole('list', { name: 'ID token validation' });
    expect(await checks.getByRole('listitem').count()).toBe(ID_TOKEN_CHECKS.length);
    expect(app.problems).toEqual([]);
  });
});
