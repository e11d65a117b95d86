/**
 * No export of the shipped code is used only by tests: the tests must prove what the app runs. The checker
 * itself is proven on a small fixture tree first, so this test can fail.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testOnlyExports } from './test-only-exports';

describe('exports only tests use', () => {
  it('are found in a fixture: a function only a test calls is reported, used ones and types are not', () => {
    const root = resolve('test/fixtures/exports');
    expect(testOnlyExports(root, ['src'], 'tsconfig.json')).toEqual([
      { file: 'src/lib.ts', name: 'onlyTestsCallThis' },
    ]);
  });

  it('do not exist in main/, preload/ or renderer/', () => {
    const found = testOnlyExports(process.cwd(), ['main', 'preload', 'renderer'], 'tsconfig.json', [
      'electron.vite.config.ts',
    ]);
    expect(found.map((u) => `${u.file}: ${u.name}`)).toEqual([]);
  }, 120_000);
});
