/**
 * Starts the built app (out/main/index.js, with the project root as the app folder) in the real Electron
 * binary through Playwright, each launch with its own temp user-data folder, and gives the tests what they
 * need around it: the window's page, `window.api` calls, what the app asked the system browser to open, a
 * second instance, and TCP probes. Nothing here starts a browser or touches the internet: `shell.openExternal`
 * is replaced in main before any test acts, and the tests finish the logins with an HTTP client.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { describe, expect, inject } from 'vitest';
import type { ApiArgument, ApiMethod, ApiValue, Result } from '../../preload/contract';
import { followCallback, loginAtSalesforceDouble } from '../servers/browser-login';

/** The project root: Electron reads package.json here and starts its `main`, out/main/index.js. */
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const MAIN_FILE = join(ROOT, 'out', 'main', 'index.js');

/** The binary global-setup.ts found; null when there is none (or this file runs under another config). */
export const ELECTRON: string | null = inject('electronSmoke')?.executable ?? null;

/** `describe` for suites that need the binary: reported as skipped, never as passed, without it. */
export const describeElectron = describe.skipIf(ELECTRON === null);

const LAUNCH_TIMEOUT_MS = 60_000;

/**
 * What the app must not inherit from the test runner: the dev-server URL (electron-vite dev sets it; the app
 * would load that instead of app://renderer/), Node mode (Electron would run as plain Node) and Node options.
 */
const DROPPED_VARIABLES = new Set(['ELECTRON_RENDERER_URL', 'ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS']);

export function appEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && !DROPPED_VARIABLES.has(key.toUpperCase())) env[key] = value;
  }
  return env;
}

/** A temp folder per launch; the app gets `<dir>/user-data` and (unpackaged) keeps its data in `…-dev` next to it. */
export interface Profile {
  dir: string;
  userDataDir: string;
  cleanup(): Promise<void>;
}

export async function tempProfile(): Promise<Profile> {
  // Resolved (macOS's /var is /private/var), as Electron resolves the folder it is given.
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'sfti-electron-')));
  return {
    dir,
    userDataDir: join(dir, 'user-data'),
    cleanup: () => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }),
  };
}

/** What the tests install in main; read back with `electronApp.evaluate`. */
export interface SmokeGlobals {
  /** Every URL the app passed to `shell.openExternal`, oldest first. */
  __smokeOpened?: string[];
}

export interface LaunchedApp {
  electronApp: ElectronApplication;
  /** The app's window, once it has left about:blank. */
  page: Page;
  profile: Profile;
  /** Console errors and uncaught errors of the page since the window appeared. */
  problems: string[];
  /** URLs the app asked the system browser to open (none is opened). */
  opened(): Promise<string[]>;
  /** True while the Electron process runs. */
  running(): boolean;
  /** Quits the app if it still runs, and removes the temp folder when this launch made it. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Reuse a user-data folder (the caller cleans it up); default a fresh one, removed by `close`. */
  profile?: Profile;
  /** The environment the app runs in (default this process's), without DROPPED_VARIABLES. */
  env?: NodeJS.ProcessEnv;
}

export async function launchApp(options: LaunchOptions = {}): Promise<LaunchedApp> {
  if (ELECTRON === null) throw new Error('No Electron binary: these tests should have been skipped.');
  await stat(MAIN_FILE).catch(() => {
    throw new Error(`No built app at ${MAIN_FILE}: run "npm run test:electron" (it builds first) or "npm run build".`);
  });
  const profile = options.profile ?? (await tempProfile());
  const ownProfile = options.profile === undefined;
  let electronApp: ElectronApplication | null = null;
  try {
    electronApp = await _electron.launch({
      // Given explicitly, so Playwright never calls require('electron') (which downloads a missing binary).
      executablePath: ELECTRON,
      args: [ROOT, `--user-data-dir=${profile.userDataDir}`],
      cwd: ROOT,
      env: appEnv(options.env),
      timeout: LAUNCH_TIMEOUT_MS,
    });
    const launched = electronApp;
    await stubSystemBrowser(launched);
    await expectIsolatedUserData(launched, profile);

    const page = await launched.firstWindow({ timeout: LAUNCH_TIMEOUT_MS });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await expect
      .poll(() => !['', 'about:blank'].includes(page.url()), {
        timeout: LAUNCH_TIMEOUT_MS,
        message: 'the window loads',
      })
      .toBe(true);
    await page.waitForLoadState('domcontentloaded');

    const child = launched.process();
    const alive = () => child.exitCode === null && child.signalCode === null;
    return {
      electronApp: launched,
      page,
      profile,
      problems,
      opened: () => launched.evaluate(() => (globalThis as unknown as SmokeGlobals).__smokeOpened ?? []),
      running: alive,
      async close() {
        try {
          if (alive()) await launched.close();
        } finally {
          if (ownProfile) await profile.cleanup();
        }
      },
    };
  } catch (e) {
    await electronApp?.close().catch(() => undefined);
    if (ownProfile) await profile.cleanup();
    throw e;
  }
}

