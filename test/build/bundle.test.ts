/** Checks the built output (`npm test` builds before it runs the suites). */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('built bundles', () => {
  it('has a CommonJS preload, as a sandboxed renderer requires, that loads nothing but electron', () => {
    expect(existsSync('out/preload/index.cjs'), 'run npm run build first').toBe(true);
    const code = readFileSync('out/preload/index.cjs', 'utf8');
    expect(code).not.toMatch(/^\s*import\s/m);
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(code).toContain('exposeInMainWorld');
  });

  it('points main at the preload and at the renderer folder it serves as app://renderer', () => {
    const main = readFileSync('out/main/index.js', 'utf8');
    expect(main).toContain('preload/index.cjs');
    expect(main).toMatch(/join\(import\.meta\.dirname, "\.\.\/renderer"\)/);
    expect(main).toContain('app://renderer');
    expect(main).not.toContain('pathToFileURL');
    expect(existsSync('out/renderer/index.html')).toBe(true);
  });

  it('ships no inline script in the renderer (the CSP forbids them)', () => {
    const html = readFileSync('out/renderer/index.html', 'utf8');
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)];
    expect(inline).toEqual([]);
  });
});
