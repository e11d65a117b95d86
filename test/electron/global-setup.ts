/**
 * Runs once per `vitest run --config vitest.electron.config.ts`: finds Electron's binary and hands the result
 * to the test files. Without it the suite says so in one line and its tests are reported as skipped, never as
 * passed; with SMOKE_REQUIRE_ELECTRON=1 a missing binary fails the run.
 */
import type { TestProject } from 'vitest/node';
import { binaryRequired, findElectronBinary, INSTALL_COMMAND, NOT_RUN_LINE, REQUIRE_VARIABLE } from './binary';

export default function setup(project: TestProject): void {
  const binary = findElectronBinary();
  if (binary.executable === null) {
    if (binaryRequired()) {
      throw new Error(
        `${REQUIRE_VARIABLE}=1, but there is no Electron binary (looked at ${binary.lookedAt}). Run "${INSTALL_COMMAND}" first.`,
      );
    }
    console.log(NOT_RUN_LINE);
  }
  project.provide('electronSmoke', { executable: binary.executable });
}
