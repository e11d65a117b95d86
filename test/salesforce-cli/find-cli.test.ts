/**
 * Finding the stand-in `sf` as a real file: on PATH, skipping what is not an executable file and relative
 * PATH entries, and in the install places a desktop app's minimal PATH lacks.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSalesforceCli } from '../../main/salesforce-cli/find-cli';
import { cliInstallDirs } from '../../main/salesforce-cli/search-path';
import { SF_STANDIN_DIR } from '../support/sf-standin';
import { executable, isWindows, SF_NAME, useStandin } from './support';

const { start, tempDir } = useStandin();

describe('findSalesforceCli', () => {
  it('finds sf on PATH', async () => {
    const { s } = await start();
    expect(await findSalesforceCli({ env: s.env, installDirs: [] })).toBe(join(SF_STANDIN_DIR, SF_NAME));
  });

  it.skipIf(isWindows)('skips folders, non-executable files and relative PATH entries', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'a', 'sf'), { recursive: true });
    await mkdir(join(dir, 'b'));
    await writeFile(join(dir, 'b', 'sf'), '#!/bin/sh\n');
    const env = { PATH: ['bin', join(dir, 'a'), join(dir, 'b'), '', SF_STANDIN_DIR].join(delimiter) };
    expect(await findSalesforceCli({ env, installDirs: [] })).toBe(join(SF_STANDIN_DIR, 'sf'));
  });

  it('returns null when sf is nowhere', async () => {
    const empty = await tempDir();
    expect(await findSalesforceCli({ env: { PATH: empty }, installDirs: [] })).toBeNull();
    expect(await findSalesforceCli({ env: {}, installDirs: [] })).toBeNull();
  });

  it.skipIf(isWindows)('looks in the usual install places that the minimal PATH of a desktop app lacks', async () => {
    const home = await tempDir();
    await mkdir(join(home, '.volta', 'bin'), { recursive: true });
    const volta = await executable(join(home, '.volta', 'bin', 'sf'));
    const env = { PATH: '/usr/bin:/bin' };
    const homeDirs = cliInstallDirs('linux', home).filter((d) => d.startsWith(home));
    expect(homeDirs).toEqual([join(home, '.local/bin'), join(home, '.npm-global/bin'), join(home, '.volta/bin')]);
    expect(await findSalesforceCli({ env, homeDir: home, installDirs: homeDirs })).toBe(volta);
    // An earlier place wins.
    await mkdir(join(home, '.local', 'bin'), { recursive: true });
    const local = await executable(join(home, '.local', 'bin', 'sf'));
    expect(await findSalesforceCli({ env, homeDir: home, installDirs: homeDirs })).toBe(local);
    // With the default places, the system-wide ones come first: the home ones are found only without them.
    const systemSf = await findSalesforceCli({
      env: {},
      homeDir: home,
      installDirs: ['/usr/local/bin', '/usr/local/sf/bin', '/opt/homebrew/bin', '/usr/bin'],
    });
    expect(await findSalesforceCli({ env, homeDir: home })).toBe(systemSf ?? local);
  });
});
