/**
 * Renderer line coverage from the browser suite: maps the raw V8 files the harness wrote
 * (test/coverage/page-coverage.ts) back to renderer/ sources through the build's source maps, merges every page,
 * prints per-file and total line coverage and writes coverage-summary.json and an HTML report.
 *
 *   node --import tsx test/coverage/renderer-report.ts [raw dir] [report dir]
 *
 * Defaults: coverage/renderer-v8 and coverage/renderer. Only files under renderer/ count: the Svelte runtime and
 * the preload contract that the bundle also holds are left out.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import convert from 'ast-v8-to-istanbul';
import libCoverage, { type CoverageMap } from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';
import { parseAstAsync } from 'vite';
import type { RawScriptCoverage } from './page-coverage';

export const RENDERER_RAW_DIR = 'coverage/renderer-v8';
const RENDERER_REPORT_DIR = 'coverage/renderer';

const RENDERER_SOURCES = resolve('renderer');

type Program = Awaited<ReturnType<typeof parseAstAsync>>;
interface Script {
  code: string;
  map: Parameters<typeof convert>[0]['sourceMap'];
  ast: Program;
}

const isRendererSource = (file: string) =>
  file.startsWith(RENDERER_SOURCES + sep) && !file.split(sep).includes('node_modules');

async function loadScript(rawDir: string, sha: string, cache: Map<string, Promise<Script>>): Promise<Script> {
  let script = cache.get(sha);
  if (!script) {
    script = (async () => {
      const base = join(rawDir, 'scripts', `${sha}.js`);
      const code = await readFile(base, 'utf8');
      const map = await readFile(`${base}.map`, 'utf8').catch(() => {
        throw new Error(`no source map kept for ${base}: build with SFTI_RENDERER_SOURCEMAP=1 before the run`);
      });
      return { code, map: JSON.parse(map) as Script['map'], ast: await parseAstAsync(code) };
    })();
    cache.set(sha, script);
  }
  return script;
}

/** Every renderer source a page could load (TypeScript and Svelte, not declarations). */
async function rendererSources(): Promise<string[]> {
  const entries = await readdir(RENDERER_SOURCES, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|svelte)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const pct = (covered: number, total: number) => (total === 0 ? 100 : (100 * covered) / total);
export const formatPct = (value: number) => `${value.toFixed(1)} %`;

/** Builds the merged map of renderer/ sources from every page-*.json in `rawDir`. */
async function rendererCoverageMap(rawDir: string): Promise<{ map: CoverageMap; pages: number }> {
  const pageFiles = (await readdir(rawDir)).filter((f) => /^page-.*\.json$/.test(f)).sort();
  if (pageFiles.length === 0) throw new Error(`no page-*.json in ${rawDir}: run the e2e project with coverage on`);
  const map = libCoverage.createCoverageMap();
  const scripts = new Map<string, Promise<Script>>();
  for (const pageFile of pageFiles) {
    const { result } = JSON.parse(await readFile(join(rawDir, pageFile), 'utf8')) as { result: RawScriptCoverage[] };
    for (const entry of result) {
      const { code, map: sourceMap, ast } = await loadScript(rawDir, entry.sha, scripts);
      const data = await convert({
        code,
        ...(sourceMap ? { sourceMap } : {}),
        ast,
        coverage: { url: pathToFileURL(entry.file).href, functions: entry.functions },
      });
      map.merge(data as Record<string, unknown>);
    }
  }
  map.filter(isRendererSource);
  return { map, pages: pageFiles.length };
}

/** Prints the per-file table and the total, writes the reports, and returns the total line percentage. */
export async function reportRendererCoverage(
  rawDir = RENDERER_RAW_DIR,
  reportDir = RENDERER_REPORT_DIR,
): Promise<number> {
  const { map, pages } = await rendererCoverageMap(resolve(rawDir));
  const files = map.files().sort();
  console.log(`\nrenderer/ line coverage (${pages} pages of the browser suite)`);
  for (const file of files) {
    const { lines } = map.fileCoverageFor(file).toSummary();
    const line = `${formatPct(pct(lines.covered, lines.total)).padStart(8)}  ${relative('.', file)}`;
    console.log(`${line}  (${lines.covered}/${lines.total})`);
  }
  const missing = (await rendererSources()).filter((f) => !files.includes(f));
  for (const file of missing) console.log(`     n/a  ${relative('.', file)}  (not in the built bundle)`);

  const context = libReport.createContext({ dir: resolve(reportDir), coverageMap: map, defaultSummarizer: 'nested' });
  for (const name of ['json-summary', 'html'] as const) reports.create(name).execute(context);
  const { lines } = map.getCoverageSummary();
  return pct(lines.covered, lines.total);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [rawDir, reportDir] = process.argv.slice(2);
  const total = await reportRendererCoverage(rawDir, reportDir);
  console.log(`renderer/ lines: ${formatPct(total)}`);
}
