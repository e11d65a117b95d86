import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BROWSER_IDS, type BrowserId, type FoundBrowser } from '../../preload/contract';

/**
 * Where browsers are looked for, passed in from main/index.ts (the machine's) or a test (its own): nothing here
 * reads `process`.
 */
export interface BrowserPlaces {
  platform: NodeJS.Platform;
  /** `PATH` (Linux and other Unix); `ProgramFiles`, `ProgramFiles(x86)`, `LOCALAPPDATA` (Windows). */
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** macOS: the folders holding `.app` bundles; default `/Applications` and `~/Applications`. */
  appDirs?: readonly string[];
}

/** A browser found, and how to start it with a URL: `command`, then `args`, then the URL as one argument. */
export interface InstalledBrowser extends FoundBrowser {
  command: string;
  args: readonly string[];
}

/** What each browser is called, and where each platform keeps it. */
interface BrowserKind {
  name: string;
  /** Linux (any Unix but macOS): executable names looked for on PATH, in this order. */
  executables: readonly string[];
  /** macOS: the app bundle's name. */
  app?: string;
  /** Windows: the executable below Program Files or LocalAppData. */
  windows?: readonly string[];
}

// The names the `open` package's `apps` (which `sf org open --browser` uses) and the browsers' own packages give them.
const KINDS: Record<BrowserId, BrowserKind> = {
  chrome: {
    name: 'Google Chrome',
    executables: ['google-chrome', 'google-chrome-stable'],
    app: 'Google Chrome.app',
    windows: ['Google\\Chrome\\Application\\chrome.exe'],
  },
  chromium: {
    name: 'Chromium',
    executables: ['chromium', 'chromium-browser'],
    app: 'Chromium.app',
    windows: ['Chromium\\Application\\chrome.exe'],
  },
  edge: {
    name: 'Microsoft Edge',
    executables: ['microsoft-edge', 'microsoft-edge-stable'],
    app: 'Microsoft Edge.app',
    windows: ['Microsoft\\Edge\\Application\\msedge.exe'],
  },
  firefox: {
    name: 'Firefox',
    executables: ['firefox'],
    app: 'Firefox.app',
    windows: ['Mozilla Firefox\\firefox.exe'],
  },
  brave: {
    name: 'Brave',
    executables: ['brave-browser', 'brave'],
    app: 'Brave Browser.app',
    windows: ['BraveSoftware\\Brave-Browser\\Application\\brave.exe'],
  },
  safari: { name: 'Safari', executables: [], app: 'Safari.app' },
};

/** macOS starts an app bundle with a URL through LaunchServices: `open -a <bundle> <url>`. */
const MAC_OPEN = '/usr/bin/open';

/**
 * The browsers installed, in {@link BROWSER_IDS} order, each once (the first place it is found):
 * - Linux and other Unix: an executable file of one of its names in a folder of `PATH`;
 * - macOS: `<Name>.app` in `/Applications` or `~/Applications`, started with `open -a`;
 * - Windows: its executable under `%ProgramFiles%`, `%ProgramFiles(x86)%` or `%LOCALAPPDATA%` (the installers'
 *   folders; the registry's App Paths are not read).
 */
export async function findBrowsers(places: BrowserPlaces): Promise<InstalledBrowser[]> {
  const found: InstalledBrowser[] = [];
  for (const id of BROWSER_IDS) {
    const browser = await findBrowser(places, id);
    if (browser) found.push(browser);
  }
  return found;
}

/** One browser, or null when it is not installed where {@link findBrowsers} looks. */
export async function findBrowser(places: BrowserPlaces, id: BrowserId): Promise<InstalledBrowser | null> {
  const kind = KINDS[id];
  const browser = (command: string, args: readonly string[] = []): InstalledBrowser => ({
    id,
    name: kind.name,
    command,
    args,
  });
  if (places.platform === 'darwin') {
    if (!kind.app) return null;
    const dirs = places.appDirs ?? ['/Applications', join(places.homeDir, 'Applications')];
    for (const dir of dirs) {
      const bundle = join(dir, kind.app);
      if (await isDirectory(bundle)) return browser(MAC_OPEN, ['-a', bundle]);
    }
    return null;
  }
  if (places.platform === 'win32') {
    const roots = ['ProgramFiles', 'ProgramFiles(x86)', 'LOCALAPPDATA']
      .map((name) => envValue(places.env, name))
      .filter((root): root is string => root !== undefined && root !== '');
    for (const root of roots) {
      for (const relative of kind.windows ?? []) {
        const file = join(root, ...relative.split('\\'));
        if (await isFile(file)) return browser(file);
      }
    }
    return null;
  }
  const dirs = (envValue(places.env, 'PATH') ?? '').split(':').filter((dir) => dir.startsWith('/'));
  for (const name of kind.executables) {
    for (const dir of dirs) {
      const file = join(dir, name);
      if (await isExecutable(file)) return browser(file);
    }
  }
  return null;
}

/** A variable of `env`, ignoring case as Windows does (`Path`, `PATH`). */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : env[key];
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function isExecutable(path: string): Promise<boolean> {
  if (!(await isFile(path))) return false;
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}
