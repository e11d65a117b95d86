import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// `npm start` and the postinstall step, run as the real scripts in child processes. ELECTRON_OVERRIDE_DIST_PATH
// (the `electron` package's own override) points them at an empty folder or at a stand-in executable.
let dist: string;
beforeEach(async () => {
  dist = await mkdtemp(join(tmpdir(), 'sfti-electron-'));
});
afterEach(() => rm(dist, { recursive: true, force: true }));

function run(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist, ...env },
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

describe('npm start without Electron’s binary', () => {
  it('prints one sentence naming the fix, no stack trace, and fails', () => {
    const r = run('scripts/start.mjs');
    expect(r.status).toBe(1);
    expect(r.out.split('\n')).toHaveLength(1);
    expect(r.out).toMatch(/binary is not installed.*npx install-electron/);
    expect(r.out).not.toMatch(/\n\s+at |Electron uninstall/);
  });
});

describe.skipIf(process.platform === 'win32')('npm start with Electron’s binary', () => {
  it('starts that binary on the built app through electron-vite', async () => {
    const log = join(dist, 'called.txt');
    await writeFile(join(dist, 'electron'), `#!/bin/sh\necho "$*|$(pwd)" > "${log}"\n`);
    await chmod(join(dist, 'electron'), 0o755);
    const r = run('scripts/start.mjs', ['--skipBuild']);
    expect(r.status, r.out).toBe(0);
    expect((await readFile(log, 'utf8')).trim()).toBe(`.|${process.cwd()}`);
  });
});

describe('npm install (the postinstall step)', () => {
  it('succeeds without downloading when ELECTRON_SKIP_BINARY_DOWNLOAD is set, and says how to get the binary', () => {
    const r = run('scripts/ensure-electron.mjs', [], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(r.status).toBe(0);
    expect(r.out.split('\n')).toHaveLength(1);
    expect(r.out).toMatch(/not downloaded.*ELECTRON_SKIP_BINARY_DOWNLOAD.*npx install-electron/);
  });

  it('says nothing when the binary is already there', async () => {
    await writeFile(join(dist, process.platform === 'win32' ? 'electron.exe' : 'electron'), '');
    const r = run('scripts/ensure-electron.mjs');
    expect(r).toEqual({ status: 0, out: '' });
  });

  it('is the package’s postinstall, and start/dev go through the same check', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['postinstall']).toBe('node scripts/ensure-electron.mjs');
    expect(pkg.scripts['start']).toBe('node scripts/start.mjs');
    expect(pkg.scripts['dev']).toBe('node scripts/start.mjs --dev');
  });
});
