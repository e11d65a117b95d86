/**
 * Story: an admin signs in, opens the org, inspects its access and ID tokens, introspects, tests and copies
 * them. Everything that crosses the bridge in either direction is recorded, and no stored token is in it, as
 * a whole or as its signature, until the admin presses Reveal (docs/SECURITY.md, "The renderer holds a raw
 * token"). Chromium runs the built renderer over the real preload factory and main router.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenKind } from '../../preload/contract';
import { startWorld, type World } from '../support/sign-in';
import { startHarness, type AppPage, type BridgeMessage, type Harness } from './harness';

describe('no raw token crosses the bridge without Reveal', () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;
  const record: BridgeMessage[] = [];
  const stored: { kind: TokenKind; token: string }[] = [];

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld({ app: { tokenFormat: 'jwt' } });
    app = await harness.open(world.services.handlers, { record });
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  /** What of the stored tokens the recorded messages hold: `kind` for a whole token, `kind signature` for its signature. */
  function leaks(): string[] {
    const crossed = record.map((m) => JSON.stringify(m));
    const found: string[] = [];
    for (const { kind, token } of stored) {
      const parts = token.split('.');
      if (crossed.some((m) => m.includes(token))) found.push(kind);
      // A JWT's signature is at least 43 characters (HS256); a refresh token with two dots in it (Salesforce's
      // may hold some) can end in a few characters that any message might contain, and is not a JWT.
      const signature = parts.length === 3 && parts[2]!.length >= 43 ? parts[2]! : null;
      if (signature && crossed.some((m) => m.includes(signature))) found.push(`${kind} signature`);
    }
    return found;
  }

  it('signs in through the browser, and the vault holds a JWT access token, a refresh token and an ID token', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Add your first org' }).click();
    await page.getByLabel('My Domain URL').check();
    await page.getByLabel('My Domain', { exact: true }).fill(world.double.loginUrl);
    await page.getByLabel('Label').fill('Acme production');
    await page.getByRole('button', { name: 'Sign in with browser' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Acme production' }).isVisible(), { timeout: 15_000 })
      .toBe(true);

    const [org] = await world.services.handlers.listOrgs(undefined);
    for (const kind of ['access', 'refresh', 'id'] as const) {
      const token = await world.services.vault.readToken(org!.id, kind);
      expect(token, kind).toBeTypeOf('string');
      stored.push({ kind, token: token! });
    }
    // The access and ID tokens are JWTs (a JSON header, payload, signature); the refresh token is not (a
    // Salesforce refresh token may hold dots, so the shape alone does not tell).
    const isJwt = (t: string) => t.startsWith('eyJ') && t.split('.').length === 3;
    expect(stored.filter((s) => isJwt(s.token)).map((s) => s.kind)).toEqual(['access', 'id']);
    expect(record.map((m) => m.method)).toEqual(expect.arrayContaining(['beginSignIn', 'awaitSignIn', 'listOrgs']));
    expect(leaks()).toEqual([]);
  });

  it('inspects the access and ID tokens, introspects, tests and copies, and no stored token crosses', async () => {
    const page = app.page;
    await page.getByRole('button', { name: /Acme production/ }).click();

    await page.getByRole('button', { name: 'Inspect access token' }).click();
    const access = page.getByRole('region', { name: 'Decoded access token' });
    await expect.poll(() => access.innerText()).toMatch(/Salesforce JWT access token/);
    // Header and payload are shown; the signature is not, and the view says why.
    const [header, payload, signature] = stored[0]!.token.split('.') as [string, string, string];
    const text = (await access.innerText()).replace(/\s/g, '');
    expect(text).toContain(header);
    expect(text).toContain(payload);
    expect(text).not.toContain(signature.slice(0, 20));
    expect(await access.innerText()).toMatch(/256-byte signature is hidden[\s\S]*Reveal/);
    await access.getByRole('button', { name: 'Verify signature' }).click();
    await expect.poll(() => access.innerText()).toMatch(/Signature valid\./);

    await page.getByRole('button', { name: /^Inspect id token/ }).click();
    const id = page.getByRole('region', { name: 'Decoded id token' });
    await expect.poll(() => id.innerText()).toMatch(/OpenID Connect ID token/);
    expect((await id.innerText()).replace(/\s/g, '')).not.toContain(stored[2]!.token.split('.')[2]!.slice(0, 20));

    await page.getByRole('button', { name: 'Introspect access token' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Introspection of the access token' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Introspect refresh token' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Introspection of the refresh token' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Test token' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'API test' }).innerText()).toMatch(/HTTP 200/);
    await page.getByRole('button', { name: 'Copy access token' }).click();
    await expect.poll(() => world.services.clipboard).toEqual([stored[0]!.token]);

    const methods = new Set(record.map((m) => m.method));
    for (const m of ['inspectOrgToken', 'verifyOrgToken', 'introspectToken', 'testToken', 'copyToken'])
      expect(methods, m).toContain(m);
    expect(methods).not.toContain('revealToken');
    expect(leaks()).toEqual([]);
    expect(app.problems).toEqual([]);
  });

  it('sends the token once Reveal is pressed, and the decoded view then shows its signature', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Inspect access token' }).click();
    const access = page.getByRole('region', { name: 'Decoded access token' });
    await expect.poll(() => access.innerText()).toMatch(/Salesforce JWT access token/);
    await page.getByRole('button', { name: 'Reveal access token' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Revealed access token' }).count()).toBe(1);
    expect(leaks()).toEqual(['access', 'access signature']);
    const signature = stored[0]!.token.split('.')[2]!;
    await expect.poll(async () => (await access.innerText()).replace(/\s/g, '')).toContain(signature);
    expect(await access.innerText()).not.toMatch(/hidden/);

    // Hidden again, the signature goes with it.
    await page.getByRole('region', { name: 'Revealed access token' }).getByRole('button', { name: 'Hide' }).click();
    await expect.poll(async () => (await access.innerText()).replace(/\s/g, '')).not.toContain(signature);
    expect(app.problems).toEqual([]);
  });
});
