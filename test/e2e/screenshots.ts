/**
 * Writes screenshots of every screen at a fixed window size, light and dark, into docs/ (1280×800), and with
 * `--narrow` into docs/narrow/ (900×600, the small window the layout must hold at).
 * Run with `npm run screenshots` (it builds first). Uses the same harness as the browser suite.
 */
import { mkdir } from 'node:fs/promises';
import { scenes } from './scenes';
import { startHarness } from './harness';

const NARROW = { width: 900, height: 600 };

async function main(): Promise<void> {
  const narrow = process.argv.includes('--narrow');
  const OUT = narrow ? 'docs/narrow' : 'docs';
  await mkdir(OUT, { recursive: true });
  const harness = await startHarness();
  try {
    // `npm run screenshots -- add-org device-code` rewrites only those scenes.
    const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
    for (const scene of scenes.filter((s) => only.length === 0 || only.includes(s.name))) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const setup = await scene.setup();
        const app = await harness.open(setup.handlers, { colorScheme });
        try {
          if (narrow) await app.page.setViewportSize(NARROW);
          await scene.act(app.page, setup);
          const file = `${OUT}/${scene.name}-${colorScheme}.png`;
          await app.page.screenshot({ path: file, fullPage: false });
          if (app.problems.length > 0) throw new Error(`${scene.name}: page problems: ${app.problems.join('; ')}`);
          console.log(`wrote ${file}`);
        } finally {
          await app.close();
          await setup.close();
        }
      }
    }
  } finally {
    await harness.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
