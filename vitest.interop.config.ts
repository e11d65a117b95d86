import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The interop suite (`npm run test:interop`; see the README): the real Salesforce CLI from the npm registry,
 * signed in to the Salesforce double over https, imported through the app's real handlers.
 */
export default defineConfig({
  // The handlers' vault (electron-store) imports `electron`, whose binary is not there under Node: the same
  // fake as the other test projects (vitest.config.ts).
  resolve: {
    alias: [{ find: /^electron$/, replacement: resolve(import.meta.dirname, 'test/fakes/electron-for-store.ts') }],
  },
  test: {
    name: 'interop',
    include: ['test/interop/**/*.test.ts'],
    globalSetup: ['test/interop/global-setup.ts'],
    setupFiles: ['test/setup/loopback-only.ts'],
    environment: 'node',
    server: { deps: { inline: ['electron-store'] } },
    // Each test runs several sf processes (about 1.5 s each on an idle machine).
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
