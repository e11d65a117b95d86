/** Finding installed browsers, in folders the test makes: a PATH (Linux), Applications (macOS), Program Files (Windows). */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findBrowser, findBrowsers } from '../../main/browsers/find-browsers';
import { browserStandins, type BrowserStandins } from '../support/browser-standin';

describe('finding installed browsers', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function standins(): Promise<BrowserStandins> {
    const s = await browserStandins();
    cleanups.push(() => s.cleanup());
    return s;
  }

  async function temp(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'sfti-find-browsers-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  it('finds executables on the PATH given, in a fixed order, each browser once, by the first name found', async () => {
    const a = await standins();
    const b = await standins();
    await a.install('firefox');
    await a.install('google-chrome-stable');
    await b.install('google-chrome');
    await b.install('brave-browser');
    await b.install('chromium-browser');
    const found = await findBrowsers({
      platform: 'linux',
      env: { PATH: `${a.binDir}:${b.binDir}` },
      homeDir: '/nowhere',
    });
    expect(found.map((f) => [f.id, f.name, f.command])).toEqual([
      // `google-chrome` is looked for first, in every folder, before `google-chrome-stable`.
      ['chrome', 'Google Chrome', join(b.binDir, 'google-chrome')],
      ['chromium', 'Chromium', join(b.binDir, 'chromium-browser')],
      ['firefox', 'Firefox', join(a.binDir, 'firefox')],
      ['brave', 'Brave', join(b.binDir, 'brave-browser')],
    ]);
    expect(found.every((f) => f.args.length === 0)).toBe(true);
    // Only the PATH given counts: with another, nothing of these.
    expect(await findBrowsers({ platform: 'linux', env: { PATH: b.binDir }, homeDir: '/nowhere' })).toHaveLength(3);
    expect(await findBrowsers({ platform: 'linux', env: {}, homeDir: '/nowhere' })).toEqual([]);
  });

  it('skips files that are not executable, folders of the name, relative PATH entries and Safari off macOS', async () => {
    const s = await standins();
    await writeFile(join(s.binDir, 'firefox'), '#!/bin/sh\n');
    await chmod(join(s.binDir, 'firefox'), 0o644);
    await mkdir(join(s.binDir, 'chromium'));
    await s.install('microsoft-edge');
    await s.install('safari');
    const env = { PATH: `relative/bin:${s.binDir}` };
    const found = await findBrowsers({ platform: 'linux', env, homeDir: '/nowhere' });
    expect(found.map((f) => f.id)).toEqual(['edge']);
    expect(await findBrowser({ platform: 'linux', env, homeDir: '/nowhere' }, 'firefox')).toBeNull();
  });

  it('finds app bundles in Applications (macOS), started with open -a', async () => {
    const system = await temp();
    const home = await temp();
    await mkdir(join(system, 'Safari.app'));
    await mkdir(join(system, 'Firefox.app'));
    await mkdir(join(home, 'Applications', 'Brave Browser.app'), { recursive: true });
    // A file of the name is not a bundle.
    await writeFile(join(system, 'Google Chrome.app'), '');
    const found = await findBrowsers({
      platform: 'darwin',
      env: { PATH: '' },
      homeDir: home,
      appDirs: [system, join(home, 'Applications')],
    });
    expect(found.map((f) => [f.id, f.command, ...f.args])).toEqual([
      ['firefox', '/usr/bin/open', '-a', join(system, 'Firefox.app')],
      ['brave', '/usr/bin/open', '-a', join(home, 'Applications', 'Brave Browser.app')],
      ['safari', '/usr/bin/open', '-a', join(system, 'Safari.app')],
    ]);
  });

  it('finds executables under Program Files and LocalAppData (Windows), whatever the variables are called', async () => {
    const programFiles = await temp();
    const localAppData = await temp();
    const put = async (root: string, ...parts: string[]) => {
      await mkdir(join(root, ...parts.slice(0, -1)), { recursive: true });
      await writeFile(join(root, ...parts), '');
    };
    await put(programFiles, 'Mozilla Firefox', 'firefox.exe');
    await put(programFiles, 'Microsoft', 'Edge', 'Application', 'msedge.exe');
    await put(localAppData, 'Google', 'Chrome', 'Application', 'chrome.exe');
    const found = await findBrowsers({
      platform: 'win32',
      env: { ProgramFiles: programFiles, LocalAppData: localAppData, Path: '' },
      homeDir: '/nowhere',
    });
    expect(found.map((f) => [f.id, f.command])).toEqual([
      ['chrome', join(localAppData, 'Google', 'Chrome', 'Application', 'chrome.exe')],
      ['edge', join(programFiles, 'Microsoft', 'Edge', 'Application', 'msedge.exe')],
      ['firefox', join(programFiles, 'Mozilla Firefox', 'firefox.exe')],
    ]);
  });
});
