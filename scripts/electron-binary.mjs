// Where Electron's binary is, without triggering the download that `require('electron')` starts when it is
// missing. Used by `npm start`, the postinstall step and the real-Electron smoke suite.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The command that downloads the binary (the `install-electron` bin of the `electron` package). */
export const INSTALL_COMMAND = 'npx install-electron';

/**
 * The path of Electron's executable, or null when it is not installed. Follows the `electron` package:
 * `path.txt` names the executable inside `dist/`, or inside `ELECTRON_OVERRIDE_DIST_PATH` when that is set.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | null}
 */
export function electronBinary(env = process.env) {
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) {
    const file = join(override, relative || (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return isFile(file) ? file : null;
  }
  if (!relative) return null;
  const file = join(packageDir, 'dist', relative);
  return isFile(file) ? file : null;
}

/** The package directory of `electron`, for running its installer. */
export function electronPackageDir() {
  return dirname(require.resolve('electron/package.json'));
}

/** @param {string} path */
function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
