import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The smoke suite against the built app in the real Electron binary (`npm run test:electron`; see
 * test/electron/README.md). Without the binary it prints one "not run" line and reports its tests as skipped.
 */
export default defineConfig({
  // The suite's own setup (startWorld → the production store factory → electron-store) imports `electron` in this
  // Node process, where `require('electron')` would try to download the binary: it gets the same fake as the
  // other test projects (vitest.config.ts). The app under test runs in Electron and is not affected.
  resolve: {
    alias: [{ find: /^electron$/, replacement: resolve(import.meta.dirname, 'test/fakes/electron-for-store.ts') }],
  },
  test: {
    name: 'electron',
    include: ['test/electron/**/*.test.ts'],
    globalSetup: ['test/electron/global-setup.ts'],
    setupFiles: ['test/setup/loopback-only.ts'],
    environment: 'node',
    server: { deps: { inline: ['electron-store'] } },
    // One Electron app at a time: each launch is a whole browser, and the second-instance check needs quiet.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
