/**
 * Story: a tester pastes or types a token and the inspector answers as they go, encoded beside decoded,
 * each claim's row tied to its bytes, with coloured JSON to copy, and a second token to compare with.
 * Runs in Chromium over the built renderer with the real preload factory and main router.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../preload/contract';
import { salesforceJwtAccessToken } from '../support/tokens';
import { testHandlers, type TestServices } from '../support/test-services';
import { withSpans } from '../renderer/claim-spans';
import { startHarness, type AppPage, type Harness } from './harness';

const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const SHOTS = process.env['SFTI_SHOTS'];
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page as it is, one line each. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Violation = { id: string; nodes: { target: unknown }[] };
    const axe = (window as unknown as { axe: { run: (d: Document) => Promise<{ violations: Violation[] }> } }).axe;
    const { violations } = await axe.run(document);
    return violations.map((v) => `${v.id} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
  });
}

describe('a live, linked inspector', () => {
  let harness: Harness;
  let services: TestServices;
  let app: AppPage;
  let handlers: Handlers;

  beforeAll(async () => {
    harness = await startHarness();
    services = await testHandlers();
    // Main's claim rows carry their spans once main/tokens computes them; until then the test adds them.
    handlers = {
      ...services.handlers,
      inspectToken: async (arg) => withSpans(await services.handlers.inspectToken(arg)),
    };
    app = await harness.open(handlers);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    await harness?.close();
  });

  const field = () => app.page.getByLabel('Token', { exact: true });
  const main = () => app.page.locator('main');

  it('decodes as the user types, without Enter, keeping the focus in the field', async () => {
    const token = await salesforceJwtAccessToken();
    await field().click();
    await field().pressSequentially(token.slice(0, 40), { delay: 5 });
    await field().fill(token);
    await expect.poll(() => main().innerText()).toContain('Salesforce JWT access token');
    expect(await app.page.evaluate(() => document.activeElement?.id)).toBe('token-input');
    // The coloured view is the field's mirror: the token is on screen once.
    const text = await main().innerText();
    expect(text.split(token.split('.')[2]!).length - 1).toBeLessThanOrEqual(1);
  });

  it('decodes a paste at once', async () => {
    await field().fill('');
    const token = await salesforceJwtAccessToken({ extra: { pasted: 'yes' } });
    await field().focus();
    await app.page.evaluate((t) => {
      const el = document.activeElement as HTMLTextAreaElement;
      const data = new DataTransfer();
      data.setData('text/plain', t);
      el.value = t;
      el.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true, dataTransfer: data }));
    }, token);
    await expect
      .poll(() => app.page.getByRole('rowheader', { name: 'pasted', exact: true }).count(), { timeout: 1000 })
      .toBe(1);
  });

  it('shows encoded and decoded side by side at 1280×800, the first payload claim without scrolling', async () => {
    const first = app.page.getByRole('table', { name: 'Payload' }).getByRole('rowheader').first();
    const box = await first.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(800);
    const fieldBox = await field().boundingBox();
    expect(fieldBox!.x + fieldBox!.width).toBeLessThan(box!.x);
    if (SHOTS) await app.page.screenshot({ path: `${SHOTS}/live-1280-light.png` });
  });

  it('lights the bytes of the claim a row is hovered or focused on, and the row of the bytes pointed at', async () => {
    const page = app.page;
    const row = page.locator('tr[data-claim="payload:client_id"]');
    await row.hover();
    await expect.poll(() => page.locator('.backdrop .lit').count()).toBeGreaterThan(0);
    expect(await page.locator('.backdrop .lit').first().getAttribute('data-claim')).toBe('payload:client_id');
    expect(await row.getAttribute('class')).toMatch(/\blit\b/);

    // Focus: the row's copy button.
    await page.mouse.move(0, 0);
    await row.getByRole('button', { name: 'Copy the value of client_id' }).focus();
    await expect
      .poll(() => page.locator('.backdrop .lit').first().getAttribute('data-claim'))
      .toBe('payload:client_id');

    // The other way: point at the bytes of `exp` in the field.
    await page.mouse.move(0, 0);
    const b = await page
      .locator('.backdrop [data-claim="payload:exp"]')
      .first()
      .evaluate((el) => {
        const r = el.getClientRects()[0]!;
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      });
    await page.mouse.move(b.x, b.y);
    await expect.poll(() => page.locator('tr.lit').getAttribute('data-claim')).toBe('payload:exp');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/live-linked.png` });
  });

  it('copies a claim value and the JSON, saying so next to the button', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Copy the value of client_id' }).click();
    await expect.poll(() => services.clipboard.at(-1)).toBe('3MVG9test.consumer.key');
    await expect.poll(() => page.getByText('Copied').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    await page.getByRole('button', { name: 'Copy payload JSON' }).click();
    await expect.poll(() => services.clipboard.at(-1) ?? '').toContain('"client_id": "3MVG9test.consumer.key"');
    expect(await page.locator('pre[aria-label="Payload JSON"] .key').first().innerText()).toBe('"scp"');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/live-json.png` });
    await page.getByRole('button', { name: 'Claims', exact: true }).click();
  });

  it('shows no green expiry on an unsigned token', async () => {
    await field().fill(
      `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 3600 })}.`,
    );
    await field().press('Enter');
    const expiry = app.page.locator('.expiry');
    await expect.poll(() => expiry.innerText()).toMatch(/meaningless: the token is not signed/);
    const color = await expiry.evaluate((el) => getComputedStyle(el).color);
    const success = await app.page.evaluate(() => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--success)';
      document.body.append(probe);
      const c = getComputedStyle(probe).color;
      probe.remove();
      return c;
    });
    expect(color).not.toBe(success);
    expect(await expiry.locator('.when').evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe(
      'line-through',
    );
  });

  it('compares two pasted tokens and shows the changed exp', async () => {
    const page = app.page;
    const now = Math.floor(Date.now() / 1000);
    await field().fill(await salesforceJwtAccessToken({ nowSeconds: now, expiresInSeconds: 3600 }));
    await page.getByRole('button', { name: 'Compare with another token' }).click();
    const second = page.getByLabel('Second token', { exact: true });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('second-token-input');
    await second.fill(await salesforceJwtAccessToken({ nowSeconds: now + 3600, expiresInSeconds: 3600 }));
    const exp = page.locator('table.diff tr[data-status="changed"]').filter({ hasText: 'exp' });
    await expect.poll(() => exp.count()).toBe(1);
    expect(await exp.innerText()).toMatch(/1 h later/);
    expect(await page.getByRole('status').filter({ hasText: 'differ' }).innerText()).toMatch(/exp 1 h later/);
    if (SHOTS) {
      await page.locator('table.diff').last().scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/compare-1280.png` });
    }
    expect(await axeViolations(page)).toEqual([]);
    await second.press('Escape');
    expect(await second.inputValue()).toBe('');
    await page.getByRole('button', { name: 'Stop comparing' }).click();
  });

  it('stacks below 1100 px and never overflows sideways at 900×600', async () => {
    const page = app.page;
    await field().fill(
      await salesforceJwtAccessToken({
        extra: {
          url: 'https://acme.my.salesforce.com/id/00D5g000004XYZAEA4/0055g00000AbCdEAAV',
          utcOffset: 7_200_000,
          custom_attributes_with_a_long_name: 'x',
        },
      }),
    );
    await page.setViewportSize({ width: 900, height: 600 });
    const urlRow = page.locator('tr[data-claim="payload:url"]');
    await expect.poll(() => urlRow.count()).toBe(1);
    // The URL wraps after / and . (a <wbr> at each); the offset reads as one; a name breaks only at _.
    expect(await urlRow.locator('.url wbr').count()).toBeGreaterThan(5);
    expect(await page.locator('tr[data-claim="payload:utcOffset"]').innerText()).toContain('UTC+02:00');
    const name = await page
      .getByRole('rowheader', { name: 'custom_attributes_with_a_long_name', exact: true })
      .evaluate((el) => getComputedStyle(el).wordBreak);
    expect(name).toBe('keep-all');
    const overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const content = await page.evaluate(() => {
      const c = document.querySelector('.content')!;
      const right = c.getBoundingClientRect().right;
      const wide = [...c.querySelectorAll('*')]
        .filter((e) => e.getBoundingClientRect().right > right + 1)
        .slice(0, 5)
        .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`);
      return { overflow: c.scrollWidth - c.clientWidth, wide: wide.join(' | ') };
    });
    expect(content.overflow, content.wide).toBeLessThanOrEqual(0);
    if (SHOTS) await urlRow.scrollIntoViewIfNeeded();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/live-900-light.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('is axe clean and looks right in the dark, claims and JSON', async () => {
    const dark = await harness.open(handlers, { colorScheme: 'dark' });
    try {
      const f = dark.page.getByLabel('Token', { exact: true });
      await f.fill(await salesforceJwtAccessToken());
      await dark.page.getByRole('table', { name: 'Payload' }).waitFor();
      await dark.page.locator('tr[data-claim="payload:scp"]').hover();
      expect(await axeViolations(dark.page)).toEqual([]);
      if (SHOTS) await dark.page.screenshot({ path: `${SHOTS}/live-1280-dark.png` });
      await dark.page.getByRole('button', { name: 'JSON', exact: true }).click();
      expect(await axeViolations(dark.page)).toEqual([]);
      await dark.page.setViewportSize({ width: 900, height: 600 });
      if (SHOTS) await dark.page.screenshot({ path: `${SHOTS}/live-900-dark.png` });
    } finally {
      await dark.close();
    }
  });

  it('ran without console errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
  });
});
