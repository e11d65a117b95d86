/**
 * Story: a tester pastes an access token into the inspector. The app knows it as one of a stored org's
 * tokens, introspects it there (active), revokes it after a confirmation naming the token (confirmed), and
 * the org in the sidebar shows it revoked. Chromium over the built renderer, the real main router and the
 * Salesforce double.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, tokensFor, type World } from '../support/sign-in';
import { startHarness, type AppPage, type Harness } from './harness';

describe('act on a pasted token', () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;
  let access: string;

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld();
    ({ access } = await tokensFor(world, 'admin@acme.example'));
    app = await harness.open(world.services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  const region = () => app.page.getByRole('region', { name: 'Act on this token' });

  it('names the stored org a pasted token belongs to, and introspects it there', async () => {
    const field = app.page.getByLabel('Token', { exact: true });
    await field.fill(access);
    await expect.poll(() => region().innerText()).toMatch(/Belongs to: .+ \(its stored access token; same org ID\)/);
    const introspect = region().getByRole('button', { name: 'Introspect there' });
    await introspect.click();
    const table = region().getByRole('table', { name: 'Introspection of the pasted token' });
    await expect.poll(() => table.innerText()).toMatch(/Active\s+Yes[\s\S]*admin@acme\.example/);
    expect(await app.page.evaluate(() => document.activeElement?.textContent)).toBe('Introspect there');
    expect(app.calls).toContain('matchPastedToken');
  });

  it('revokes it after a confirmation naming the org, the kind and the last characters', async () => {
    const page = app.page;
    const revoke = region().getByRole('button', { name: 'Revoke there' });
    await revoke.click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this access token?' });
    expect(await dialog.innerText()).toContain(`…${access.slice(-4)} at `);
    expect(await dialog.innerText()).toMatch(/stored for .*the org will show it as revoked/);
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => region().innerText()).toMatch(/Revoked, confirmed inactive\./);
    expect(await region().innerText()).toContain('so the org now shows it as revoked');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Revoke there');
    expect(world.double.isTokenActive(access)).toBe(false);
    const sidebar = page.getByRole('navigation', { name: 'Org list' });
    await expect.poll(() => sidebar.innerText()).toMatch(/revoked/i);
    // The pasted text stays in the token field; nothing the actions show repeats it.
    expect(await region().innerText()).not.toContain(access);
    expect(app.problems).toEqual([]);
  });

  it("acts at a login host with an app profile of the user's choice, for a token no org stores", async () => {
    const page = app.page;
    const older = (await tokensFor(world, 'admin@acme.example')).access; // stored now…
    await tokensFor(world, 'admin@acme.example'); // …and replaced: the app holds a newer one
    await page.getByLabel('Token', { exact: true }).fill(older);
    await expect.poll(() => region().innerText()).toMatch(/Belongs to: .+ \(same org ID\)/);
    await region().getByLabel('Act at').selectOption({ label: 'Another login host and app profile…' });
    await region().getByLabel('Login host', { exact: true }).fill(world.double.loginUrl);
    await region().getByLabel('App profile', { exact: true }).selectOption({ label: world.profile.name });
    await region().getByRole('button', { name: 'Revoke', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this access token?' });
    expect(await dialog.innerText()).toContain(`…${older.slice(-4)} at ${world.double.loginUrl}?`);
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => region().innerText()).toMatch(/Revoked, confirmed inactive\./);
    expect(await region().innerText()).toContain("No org in this app stores it, so no org's status changed.");
    expect(world.double.isTokenActive(older)).toBe(false);
    expect(app.problems).toEqual([]);
  });
});
