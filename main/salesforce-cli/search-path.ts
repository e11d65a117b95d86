/**
 * Where `sf` may be: the absolute directories of PATH, and the places installers put it, which the minimal
 * PATH of an app started from the macOS Finder or a Linux desktop lacks.
 */
import path from 'node:path';

/**
 * Where installers put `sf`, searched after PATH because an app started from the macOS Finder or a Linux
 * desktop gets a minimal PATH (`/usr/bin:/bin`) without the user's shell setup: the macOS .pkg and npm
 * (`/usr/local/bin`, `/usr/local/sf/bin`), Homebrew on Apple silicon, npm with a user prefix, Volta, distro
 * packages; on Windows the npm global folder and the installer's `%ProgramFiles%\sf\bin`.
 */
export function cliInstallDirs(platform: NodeJS.Platform, homeDir: string, env: NodeJS.ProcessEnv = {}): string[] {
  if (platform === 'win32') {
    const appData = envValue(env, 'APPDATA', platform) ?? path.win32.join(homeDir, 'AppData', 'Roaming');
    const dirs = [path.win32.join(appData, 'npm')];
    const programFiles = envValue(env, 'ProgramFiles', platform);
    if (programFiles) dirs.push(path.win32.join(programFiles, 'sf', 'bin'));
    return dirs;
  }
  const home = (...parts: string[]) => path.posix.join(homeDir, ...parts);
  return [
    '/usr/local/bin',
    '/usr/local/sf/bin',
    '/opt/homebrew/bin',
    home('.local', 'bin'),
    home('.npm-global', 'bin'),
    home('.volta', 'bin'),
    '/usr/bin',
  ];
}

/**
 * The absolute directories of PATH, in order: `;`-separated and case-insensitively named (`Path`) on
 * Windows, quotes around an entry removed; relative entries are dropped.
 */
export function pathEntries(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const p = platform === 'win32' ? path.win32 : path.posix;
  return (envValue(env, 'PATH', platform) ?? '')
    .split(p.delimiter)
    .map((dir) => dir.trim().replace(/^"(.*)"$/, '$1'))
    .filter((dir) => dir !== '' && p.isAbsolute(dir));
}

/** An environment variable by name; on Windows names are case-insensitive (`Path`, `PATH`). */
function envValue(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}