/** Replaces `shell.openExternal` in main with a recorder, so sign-ins never open a real browser. */
async function stubSystemBrowser(electronApp: ElectronApplication): Promise<void> {
  const installed = await electronApp.evaluate(({ shell }) => {
    const g = globalThis as unknown as SmokeGlobals;
    g.__smokeOpened = [];
    const record = async (url: string): Promise<void> => {
      g.__smokeOpened?.push(url);
    };
    shell.openExternal = record;
    return shell.openExternal === record;
  });
  if (!installed) throw new Error('Could not replace shell.openExternal in main: a sign-in would open a real browser.');
}

/** Fails the launch when the app did not take --user-data-dir (it would use, and lock, a real profile). */
async function expectIsolatedUserData(electronApp: ElectronApplication, profile: Profile): Promise<void> {
  const userData = await electronApp.evaluate(({ app }) => app.getPath('userData'));
  const inside = relative(profile.dir, userData);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new Error(
      `The app keeps its data in ${userData}, not under ${profile.dir}: it ignored --user-data-dir, so this run would share a real profile.`,
    );
  }
}

/** Calls one `window.api` method in the page and returns its Result, as the renderer would get it. */
export function callApi<M extends ApiMethod>(page: Page, method: M, arg: ApiArgument<M>): Promise<Result<ApiValue<M>>> {
  return page.evaluate(
    async ({ method, arg }) => {
      const api = (window as unknown as { api: Record<string, (a?: unknown) => Promise<unknown>> }).api;
      return api[method]!(arg);
    },
    { method: method as string, arg: arg as unknown },
  ) as Promise<Result<ApiValue<M>>>;
}

/** The value of an ok Result; fails the test with the error otherwise. */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`window.api answered ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/**
 * What a person does in the browser the app opened: waits for the `index`-th authorize URL the app asked to
 * open, logs in at the Salesforce double and requests the app's loopback callback.
 */
export async function logInInBrowser(
  app: LaunchedApp,
  user: { username: string; password: string },
  index = 0,
): Promise<{ status: number; body: string }> {
  let url: string | undefined;
  await expect
    .poll(async () => (url = (await app.opened()).filter((u) => u.includes('/services/oauth2/authorize'))[index]), {
      timeout: 30_000,
      message: 'the app opens the authorize URL in the browser',
    })
    .toBeDefined();
  const { callbackUrl } = await loginAtSalesforceDouble(url!, user);
  const { status, body } = await followCallback(callbackUrl);
  return { status, body };
}

export interface InstanceRun {
  /** Exit code, or null when it was still running at the deadline (then it was killed). */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** What it printed, for failure messages. */
  output: string;
}

/**
 * Starts the app again, outside Playwright (a second instance quits before Playwright could attach), with
 * the same user-data folder, and waits for it to exit.
 */
export function runAnotherInstance(
  profile: Profile,
  extraArgs: string[] = [],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<InstanceRun> {
  if (ELECTRON === null) throw new Error('No Electron binary.');
  // Playwright adds --no-sandbox on Linux for the first instance (a CI container has no setuid sandbox).
  const sandbox = process.platform === 'linux' ? ['--no-sandbox'] : [];
  const child = spawn(ELECTRON, [...sandbox, ROOT, `--user-data-dir=${profile.userDataDir}`, ...extraArgs], {
    cwd: ROOT,
    env: appEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolveRun, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 30_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code: timedOut ? null : code, signal, timedOut, output: output.slice(-4000) });
    });
  });
}

/** 'open' when something accepts a TCP connection on 127.0.0.1:port, else the error code (ECONNREFUSED). */
export function tcpProbe(port: number): Promise<string> {
  return new Promise((resolveProbe) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (state: string) => {
      socket.destroy();
      resolveProbe(state);
    };
    socket.setTimeout(5_000, () => done('timeout'));
    socket.once('connect', () => done('open'));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}
