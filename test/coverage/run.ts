/**
 * `npm run coverage`: line coverage of renderer/ under the browser suite and of main/ under the node project.
 *
 * 1. builds with the renderer's source maps (SFTI_RENDERER_SOURCEMAP, see electron.vite.config.ts) and keeps
 *    the built scripts with their maps at once, so another build of out/ during the run cannot take the maps;
 * 2. runs the e2e project with SFTI_RENDERER_COVERAGE, so each harness page writes Chromium's raw coverage, and
 *    maps that back to renderer/ sources (test/coverage/renderer-report.ts) into coverage/renderer;
 * 3. runs the node project with --coverage (coverage-v8, main/ only: vitest.config.ts) into coverage/main.
 *
 * Every step runs even when one before it fails (a failing test still leaves coverage to read); the exit code
 * says whether all passed. The source maps stay in out/renderer (not referenced from the bundle, which is the
 * same as a plain build's) until the next plain build empties it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { keepBuiltScripts, RENDERER_COVERAGE_ENV } from './page-coverage';
import { formatPct, RENDERER_RAW_DIR, reportRendererCoverage } from './renderer-report';

const started = performance.now();
const failures: string[] = [];

function step(name: string, command: string, env: Record<string, string> = {}): void {
  console.log(`\n== ${name}: ${command}`);
  const run = spawnSync(command, { stdio: 'inherit', shell: true, env: { ...process.env, ...env } });
  if (run.status !== 0) failures.push(`${name} (exit ${run.status ?? run.signal})`);
}

function mainLines(): number | null {
  try {
    const summary = JSON.parse(readFileSync('coverage/main/coverage-summary.json', 'utf8')) as {
      total: { lines: { pct: number } };
    };
    return summary.total.lines.pct;
  } catch (e) {
    failures.push(`main/ summary (${String(e)})`);
    return null;
  }
}

rmSync('coverage', { recursive: true, force: true });
step('build', 'npx electron-vite build', { SFTI_RENDERER_SOURCEMAP: '1' });
await keepBuiltScripts(resolve(RENDERER_RAW_DIR), resolve('out/renderer')).catch((e: unknown) => {
  failures.push(`keeping the built scripts (${String(e)})`);
});
step('e2e project', 'npx vitest run --project e2e', { [RENDERER_COVERAGE_ENV]: resolve(RENDERER_RAW_DIR) });
const renderer = await reportRendererCoverage().catch((e: unknown) => {
  failures.push(`renderer/ report (${String(e)})`);
  return null;
});
step('node project', 'npx vitest run --project node --coverage');
const main = mainLines();

console.log('');
console.log(`main/ lines: ${main === null ? 'n/a' : formatPct(main)}   (coverage/main/index.html)`);
console.log(`renderer/ lines: ${renderer === null ? 'n/a' : formatPct(renderer)}   (coverage/renderer/index.html)`);
console.log(`wall time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
if (failures.length > 0) {
  console.error(`failed: ${failures.join('; ')}`);
  process.exitCode = 1;
}
