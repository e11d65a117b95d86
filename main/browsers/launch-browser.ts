import { spawn } from 'node:child_process';
import type { BrowserId } from '../../preload/contract';
import { AppError } from '../errors';
import { requireExternalHref } from '../external-url';
import { findBrowser, type BrowserPlaces, type InstalledBrowser } from './find-browsers';

/** How long a started browser must keep running, or end well, before it counts as started. */
const LAUNCH_GRACE_MS = 1500;

/** The installed browser `id`, or an AppError saying it was not found and what to do. */
export async function requireBrowser(places: BrowserPlaces, id: BrowserId): Promise<InstalledBrowser> {
  const browser = await findBrowser(places, id);
  if (browser) return browser;
  const where =
    places.platform === 'darwin'
      ? 'in Applications'
      : places.platform === 'win32'
        ? 'in Program Files or your AppData folder'
        : 'on your PATH';
  throw new AppError(
    'browser/not_found',
    `The browser chosen (${id}) was not found ${where}. Install it, or choose another in Settings → Open orgs in (or Open page → Open in…).`,
  );
}

/**
 * Starts `browser` with `url`, which a handler got from `server` (the org's instance URL), under the one
 * external-URL policy (main/external-url.ts): a refused URL starts nothing.
 *
 * The browser is spawned directly, never through a shell (a frontdoor URL has `&` in it): its executable, its
 * arguments, then the URL as one argument (macOS: `open -a <bundle> <url>`). It runs detached from the app, its
 * output ignored. It must keep running, or exit with 0 (handing the URL to a browser already open), for
 * `graceMs`: one that cannot be started or exits with an error at once is an AppError naming it.
 *
 * The URL is a single-use login link: no error carries it (Node's spawn errors list their arguments, so none is
 * kept as a cause), and nothing here logs it.
 */
export async function launchBrowser(
  browser: InstalledBrowser,
  url: string,
  server: string,
  graceMs = LAUNCH_GRACE_MS,
): Promise<void> {
  const href = requireExternalHref(url, server);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(browser.command, [...browser.args, href], {
      detached: true,
      stdio: 'ignore',
      shell: false,
    });
    let settled = false;
    const settle = (error: AppError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        reject(error);
        return;
      }
      child.unref();
      resolve();
    };
    const timer = setTimeout(() => settle(null), graceMs);
    child.on('error', (e: NodeJS.ErrnoException) => settle(notStarted(browser, e.code)));
    child.on('exit', (code, signal) => settle(code === 0 ? null : stopped(browser, code, signal)));
  });
}

function notStarted(browser: InstalledBrowser, code: string | undefined): AppError {
  const why = code === 'ENOENT' ? 'it is no longer where it was found' : `the system said ${code ?? 'no'}`;
  return new AppError(
    'browser/failed',
    `${browser.name} could not be started: ${why}. Reinstall it or choose another browser in Settings → Open orgs in; or use "Copy a one-time login link" and paste it into any browser.`,
  );
}

function stopped(browser: InstalledBrowser, code: number | null, signal: NodeJS.Signals | null): AppError {
  const how = code === null ? `was stopped (${signal ?? 'signal'})` : `exited with code ${code}`;
  return new AppError(
    'browser/failed',
    `${browser.name} ${how} at once, without opening the org. Start it yourself to see what is wrong, choose another browser in Settings → Open orgs in, or use "Copy a one-time login link" and paste it into any browser.`,
  );
}
