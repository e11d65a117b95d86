// postinstall: fetch Electron's binary. Since Electron 42 the `electron` package has no install script of its
// own, so without this step `npm start` fails with "Electron uninstall". A machine that cannot download it
// (offline, or ELECTRON_SKIP_BINARY_DOWNLOAD set) still gets a working install: everything but `npm start` runs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { electronBinary, electronPackageDir, INSTALL_COMMAND } from './electron-binary.mjs';

const skip = /^(1|true|yes)$/i.test(process.env['ELECTRON_SKIP_BINARY_DOWNLOAD'] ?? '');

if (electronBinary()) {
  process.exit(0);
} else if (skip) {
  console.warn(
    `Electron's binary was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set). Tests and builds work; to run the app, run "${INSTALL_COMMAND}".`,
  );
} else {
  const result = spawnSync(process.execPath, [join(electronPackageDir(), 'install.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  if (result.status !== 0 || !electronBinary()) {
    const reason = (result.stderr ?? '').split('\n').find((l) => /error/i.test(l)) ?? 'no network?';
    console.warn(
      `Electron's binary could not be downloaded (${reason.trim().slice(0, 200)}). Tests and builds work; to run the app, run "${INSTALL_COMMAND}" when you are online.`,
    );
  }
}
