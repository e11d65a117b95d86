/** Finding the `sf` executable: on PATH first, then in the usual install places. */
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { cliInstallDirs, pathEntries } from './search-path';

export interface FindCliOptions {
  /** Whose PATH to search (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Whose naming and PATH rules to use (default `process.platform`). */
  platform?: NodeJS.Platform;
  /** Home folder for the per-user install places (default `os.homedir()`). */
  homeDir?: string;
  /** The places searched after PATH (default {@link cliInstallDirs}); tests pass their own. */
  installDirs?: readonly string[];
}

/**
 * The absolute path of the `sf` executable, or null when there is none: each absolute directory of PATH
 * in order (`;`-separated on Windows, where `sf.cmd` and `sf.exe` are looked for), then
 * {@link cliInstallDirs}. Only regular files count, and off Windows only executable ones. Relative PATH
 * entries are skipped: they would run whatever `sf` the current folder holds.
 */
export async function findSalesforceCli(options: FindCliOptions = {}): Promise<string | null> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const names = platform === 'win32' ? ['sf.cmd', 'sf.exe'] : ['sf'];
  const fromPath = pathEntries(env, platform);
  const fallback = options.installDirs ?? cliInstallDirs(platform, options.homeDir ?? homedir(), env);
  const seen = new Set<string>();
  for (const dir of [...fromPath, ...fallback]) {
    const key = platform === 'win32' ? dir.toLowerCase() : dir;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const name of names) {
      const candidate = p.join(dir, name);
      if (await isExecutableFile(candidate, platform)) return candidate;
    }
  }
  return null;
}

async function isExecutableFile(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    if (platform !== 'win32') await access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}
