/** Where `sf` may be: the install places of each platform, and PATH read by each platform's rules. */
import { describe, expect, it } from 'vitest';
import { cliInstallDirs, pathEntries } from '../../main/salesforce-cli/search-path';

describe('cliInstallDirs', () => {
  it('knows the install places of each platform', () => {
    expect(cliInstallDirs('darwin', '/Users/me')).toEqual([
      '/usr/local/bin',
      '/usr/local/sf/bin',
      '/opt/homebrew/bin',
      '/Users/me/.local/bin',
      '/Users/me/.npm-global/bin',
      '/Users/me/.volta/bin',
      '/usr/bin',
    ]);
    expect(
      cliInstallDirs('win32', 'C:\\Users\\me', {
        APPDATA: 'C:\\Users\\me\\AppData\\Roaming',
        ProgramFiles: 'C:\\Program Files',
      }),
    ).toEqual(['C:\\Users\\me\\AppData\\Roaming\\npm', 'C:\\Program Files\\sf\\bin']);
    expect(cliInstallDirs('win32', 'C:\\Users\\me', {})).toEqual(['C:\\Users\\me\\AppData\\Roaming\\npm']);
  });
});

describe('pathEntries', () => {
  it('reads Windows\' Path split at ";", case-insensitively named and unquoted, and skips relative entries', () => {
    expect(pathEntries({ Path: 'relative;"C:\\Program Files\\sf\\bin";C:\\nowhere; ' }, 'win32')).toEqual([
      'C:\\Program Files\\sf\\bin',
      'C:\\nowhere',
    ]);
    expect(pathEntries({ PATH: 'bin:/usr/local/bin:"/opt/sf bin":' }, 'linux')).toEqual([
      '/usr/local/bin',
      '/opt/sf bin',
    ]);
  });
});
