/**
 * Chromium's JS coverage of one harness page (test/e2e/harness.ts), for `npm run coverage` only: the harness
 * calls this when SFTI_RENDERER_COVERAGE names a directory. Each page leaves one raw V8 file there,
 * `page-*.json` ({ result: ScriptCoverage[] }, as NODE_V8_COVERAGE writes), holding the built renderer's
 * scripts only (out/renderer/assets/*.js). The served source and its source map are kept once per content hash
 * under scripts/, so a rebuild of out/ during or after the run cannot mismatch what the report maps
 * (test/coverage/renderer-report.ts).
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

/** The environment variable that turns coverage on and names the directory for the raw files. */
export const RENDERER_COVERAGE_ENV = 'SFTI_RENDERER_COVERAGE';

/** One script's coverage as written to page-*.json: V8's ScriptCoverage plus where the script came from. */
export interface RawScriptCoverage {
  scriptId: string;
  url: string;
  functions: {
    functionName: string;
    isBlockCoverage: boolean;
    ranges: { startOffset: number; endOffset: number; count: number }[];
  }[];
  /** The built file the page loaded (absolute), which the source map's relative `sources` start from. */
  file: string;
  /** sha256 of the served source: scripts/<sha>.js and scripts/<sha>.js.map. */
  sha: string;
}

/** Names each page's file uniquely across the test files' worker processes and across runs. */
const runId = `${process.pid}-${Date.now()}`;
let pageCount = 0;

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
const unlessThere = (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EEXIST') throw e;
};
const warned = new Set<string>();

/** Keeps a built script and, when out/ has it, its source map under scripts/, named by the script's hash. */
async function keepScript(dir: string, source: string | Buffer, builtFile: string): Promise<string> {
  const sha = sha256(source);
  const kept = join(dir, 'scripts', `${sha}.js`);
  await mkdir(join(dir, 'scripts'), { recursive: true });
  await writeFile(kept, source, { flag: 'wx' }).catch(unlessThere);
  const onDisk = await readFile(builtFile).catch(() => null);
  if (onDisk !== null && sha256(onDisk) === sha) {
    // No map next to it is reported below.
    await copyFile(`${builtFile}.map`, `${kept}.map`, constants.COPYFILE_EXCL).catch(() => undefined);
  }
  if (!warned.has(sha) && !(await exists(`${kept}.map`))) {
    warned.add(sha);
    console.warn(`renderer coverage: no source map for ${builtFile}: build with SFTI_RENDERER_SOURCEMAP=1`);
  }
  return sha;
}

/**
 * Keeps every script of the build in `rendererDir` with its map, right after `electron-vite build` and before
 * the tests: a later plain build of the same sources (another run's) gives the same files without the maps.
 */
export async function keepBuiltScripts(dir: string, rendererDir: string): Promise<void> {
  const assets = join(rendererDir, 'assets');
  for (const name of (await readdir(assets)).filter((f) => f.endsWith('.js'))) {
    await keepScript(dir, await readFile(join(assets, name)), join(assets, name));
  }
}

/**
 * Starts collecting on `page` (kept across reloads) and returns what stops it and writes the raw file; call
 * that before the page's context closes. Only scripts served from `origin` under /assets/ are kept.
 */
export async function startPageCoverage(
  page: Page,
  { dir, rendererDir, origin }: { dir: string; rendererDir: string; origin: string },
): Promise<() => Promise<void>> {
  await page.coverage.startJSCoverage({ resetOnNavigation: false });
  let stopped = false;
  return async () => {
    if (stopped) return;
    stopped = true;
    const entries = await page.coverage.stopJSCoverage().catch((e: unknown) => {
      console.warn(`renderer coverage: could not stop coverage on a page: ${String(e)}`);
      return [];
    });
    const result: RawScriptCoverage[] = [];
    for (const entry of entries) {
      const url = new URL(entry.url, origin);
      if (url.origin !== origin || !/^\/assets\/[^/]+\.js$/.test(url.pathname) || entry.source === undefined) continue;
      const file = resolve(rendererDir, url.pathname.slice(1));
      const sha = await keepScript(dir, entry.source, file);
      result.push({ scriptId: entry.scriptId, url: entry.url, functions: entry.functions, file, sha });
    }
    await mkdir(dir, { recursive: true });
    pageCount += 1;
    await writeFile(join(dir, `page-${runId}-${pageCount}.json`), JSON.stringify({ result }));
  };
}
