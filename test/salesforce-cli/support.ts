/**
 * Shared by the Salesforce CLI tests: the orgs the stand-in `sf` (test/support/sf-standin.ts) is signed in
 * to, starting it per test and cleaning up after, temp folders, and waiting for killed processes.
 */
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { installSfStandin, type SfStandin, type StandinOrg, type StandinState } from '../support/sf-standin';

export const isWindows = process.platform === 'win32';
export const SF_NAME = isWindows ? 'sf.cmd' : 'sf';

export const PROD_TOKEN = '00D5g000004AbCdEAB!AQ8AQProdAccessTokenXyZ0123456789abcdefGHIJKLmnopQRSTuvwx';
export const PROD_REFRESH = '5Aep861ProdRefreshTokenQwErTy0123456789AbCdEfGhIjKlMnOpQrStUvWxYz';
export const SANDBOX_TOKEN = '00D7A000000UatAEAB!ARsAQSandboxAccessToken0123456789abcdefGHIJKLmnopQRST';

export const ORGS: StandinOrg[] = [
  {
    username: 'zoe@acme.com',
    alias: 'prod',
    orgId: '00D5g000004AbCdEAB',
    instanceUrl: 'https://acme.my.salesforce.com',
    loginUrl: 'https://login.salesforce.com',
    accessToken: PROD_TOKEN,
    sfdxAuthUrl: `force://PlatformCLI::${PROD_REFRESH}@acme.my.salesforce.com`,
    isDefault: true,
  },
  {
    username: 'qa@acme.com.uat',
    alias: 'uat',
    orgId: '00D7A000000UatAEAB',
    instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com',
    loginUrl: 'https://test.salesforce.com',
    accessToken: SANDBOX_TOKEN,
    isSandbox: true,
  },
  {
    username: 'hub@acme.com',
    alias: 'hub',
    orgId: '00D000000000001AAA',
    instanceUrl: 'https://acme-hub.my.salesforce.com',
    loginUrl: 'https://login.salesforce.com',
    accessToken: '00D000000000001!AQHubAccessToken0123456789abcdefGHIJKLmnopQRSTuvwxyz',
    sfdxAuthUrl: 'force://PlatformCLI::5Aep861HubRefreshToken0123456789AbCdEf@acme-hub.my.salesforce.com',
    isDevHub: true,
  },
  {
    username: 'test-abc@example.com',
    alias: 'feature',
    orgId: '00DAu000000ScrAtAAA',
    instanceUrl: 'https://speed-ruby-1234-dev-ed.scratch.my.salesforce.com',
    loginUrl: 'https://speed-ruby-1234-dev-ed.scratch.my.salesforce.com',
    accessToken: '00DAu000000ScrA!AQScratchAccessToken0123456789abcdefGHIJKLmnopQRSTuv',
    sfdxAuthUrl:
      'force://PlatformCLI::5Aep861ScratchRefresh0123456789AbCdEf@speed-ruby-1234-dev-ed.scratch.my.salesforce.com',
    isScratch: true,
    expirationDate: '2099-01-01',
  },
  {
    username: 'old-scratch@example.com',
    orgId: '00DAu000000OldScAAA',
    instanceUrl: 'https://old-1-dev-ed.scratch.my.salesforce.com',
    loginUrl: 'https://old-1-dev-ed.scratch.my.salesforce.com',
    accessToken: '00DAu000000OldS!AQExpiredScratchToken0123456789abcdefGHIJKLmnopQRST',
    isScratch: true,
    expirationDate: '2020-01-01',
  },
  {
    username: 'admin@partner.example',
    orgId: '00D3x000000PartAAA',
    instanceUrl: 'https://sfdc.partner.example',
    loginUrl: 'https://sfdc.partner.example',
    accessToken: '00D3x000000Part!AQPartnerAccessToken0123456789abcdefGHIJKLmnopQRSTuv',
  },
];

export const ALL_TOKENS = ORGS.flatMap((o) => [o.accessToken, ...(o.sfdxAuthUrl ? [o.sfdxAuthUrl] : [])]);

/**
 * Registers the clean-up of this file's tests and returns how to start the stand-in (with ORGS unless the
 * state says otherwise) and make temp folders.
 */
export function useStandin(): {
  start(state?: Partial<StandinState>): Promise<{ sf: string; s: SfStandin }>;
  tempDir(): Promise<string>;
} {
  let standin: SfStandin | null = null;
  const temps: string[] = [];
  afterEach(async () => {
    await standin?.cleanup();
    standin = null;
    await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return {
    async start(state = {}) {
      standin = await installSfStandin({ orgs: ORGS, ...state });
      return { sf: join(standin.binDir, SF_NAME), s: standin };
    },
    async tempDir() {
      const dir = await mkdtemp(join(tmpdir(), 'sfti-cli-'));
      temps.push(dir);
      return dir;
    },
  };
}

export async function executable(file: string, content = '#!/bin/sh\nexit 0\n'): Promise<string> {
  await writeFile(file, content);
  await chmod(file, 0o755);
  return file;
}

/** A zombie (killed, not yet reaped by an init that reaps slowly, as in some containers) counts as dead. */
function isAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      // The state follows the parenthesised command name, which may itself contain spaces.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function waitFor(condition: () => boolean | Promise<boolean>, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return condition();
}

export const waitUntilDead = (pid: number) => waitFor(() => !isAlive(pid), 3000);

export function expectNoSecret(value: unknown) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const token of ALL_TOKENS) expect(text).not.toContain(token);
  expect(text).not.toMatch(/accessToken|refreshToken|force:\/\//);
}
