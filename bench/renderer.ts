/**
 * The renderer in Chromium with 500 orgs and 10,000 tokens, through the real bridge: time to the first
 * full render of the org list, and the time one keystroke in the sidebar filter or the quick switcher
 * takes to update the DOM (Svelte's update plus style and layout). Peer: a hand-written DOM filter. And the
 * Inspect tab decoding and showing a 100 KB JWT.
 */
import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { NO_EVIDENCE } from '../preload/token-status';
import type { Page } from 'playwright-core';
import type { OrgRecord, TokenMeta } from '../main/vault/records';
import { startHarness } from '../test/e2e/harness';
import { testHandlers } from '../test/support/test-services';
import { salesforceJwtAccessToken } from '../test/support/tokens';

const ORGS = 500;
const TOKENS = 20;

function record(i: number): OrgRecord {
  return {
    id: `org${i}`,
    label: `${['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'][i % 5]} ${['prod', 'uat', 'dev', 'qa'][i % 4]} ${i}`,
    orgId: '00D5g000004XYZAEA4',
    userId: '0055g00000AbCdEAAV',
    username: `admin${i}@customer${i}.example`,
    displayName: 'Consultant',
    instanceUrl: `https://customer${i}.my.salesforce.com`,
    identityUrl: null,
    myDomain: `https://customer${i}.my.salesforce.com`,
    loginHost: 'https://login.salesforce.com',
    orgType: i % 4 === 0 ? 'production' : 'sandbox',
    color: null,
    group: `Client ${i % 25}`,
    pinned: i % 50 === 0,
    profileId: null,
    needsSignIn: false,
    grant: 'authorization_code',
    audience: null,
    addedAt: 1,
    updatedAt: 1,
  };
}

function tokens(): TokenMeta[] {
  return Array.from({ length: TOKENS }, (_, k) => ({
    kind: (['access', 'refresh', 'id'] as const)[k % 3]!,
    format: 'opaque' as const,
    scopes: ['api', 'refresh_token'],
    issuedAt: Date.now(),
    expiresAt: Date.now() + 3_600_000,
    status: 'active' as const,
    lastCheckedAt: null,
    hint: 'abcd',
    evidence: NO_EVIDENCE,
  }));
}

/** Types one character into `selector` and returns ms until the DOM has updated and laid out. */
async function keystroke(page: Page, selector: string, char: string): Promise<number> {
  return page.evaluate(
    async ([sel, ch]) => {
      const input = document.querySelector<HTMLInputElement>(sel!)!;
      const t0 = performance.now();
      input.value += ch;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await Promise.resolve();
      await Promise.resolve();
      document.body.getBoundingClientRect();
      return performance.now() - t0;
    },
    [selector, char],
  );
}

/** The peer: a plain DOM filter over the same 500 list items, hiding what does not match. */
async function vanillaKeystroke(page: Page, query: string): Promise<number> {
  return page.evaluate((q) => {
    const items = [...document.querySelectorAll<HTMLElement>('nav[aria-label="Org list"] li')];
    const t0 = performance.now();
    for (const li of items) li.hidden = !li.textContent!.toLowerCase().includes(q);
    document.body.getBoundingClientRect();
    const t = performance.now() - t0;
    for (const li of items) li.hidden = false;
    return t;
  }, query);
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
};

export async function runRendererBench(): Promise<Record<string, string>[]> {
  const services = await testHandlers();
  for (let i = 0; i < ORGS; i++) {
    await services.vault.saveOrg(record(i));
    await services.vault.saveTokens(
      `org${i}`,
      tokens().map((meta, k) => ({ meta, value: k < 3 ? randomBytes(40).toString('base64url') : null })),
    );
  }
  const harness = await startHarness();
  try {
    const app = await harness.open(services.handlers);
    const firstRender = await app.page.evaluate(async (n) => {
      while (document.querySelectorAll('nav[aria-label="Org list"] li').length < n)
        await new Promise((r) => requestAnimationFrame(r));
      return performance.now();
    }, ORGS);

    // The bridge in this harness is a Playwright binding (JSON over the DevTools protocol), far slower than
    // Electron's IPC for the ~1.6 MB org list; measure it alone so the render cost can be told apart.
    const transport = await app.page.evaluate(async () => {
      const t0 = performance.now();
      await (window as unknown as { api: { listOrgs(): Promise<unknown> } }).api.listOrgs();
      return performance.now() - t0;
    });
    const loaded = await app.page.evaluate(
      () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
    );
    const filter = 'nav[aria-label="Org list"] input[type="search"]';
    const typed: number[] = [];
    for (const ch of 'acme prod') typed.push(await keystroke(app.page, filter, ch));
    await app.page.fill(filter, '');
    const peer: number[] = [];
    for (let i = 1; i <= 9; i++) peer.push(await vanillaKeystroke(app.page, 'acme prod'.slice(0, i)));

    await app.page.keyboard.press('Control+k');
    const switcher: number[] = [];
    for (const ch of 'glbxuat') switcher.push(await keystroke(app.page, '[role="combobox"]', ch));
    await app.page.keyboard.press('Escape');

    await app.page.getByRole('button', { name: /Acme prod 0/ }).click();
    const orgOpen = await app.page.evaluate(async () => {
      const t0 = performance.now();
      (document.querySelectorAll('nav[aria-label="Org list"] li button')[3] as HTMLButtonElement).click();
      await Promise.resolve();
      await Promise.resolve();
      while (!document.querySelector('table[class*="tokens"] tbody tr'))
        await new Promise((r) => requestAnimationFrame(r));
      document.body.getBoundingClientRect();
      return performance.now() - t0;
    });
    await app.close();
    const f = (n: number) => `${n.toFixed(2)} ms`;
    return [
      {
        measure: `first render of ${ORGS} orgs (${ORGS * TOKENS} tokens), from navigation`,
        'SF Token Inspector': f(firstRender),
        peer: '—',
      },
      { measure: '  of which: page loaded (DOMContentLoaded)', 'SF Token Inspector': f(loaded), peer: '—' },
      {
        measure: '  of which: listOrgs over the test bridge (Playwright binding, not Electron IPC)',
        'SF Token Inspector': f(transport),
        peer: '—',
      },
      {
        measure: '  of which: the rest (Svelte render, layout)',
        'SF Token Inspector': f(Math.max(0, firstRender - loaded - transport)),
        peer: '—',
      },
      {
        measure: 'sidebar filter keystroke (median / max)',
        'SF Token Inspector': `${f(stats(typed).median)} / ${f(stats(typed).max)}`,
        peer: `${f(stats(peer).median)} / ${f(stats(peer).max)} (hand-written DOM filter)`,
      },
      {
        measure: 'quick switcher keystroke (median / max)',
        'SF Token Inspector': `${f(stats(switcher).median)} / ${f(stats(switcher).max)}`,
        peer: '—',
      },
      { measure: 'open another org (token table shown)', 'SF Token Inspector': f(orgOpen), peer: '—' },
    ];
  } finally {
    await harness.close();
    await services.close();
  }
}

