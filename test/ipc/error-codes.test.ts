/**
 * Every code in the contract's `ERROR_CODES` is produced somewhere: thrown as an `AppError`, returned in a
 * `Result`, or mapped to from a server's answer, in the source of main, preload or renderer. A code nobody
 * produces is a promise to the window (and to a reader of the union) that no code path keeps.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../preload/contract';

const SOURCE_DIRS = ['main', 'preload', 'renderer'];
/** Where the codes are declared: naming them there produces none. */
const DECLARATION = join('preload', 'contract-errors.ts');

function sourceFiles(): string[] {
  return SOURCE_DIRS.flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((file) => join(dir, file))
      .filter((file) => /\.(ts|svelte)$/.test(file) && file !== DECLARATION),
  );
}

/** The text without block comments and whole-line `//` comments, so a code only mentioned in words does not count. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Text just before a code literal that only reads a code: a comparison, a `case`, or `isAppError(e, …)`. */
const READS_A_CODE = /(?:[!=]==?|\bcase|\bisAppError\([^,()]*,)\s*$/;

/** The codes that `source` produces: every quoted occurrence that is not in a place that only reads a code. */
function producedCodes(source: string): Set<string> {
  const text = withoutComments(source);
  const produced = new Set<string>();
  for (const code of ERROR_CODES) {
    for (const quote of ["'", '"', '`']) {
      const literal = quote + code + quote;
      for (let at = text.indexOf(literal); at !== -1; at = text.indexOf(literal, at + 1)) {
        if (!READS_A_CODE.test(text.slice(Math.max(0, at - 200), at))) produced.add(code);
      }
    }
  }
  return produced;
}

describe('error codes', () => {
  it('counts a code that is thrown or returned, and not one that is only compared or mentioned', () => {
    expect([...producedCodes("throw new AppError('vault/io', 'x');")]).toEqual(['vault/io']);
    expect([...producedCodes("return { ok: false, error: { code: 'vault/io', message } };")]).toEqual(['vault/io']);
    expect([...producedCodes("throw coded(\n  'vault/io',\n  'x',\n);")]).toEqual(['vault/io']);
    expect([...producedCodes("if (r.error.code === 'vault/io') reload();")]).toEqual([]);
    expect([...producedCodes("if (isAppError(e, 'vault/io')) return;")]).toEqual([]);
    expect([...producedCodes("switch (code) {\n  case 'vault/io':\n}")]).toEqual([]);
    expect([...producedCodes("/** Throws 'vault/io' when the disk is full. */\n// or 'vault/io'\nf();")]).toEqual([]);
  });

  it('has no code in the contract that main, preload or renderer never produces', () => {
    const produced = new Set<string>();
    for (const file of sourceFiles()) for (const code of producedCodes(readFileSync(file, 'utf8'))) produced.add(code);
    const neverProduced = ERROR_CODES.filter((code) => !produced.has(code));
    expect(neverProduced, `error codes no source file throws or returns: ${neverProduced.join(', ')}`).toEqual([]);
  });
});
