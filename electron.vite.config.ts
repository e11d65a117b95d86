import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { metaCsp, RENDERER_CSP, rendererCsp } from './main/csp';

/**
 * `npm run dev` only: Vite's dev server injects CSS as <style> elements, which the production policy in
 * index.html blocks (the page renders unstyled). Main sends the same dev policy as a header.
 */
export function devCsp(): Plugin {
  return {
    name: 'sfti-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      const production = metaCsp(RENDERER_CSP);
      if (!html.includes(production)) throw new Error('renderer/index.html no longer states the production CSP.');
      return html.replace(production, metaCsp(rendererCsp('dev')));
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: { input: { index: resolve('main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // The renderer is sandboxed, so the preload must be one self-contained CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    // The renderer's root is renderer/, so point the plugin at the one svelte.config.js the tests use too.
    plugins: [svelte({ configFile: resolve('svelte.config.js') }), devCsp()],
    build: {
      outDir: 'out/renderer',
      // `npm run coverage` only (test/coverage/run.ts): source maps next to the bundle, not referenced from it,
      // so Chromium's coverage of the built files can be mapped back to renderer/ sources.
      sourcemap: process.env['SFTI_RENDERER_SOURCEMAP'] === '1' ? 'hidden' : false,
      rolldownOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