/**
 * The Inspect tab with a 100 KB JWT pasted: from the paste to the claim table showing the large claim's row,
 * laid out; and, to tell it apart, the same token's inspectToken call over the test bridge alone (a
 * Playwright binding, slower than Electron's IPC) and inside main.
 */
export async function runInspectorBench(): Promise<Record<string, string>[]> {
  const services = await testHandlers();
  const harness = await startHarness();
  try {
    const token = await salesforceJwtAccessToken({ extra: { blob: 'x'.repeat(100_000) } });
    const app = await harness.open(services.handlers);
    const runs: { total: number; bridge: number }[] = [];
    for (let i = 0; i < 7; i++) {
      runs.push(
        await app.page.evaluate(async (t) => {
          // No named functions in here: the bundler would wrap them in a helper the page does not have.
          // Clear first, so every run decodes and renders from nothing (a long token shows folded, with Clear).
          const fold = document.querySelector<HTMLButtonElement>('.folded .fold-actions button:last-child');
          if (fold) fold.click();
          else {
            const old = document.getElementById('token-input') as HTMLTextAreaElement;
            old.value = '';
            old.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }));
          }
          while (!document.getElementById('token-input')) await new Promise((r) => requestAnimationFrame(r));
          const field = document.getElementById('token-input') as HTMLTextAreaElement;
          while ([...document.querySelectorAll('main th')].some((th) => th.textContent?.trim() === 'blob'))
            await new Promise((r) => requestAnimationFrame(r));
          const t0 = performance.now();
          field.value = t;
          field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
          while (![...document.querySelectorAll('main th')].some((th) => th.textContent?.trim() === 'blob'))
            await new Promise((r) => setTimeout(r, 0));
          document.body.getBoundingClientRect();
          const total = performance.now() - t0;
          const t1 = performance.now();
          await (
            window as unknown as { api: { inspectToken(a: { token: string }): Promise<unknown> } }
          ).api.inspectToken({ token: t });
          return { total, bridge: performance.now() - t1 };
        }, token),
      );
    }
    await app.close();
    const inMain: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      await services.handlers.inspectToken({ token });
      inMain.push(performance.now() - t0);
    }
    const f = (n: number) => `${n.toFixed(2)} ms`;
    const total = stats(runs.map((r) => r.total));
    const bridge = stats(runs.map((r) => r.bridge));
    const main = stats(inMain);
    return [
      {
        measure: `paste a ${(token.length / 1024).toFixed(0)} KB JWT → its claims shown (median / max of 7)`,
        'SF Token Inspector': `${f(total.median)} / ${f(total.max)}`,
        peer: '—',
      },
      {
        measure: '  of which: inspectToken over the test bridge (Playwright binding, not Electron IPC)',
        'SF Token Inspector': `${f(bridge.median)} / ${f(bridge.max)}`,
        peer: '—',
      },
      {
        measure: '  of which: inspectToken in main',
        'SF Token Inspector': `${f(main.median)} / ${f(main.max)}`,
        peer: `${f(joseMedian(token))} (jose decodeJwt alone)`,
      },
      {
        measure: '  the rest: Svelte render, style and layout',
        'SF Token Inspector': f(Math.max(0, total.median - bridge.median)),
        peer: '—',
      },
    ];
  } finally {
    await harness.close();
    await services.close();
  }
}

function joseMedian(token: string): number {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    decodeJwt(token);
    times.push(performance.now() - t0);
  }
  return stats(times).median;
}
