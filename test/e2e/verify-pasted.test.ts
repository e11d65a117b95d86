/**
 * Story: a tester pastes a token and checks its signature: against the issuer's published keys (fetched only
 * on the click, from the URL shown first), with a shared secret, with a pasted PEM key; a changed token is
 * caught. Chromium runs the built renderer over the real preload factory and main router, against the
 * Salesforce double.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { SignJWT } from 'jose';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, tokensFor, type World } from '../support/sign-in';
import { startHarness, type AppPage, type Harness } from './harness';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations inside the "Check signature" region (run outside the page's CSP by evaluate). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Axe = { run: (ctx: Element) => Promise<{ violations: { id: string; help: string }[] }> };
    const region = document.querySelector('section.verify');
    if (!region) return ['no Check signature region'];
    const result = await (window as unknown as { axe: Axe }).axe.run(region);
    return result.violations.map((v) => `${v.id}: ${v.help}`);
  });
}

describe('check the signature of a pasted token', () => {
  let harness: Harness;
  let world: World;
  let app: AppPage;
  let page: Page;
  let doubleToken: string;

  beforeAll(async () => {
    harness = await startHarness();
    world = await startWorld({ app: { tokenFormat: 'jwt' } });
    doubleToken = (await tokensFor(world, world.double.orgs[0]!.users[0]!.username)).access;
    app = await harness.open(world.services.handlers);
    page = app.page;
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
    await harness?.close();
  });

  const panel = (): Locator => page.getByRole('region', { name: 'Check signature' });
  const verdict = (): Locator => panel().locator('.callout');
  async function paste(token: string): Promise<void> {
    const field = page.getByLabel('Token', { exact: true });
    await field.fill(token);
    await field.press('Enter');
    await expect.poll(() => panel().count()).toBe(1);
  }
  const verifyCalls = () => app.calls.filter((c) => c === 'verifyPastedToken').length;

  it("shows the URL first, fetches only on the click, and names the double's key", async () => {
    const requests = world.double.requests.length;
    await paste(doubleToken);
    const discovery = `${world.double.loginUrl}/.well-known/openid-configuration`;
    await expect.poll(() => panel().innerText()).toContain(`Fetches ${discovery}, then the key set it names`);
    expect(await panel().getByRole('radio', { name: "The issuer's published keys" }).isChecked()).toBe(true);
    expect(verifyCalls()).toBe(0);
    expect(world.double.requests.length).toBe(requests);

    const button = panel().getByRole('button', { name: 'Fetch keys and check' });
    await button.click();
    await expect.poll(() => verdict().innerText()).toMatch(/^✓\s*Signature valid\.\s*kid double-1/);
    expect(await verdict().innerText()).toContain(`from the issuer's keys at ${world.double.loginUrl}/id/keys`);
    expect(await verdict().getAttribute('data-tone')).toBe('success');
    expect(world.double.requests.slice(requests)).toEqual(['GET /.well-known/openid-configuration', 'GET /id/keys']);
    // The focus stays on the button the user pressed.
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Fetch keys and check');
  });

  it('catches a token changed after it was signed', async () => {
    const [h, p = '', s] = doubleToken.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, scp: ['full'] })).toString('base64url')}.${s}`;
    await paste(forged);
    // A new token: the previous answer is gone.
    await expect.poll(() => verdict().count()).toBe(0);
    await panel().getByRole('button', { name: 'Fetch keys and check' }).click();
    await expect.poll(() => verdict().innerText()).toMatch(/Bad signature\.\s*kid double-1/);
    expect(await verdict().innerText()).toMatch(/does not match key "double-1".*changed after it was signed/);
  });

  it('checks an HS256 token with the wrong, then the right secret, hidden until shown', async () => {
    const secret = 'the-shared-secret-of-this-test-32';
    const token = await new SignJWT({ sub: 'tester' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('https://idp.example.com')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(secret));
    await paste(token);
    // A secret is the only way for an HMAC token: no choice to make.
    expect(await panel().getByRole('radio').count()).toBe(0);
    const field = panel().getByLabel('Shared secret');
    expect(await field.getAttribute('type')).toBe('password');
    const check = panel().getByRole('button', { name: 'Check signature' });

    await field.fill('not-the-shared-secret-of-this-32');
    await check.click();
    await expect.poll(() => verdict().innerText()).toMatch(/Bad signature\..*another secret/);
    expect(await verdict().innerText()).not.toContain('not-the-shared-secret');

    await panel().getByRole('button', { name: 'Show secret' }).click();
    expect(await field.getAttribute('type')).toBe('text');
    expect(await panel().getByRole('button', { name: 'Show secret' }).getAttribute('aria-pressed')).toBe('true');
    await field.fill(secret);
    await field.press('Enter');
    await expect.poll(() => verdict().innerText()).toMatch(/Signature valid\..*the shared secret \(33 bytes, as text/);

    // Another token: the secret is gone with it.
    await paste(doubleToken);
    await paste(token);
    expect(await panel().getByLabel('Shared secret').inputValue()).toBe('');
  });

  it('checks with a pasted PEM public key, and refuses a private key without sending it', async () => {
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await new SignJWT({ sub: 'tester' })
      .setProtectedHeader({ alg: 'ES256', kid: 'ec-1' })
      .setIssuer('https://idp.example.com')
      .setExpirationTime('10m')
      .sign(keys.privateKey);
    await paste(token);
    await panel().getByRole('radio', { name: 'A public key I paste' }).check();
    const box = panel().getByLabel('Public key (PEM, JWK or JWK Set)');

    const calls = verifyCalls();
    await box.fill(keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    await panel().getByRole('button', { name: 'Check signature' }).click();
    await expect.poll(() => verdict().innerText()).toMatch(/Cannot use this key\..*private key/);
    expect(await box.inputValue()).toBe('');
    expect(verifyCalls()).toBe(calls);

    await box.fill(keys.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    await panel().getByRole('button', { name: 'Check signature' }).click();
    await expect.poll(() => verdict().innerText()).toMatch(/Signature valid\.\s*kid ec-1/);
    expect(await verdict().innerText()).toContain('the pasted public key (an EC key on curve P-256)');
  });

  it('shows what it fetches while it waits, and Cancel stops waiting', async () => {
    // An issuer that never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const issuer = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
      await paste(await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer(issuer).sign(keys.privateKey));
      const button = panel().getByRole('button', { name: 'Fetch keys and check' });
      await button.click();
      const status = panel().getByRole('status');
      await expect
        .poll(() => status.innerText())
        .toBe(`Fetching ${issuer}/.well-known/openid-configuration… (each request gives up after 30 s)`);
      // The button says it is unavailable while it waits, and pressing it again starts nothing.
      expect(await button.getAttribute('aria-disabled')).toBe('true');
      const calls = verifyCalls();
      await page.keyboard.press('Enter');
      expect(verifyCalls()).toBe(calls);
      await panel().getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => verdict().innerText()).toMatch(/Stopped waiting\..*request to the issuer stopped/);
      expect(await status.count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Fetch keys and check');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((ok) => silent.close(() => ok()));
    }
  });

  it('is axe clean in light and dark, with an answer on screen', async () => {
    await paste(doubleToken);
    await panel().getByRole('button', { name: 'Fetch keys and check' }).click();
    await expect.poll(() => verdict().count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    const dark = await harness.open(world.services.handlers, { colorScheme: 'dark' });
    try {
      const field = dark.page.getByLabel('Token', { exact: true });
      await field.fill(doubleToken);
      await field.press('Enter');
      const region = dark.page.getByRole('region', { name: 'Check signature' });
      await region.getByRole('button', { name: 'Fetch keys and check' }).click();
      await expect.poll(() => region.locator('.callout').count()).toBe(1);
      expect(await axeViolations(dark.page)).toEqual([]);
      await region.getByRole('radio', { name: 'A public key I paste' }).check();
      expect(await axeViolations(dark.page)).toEqual([]);
      expect(dark.problems).toEqual([]);
    } finally {
      await dark.close();
    }
  });

  it('ran without console errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
  });
});
