/**
 * Where Electron's executable is, found without `require('electron')` (that package's index.js starts a
 * download when the binary is missing, and a test run must never do that): the same lookup `npm start` uses.
 */
import { electronBinary, INSTALL_COMMAND } from '../../scripts/electron-binary.mjs';

export { INSTALL_COMMAND };

/** The one line the suite prints when it cannot run. */
export const NOT_RUN_LINE = `not run: no Electron binary (run "${INSTALL_COMMAND}" to get it)`;

/** Set to 1 (CI with the binary) to make a missing binary fail the run instead of skipping it. */
export const REQUIRE_VARIABLE = 'SMOKE_REQUIRE_ELECTRON';

export interface ElectronBinary {
  /** The executable, or null when it is not installed. */
  executable: string | null;
  /** Where it was looked for (for messages). */
  lookedAt: string;
}

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const executable = electronBinary(env);
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  const lookedAt = override ? override : 'node_modules/electron/dist (named by node_modules/electron/path.txt)';
  return { executable, lookedAt };
}

export function binaryRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[REQUIRE_VARIABLE] === '1';
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by test/electron/global-setup.ts; absent when a test file runs under another config. */
    electronSmoke: { executable: string | null };
  }
}
