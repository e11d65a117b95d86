/** axe-core, run inside Chromium, on every screen the screenshots show, in light and dark. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { scenes } from './scenes';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

describe('accessibility', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await startHarness()));
  afterAll(() => harness?.close());

  for (const scene of scenes) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`${scene.name} (${colorScheme}) has no axe violations`, async () => {
        const setup = await scene.setup();
        const app = await harness.open(setup.handlers, { colorScheme });
        try {
          await scene.act(app.page, setup);
          // evaluate() runs outside the page's CSP, so axe needs no inline script.
          await app.page.evaluate(axeSource);
          const violations = await app.page.evaluate(async () => {
            const result = await (
              window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: AxeViolation[] }> } }
            ).axe.run(document);
            return result.violations.map((v) => ({
              id: v.id,
              help: v.help,
              nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })),
            }));
          });
          expect(violations.map((v) => `${v.id}: ${v.help} at ${JSON.stringify(v.nodes)}`)).toEqual([]);
        } finally {
          await app.close();
          await setup.close();
        }
      });
    }
  }
});
