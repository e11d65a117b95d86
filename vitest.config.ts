import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// electron-store (the metadata store) imports `electron`, whose binary is not there under Node: both projects
// hand it a fake of exactly what it uses, so the tests run the production store factory.
const electronFake = [{ find: /^electron$/, replacement: resolve('test/fakes/electron-for-store.ts') }];

export default defineConfig({
  test: {
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
          exclude: ['test/e2e/**', 'test/electron/**', 'node_modules/**'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 20_000,
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
