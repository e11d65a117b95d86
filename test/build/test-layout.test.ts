/**
 * Every source module has a test file at its matching path, or a stated reason in test/untested.json why not
 * (a declarations module, an entry point that does not load under Node, a composition proven elsewhere). The
 * rule is checked on a small made-up tree first, so this test can fail.
 *
 * Layout: main/<dir>/<name>.ts → test/<dir>/<name>.test.ts (subfolders kept); main/<name>.ts →
 * test/main/<name>.test.ts; preload/<name>.ts → test/preload/<name>.test.ts; renderer/<any>/<name>.ts or
 * <name>.svelte.ts → test/renderer/<name>.test.ts. Svelte components (*.svelte) are the browser suite's (test/e2e).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';

const SOURCE_ROOTS = ['main', 'preload', 'renderer'];
const REASONS_FILE = 'test/untested.json';

/** The test file a source module's tests belong in, by the layout above. */
function matchingTest(source: string): string {
  const parts = source.split('/');
  const root = parts[0];
  const file = parts.at(-1) ?? '';
  const name = file.replace(/\.svelte\.ts$/, '').replace(/\.ts$/, '');
  if (root === 'renderer') return `test/renderer/${name}.test.ts`;
  if (root === 'main' && parts.length > 2) return `test/${parts.slice(1, -1).join('/')}/${name}.test.ts`;
  return `test/${root}/${name}.test.ts`;
}

interface Layout {
  /** Source modules with neither a test at their path nor a reason. */
  untested: string[];
  /** Reasons whose source is gone, or that now has a test at its path. */
  stale: string[];
  /** Renderer modules whose names collide, so one test path would stand for two modules. */
  clashes: string[];
}

function checkLayout(sources: string[], hasFile: (path: string) => boolean, reasons: Record<string, string>): Layout {
  const untested = sources.filter((s) => !hasFile(matchingTest(s)) && !reasons[s]?.trim());
  const stale = Object.keys(reasons).filter((s) => !sources.includes(s) || hasFile(matchingTest(s)));
  const byTest = new Map<string, string[]>();
  for (const s of sources) byTest.set(matchingTest(s), [...(byTest.get(matchingTest(s)) ?? []), s]);
  const clashes = [...byTest.values()].filter((group) => group.length > 1).map((group) => group.join(' + '));
  return { untested, stale, clashes };
}

function sourceModules(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((p) => posix.join(root, p.split('\\').join('/')))
    .filter((p) => p.endsWith('.ts'))
    .sort();
}

describe('test layout', () => {
  it('maps sources to their test paths', () => {
    expect(matchingTest('main/orgs/grants/jwt-bearer.ts')).toBe('test/orgs/grants/jwt-bearer.test.ts');
    expect(matchingTest('main/oauth/revoke.ts')).toBe('test/oauth/revoke.test.ts');
    expect(matchingTest('main/csp.ts')).toBe('test/main/csp.test.ts');
    expect(matchingTest('preload/api-factory.ts')).toBe('test/preload/api-factory.test.ts');
    expect(matchingTest('renderer/state/clock.svelte.ts')).toBe('test/renderer/clock.test.ts');
    expect(matchingTest('renderer/components/add-org/fields.ts')).toBe('test/renderer/fields.test.ts');
  });

  it('reports a module without a test or reason, a stale reason and a name clash in a made-up tree', () => {
    const files = new Set(['test/oauth/revoke.test.ts', 'test/main/csp.test.ts']);
    const layout = checkLayout(
      [
        'main/oauth/revoke.ts',
        'main/oauth/http.ts',
        'main/csp.ts',
        'main/index.ts',
        'renderer/a/x.ts',
        'renderer/b/x.svelte.ts',
      ],
      (p) => files.has(p),
      {
        'main/index.ts': 'entry point',
        'main/csp.ts': 'was untested',
        'main/gone.ts': 'deleted',
        'renderer/a/x.ts': 'r',
      },
    );
    expect(layout).toEqual({
      untested: ['main/oauth/http.ts', 'renderer/b/x.svelte.ts'],
      stale: ['main/csp.ts', 'main/gone.ts'],
      clashes: ['renderer/a/x.ts + renderer/b/x.svelte.ts'],
    });
  });

  it('holds for main/, preload/ and renderer/', () => {
    const sources = SOURCE_ROOTS.flatMap(sourceModules);
    const reasons = JSON.parse(readFileSync(REASONS_FILE, 'utf8')) as Record<string, string>;
    const layout = checkLayout(sources, (p) => existsSync(join(process.cwd(), p)), reasons);
    expect(layout.untested.map((s) => `${s}: no ${matchingTest(s)} and no reason in ${REASONS_FILE}`)).toEqual([]);
    expect(layout.stale.map((s) => `${s}: stale entry in ${REASONS_FILE}`)).toEqual([]);
    expect(layout.clashes).toEqual([]);
  });
});
