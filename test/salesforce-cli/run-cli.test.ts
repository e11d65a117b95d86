/**
 * Running the stand-in `sf` as a real child process: `--json` and the environment it is run with, a
 * missing executable, too much output, timeouts and cancelling, the CLI (and what a wrapper script
 * started) killed when it is given up on, and arguments that cmd.exe would interpret.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSalesforceCli } from '../../main/salesforce-cli/run-cli';
import { errorOf, errorText } from '../oauth/support';
import { SF_STANDIN_DIR } from '../support/sf-standin';
import { executable, expectNoSecret, isWindows, useStandin, waitFor, waitUntilDead } from './support';

const { start, tempDir } = useStandin();

describe('runSalesforceCli', () => {
  it('appends --json once, sets the JSON and no-update variables, and returns the result', async () => {
    const { sf, s } = await start();
    const result = (await runSalesforceCli(sf, ['org', 'list'], { env: s.env })) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(['devHubs', 'nonScratchOrgs', 'other', 'sandboxes', 'scratchOrgs']);
    await runSalesforceCli(sf, ['org', 'list', '--json'], { env: s.env });
    const calls = await s.invocations();
    expect(calls.map((c) => c.argv)).toEqual([
      ['org', 'list', '--json'],
      ['org', 'list', '--json'],
    ]);
    expect(calls[0]!.env).toEqual({
      SF_JSON_TO_STDOUT: 'true',
      SF_DISABLE_AUTOUPDATE: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    });
  });

  it('says to install the CLI when the executable does not exist', async () => {
    const dir = await tempDir();
    const e = await errorOf(runSalesforceCli(join(dir, 'sf'), ['org', 'list']));
    expect(e.code).toBe('cli/not_found');
    expect(e.message).toContain('https://developer.salesforce.com/tools/salesforcecli');
    expect(e.message).toMatch(/auth URL/);
  });

  it('stops a CLI that prints more than maxBytes', async () => {
    const { sf, s } = await start();
    const e = await errorOf(runSalesforceCli(sf, ['org', 'list'], { env: s.env, maxBytes: 1000 }));
    expect(e.code).toBe('cli/bad_output');
    expect(e.message).toContain('1000 bytes');
    expectNoSecret(errorText(e));
  });

  it('kills a CLI that does not finish in time', async () => {
    const { sf, s } = await start({ delayMs: 10_000 });
    const started = Date.now();
    const e = await errorOf(runSalesforceCli(sf, ['org', 'list'], { env: s.env, timeoutMs: 1500 }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(e.code).toBe('cli/timeout');
    expect(e.message).toContain('sf org list');
    expect(e.message).toContain('1.5 seconds');
    expect(e.message).toMatch(/terminal/);
    // Normally it has logged its pid by then; on a very busy machine it may have been killed before.
    for (const call of await s.invocations()) expect(await waitUntilDead(call.pid)).toBe(true);
  });

  it.skipIf(isWindows)('also kills what a wrapper script started (the real sf is a shell script)', async () => {
    const { s } = await start({ delayMs: 10_000 });
    const dir = await tempDir();
    // Not `exec`: the shell stays the parent of node, like the bin/sf script of the CLI's installers.
    const wrapper = await executable(
      join(dir, 'sf'),
      `#!/bin/sh\n"${process.execPath}" "${join(SF_STANDIN_DIR, 'sf')}" "$@"\necho finished\n`,
    );
    const e = await errorOf(runSalesforceCli(wrapper, ['org', 'list'], { env: s.env, timeoutMs: 1500 }));
    expect(e.code).toBe('cli/timeout');
    // Normally it has logged its pid by then; on a very busy machine it may have been killed before.
    for (const call of await s.invocations()) expect(await waitUntilDead(call.pid)).toBe(true);
  });

  it('kills the CLI and says "Cancelled." when aborted', async () => {
    const { sf, s } = await start({ delayMs: 10_000 });
    const controller = new AbortController();
    const pending = runSalesforceCli(sf, ['org', 'list'], { env: s.env, signal: controller.signal });
    await waitFor(async () => (await s.calls()).length === 1);
    controller.abort();
    const e = await errorOf(pending);
    expect(e.code).toBe('oauth/cancelled');
    expect(e.message).toBe('Cancelled.');
    const [call] = await s.invocations();
    expect(await waitUntilDead(call!.pid)).toBe(true);
  });

  it('does not start the CLI when already aborted', async () => {
    const { sf, s } = await start();
    const e = await errorOf(runSalesforceCli(sf, ['org', 'list'], { env: s.env, signal: AbortSignal.abort() }));
    expect(e.code).toBe('oauth/cancelled');
    expect(await s.calls()).toEqual([]);
  });

  it('refuses arguments that cmd.exe would interpret when sf is a .cmd on Windows', async () => {
    for (const arg of ['my org', 'a&calc', '%PATH%', 'x"y', 'a|b', '^']) {
      const e = await errorOf(
        runSalesforceCli('C:\\Program Files\\sf\\bin\\sf.cmd', ['org', 'display', '-o', arg], { platform: 'win32' }),
      );
      expect(e.code).toBe('cli/failed');
      expect(e.message).toContain('cmd.exe');
    }
  });
});
