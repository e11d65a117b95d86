/**
 * Story: a tester got a fresh access token for an org elsewhere (a colleague, Postman) and attaches it
 * to the org in the app; introspection then answers about that token. A token of another user is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ORG_ID, DEFAULT_USER } from '../servers/salesforce-double';
import { startWorld, tokensFor, type World } from '../support/sign-in';
import { startHarness, type AppPage, type Harness } from './harness';

const OTHER = { ...DEFAULT_USER, userId: '0055g00000OtHeRAAV', username: 'other@acme.example', displayName: 'Other' };

describe('attach a pasted token to an org', () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;
  let mine: string;
  let theirs: string;

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld({
      double: { orgs: [{ orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [DEFAULT_USER, OTHER] }] },
    });
    theirs = (await tokensFor(world, OTHER.username)).access;
    // A session of the user got in another tool; then the app signs in again and holds a newer one.
    mine = (await tokensFor(world, DEFAULT_USER.username)).access;
    const { org, access } = await tokensFor(world, DEFAULT_USER.username);
    expect(access).not.toBe(mine);
    expect(await world.services.vault.readToken(org.id, 'access')).toBe(access);
    app = await harness.open(world.services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  async function attach(token: string): Promise<void> {
    const page = app.page;
    await page
      .getByRole('button', { name: /admin@acme\.example/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Attach a token' }).click();
    expect(await page.getByRole('radio', { name: /^Paste a token/ }).isChecked()).toBe(true);
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill(world.double.loginUrl);
    await page.getByRole('textbox', { name: 'Access token' }).fill(token);
    await page.getByRole('button', { name: 'Attach the token' }).click();
  }

  it('replaces the access token of the org, and introspection is about the new one', async () => {
    const page = app.page;
    await attach(mine);
    await expect
      .poll(() => page.getByRole('status').allInnerTexts())
      .toContainEqual(expect.stringMatching(/Attached the access token to /));
    const org = world.services.vault.listOrgs().find((o) => o.record.username === DEFAULT_USER.username)!;
    expect(await world.services.vault.readToken(org.record.id, 'access')).toBe(mine);
    const row = page.getByRole('table', { name: 'Tokens of this org' }).locator('tr[data-kind="access"]');
    expect(await row.innerText()).toContain(mine.slice(-4));
    await page.getByRole('button', { name: 'Introspect access token' }).click();
    const panel = page.getByRole('region', { name: 'Introspection of the access token' });
    await expect.poll(() => panel.innerText()).toMatch(/Active[\s\S]*admin@acme\.example/);
    expect(await page.locator('body').innerText()).not.toContain(mine);
  });

  it("refuses another user's token and says to add it as a new org", async () => {
    await attach(theirs);
    await expect
      .poll(() => app.page.getByRole('alert').allInnerTexts())
      .toContainEqual(expect.stringMatching(/belongs to other@acme\.example.*Add it as a new org instead/));
    expect(app.problems).toEqual([]);
  });
});
