/**
 * Story: a tester pastes a token and sees what is inside. Runs in Chromium over the built renderer with
 * the real preload factory and main router.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptedToken, OPAQUE_TOKEN, salesforceJwtAccessToken } from '../support/tokens';
import { testHandlers, type TestServices } from '../support/test-services';
import { startHarness, type AppPage, type Harness } from './harness';

describe('inspect any token', () => {
  let harness: Harness;
  let services: TestServices;
  let app: AppPage;

  beforeAll(async () => {
    harness = await startHarness();
    services = await testHandlers();
    app = await harness.open(services.handlers);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    await harness?.close();
  });

  async function paste(token: string): Promise<void> {
    const field = app.page.getByLabel('Token', { exact: true });
    await field.fill(token);
    await field.press('Enter');
  }

  it('puts the focus in the token field', async () => {
    await expect.poll(() => app.page.evaluate(() => document.activeElement?.id)).toBe('token-input');
  });

  it('shows a Salesforce JWT access token in three parts, with claims, meanings and a live countdown', async () => {
    const token = await salesforceJwtAccessToken({ expiresInSeconds: 14 * 60 + 30 });
    await paste(token);
    const page = app.page;
    await expect.poll(() => page.getByText('Salesforce JWT access token').first().isVisible()).toBe(true);

    const [header, payload, signature] = token.split('.');
    const body = await page.locator('main').innerText();
    for (const part of [header, payload, signature]) expect(body.replace(/\s/g, '')).toContain(part);

    for (const claim of ['tty', 'tnk', 'ver', 'scp', 'client_id', 'mty', 'sty', 'exp', 'iat']) {
      await expect
        .poll(() => page.getByRole('rowheader', { name: claim, exact: true }).count(), { message: claim })
        .toBeGreaterThan(0);
    }
    expect(body).toMatch(/expires in 14 min/i);
    expect(app.calls).toContain('inspectToken');
  });

  it('updates the countdown by itself', async () => {
    const token = await salesforceJwtAccessToken({ expiresInSeconds: 20 });
    await paste(token);
    const text = () => app.page.locator('main').innerText();
    const first = await text();
    expect(first).toMatch(/expires in \d+ s/i);
    await expect.poll(text, { timeout: 5000 }).not.toBe(first);
  });

  it('flags alg none as dangerous', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    await paste(`${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'x', exp: 4102444800 })}.`);
    await expect.poll(() => app.page.locator('main').innerText()).toMatch(/unsigned|alg.{0,3}none/i);
  });

  it('recognizes an encrypted JWT and says the payload is unreadable without the key', async () => {
    await paste(await encryptedToken());
    const body = () => app.page.locator('main').innerText();
    await expect.poll(body).toMatch(/encrypted/i);
    expect(await body()).toMatch(/A256GCM/);
    expect(await body()).toMatch(/RSA-OAEP-256/);
  });

  it('recognizes a Salesforce opaque access token and shows the org ID in 15 and 18 characters', async () => {
    await paste(OPAQUE_TOKEN);
    await expect.poll(() => app.page.locator('main').innerText()).toContain('00D5g000004XYZA');
    expect(await app.page.locator('main').innerText()).toMatch(/00D5g000004XYZA[A-Z0-5]{3}/);
  });

  it('says precisely what is wrong with a malformed token, and Escape clears everything', async () => {
    await paste('eyJhbGciOiJSUzI1NiJ9.@@@not-base64@@@.c2ln');
    const alert = app.page.getByRole('alert').filter({ hasText: 'Cannot read this token' });
    await expect.poll(() => alert.innerText()).toMatch(/payload|part 2/i);
    expect(await alert.getAttribute('data-code')).toBe('token/bad_base64url');

    await app.page.getByLabel('Token', { exact: true }).press('Escape');
    await expect.poll(() => alert.count()).toBe(0);
    expect(await app.page.getByLabel('Token', { exact: true }).inputValue()).toBe('');
  });

  it('renders a 100 KB token', async () => {
    const big = await salesforceJwtAccessToken({ extra: { blob: 'x'.repeat(100_000) } });
    expect(big.length).toBeGreaterThan(100_000);
    const page = app.page;
    await page.getByLabel('Token', { exact: true }).fill(big);
    await expect.poll(() => page.getByRole('rowheader', { name: 'blob', exact: true }).count()).toBeGreaterThan(0);
    // Shown folded (its start and end, the count between), with focus on the way to edit it all.
    const fold = page.getByRole('group', { name: 'Token (folded)' });
    expect(await fold.innerText()).toMatch(/… [\d,]+ more characters …/);
    const edit = fold.getByRole('button', { name: /^Show and edit all [\d,]+ characters$/ });
    await expect.poll(() => edit.evaluate((el) => el === document.activeElement)).toBe(true);
    await edit.press('Enter');
    const field = page.getByLabel('Token', { exact: true });
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await field.inputValue()).toBe(big);
    await field.press('Escape');
    await expect.poll(() => field.inputValue()).toBe('');
  });

  it('ran without console errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
  });
});
