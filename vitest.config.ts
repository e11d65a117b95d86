import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// electron-store (the metadata store) imports `electron`, whose binary is not there under Node: both projects
// hand it a fake of exactly what it uses, so the tests run the production store factory.
const electronFake = [{ find: /^electron$/, replacement: resolve('test/fakes/electron-for-store.ts') }];

/** What checks the output of `electron-vite build` (out/) rather than the sources. */
const BUILT_APP_TESTS = [
  'test/build/bundle.test.ts',
  'test/build/electronegativity.test.ts',
  'test/build/packaging.test.ts',
  // `npm start` on the built app (--skipBuild).
  'test/build/start.test.ts',
];

export default defineConfig({
  test: {
    // Only with --coverage (`npm run coverage`, test/coverage/run.ts): main/ under the node project. main/index.ts
    // is Electron's entry, which does not load under Node. The renderer's coverage comes from the browser suite.
    coverage: {
      provider: 'v8',
      include: ['main/**/*.ts'],
      exclude: ['main/index.ts'],
      reportsDirectory: 'coverage/main',
      reporter: ['text-summary', 'json-summary', 'html'],
      // A failing test still leaves the coverage of the rest to read.
      reportOnFailure: true,
    },
    projects: [
      {
        // The Svelte plugin compiles rune modules (*.svelte.ts) so renderer state classes run under Node.
        plugins: [svelte()],
        // electron-store is inlined because an alias only applies to modules Vite loads, not to externalised
        // node_modules.
        resolve: { alias: electronFake },
        test: {
          name: 'node',
          server: { deps: { inline: ['electron-store'] } },
          setupFiles: ['test/setup/loopback-only.ts'],
          include: ['test/**/*.test.ts'],
          // Tests of the built app need `electron-vite build` first: they are the `built` project (test:e2e).
          exclude: [
            'test/e2e/**',
            'test/electron/**',
            'test/fixtures/**',
            // The real Salesforce CLI from the npm registry: `npm run test:interop` (vitest.interop.config.ts).
            'test/interop/**',
            'node_modules/**',
            ...BUILT_APP_TESTS,
          ],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'built',
          setupFiles: ['test/setup/loopback-only.ts'],
          include: BUILT_APP_TESTS,
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias: electronFake },
        test: {
          name: 'e2e',
          server: { deps: { inline: ['electron-store'] } },
          setupFiles: ['test/setup/loopback-only.ts'],
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
