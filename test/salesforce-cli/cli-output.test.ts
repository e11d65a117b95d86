/**
 * Reading what `sf --json` prints: the result of its JSON envelope, among other lines, on stdout or
 * stderr; its error JSON as cli/failed with the name and message but never a token; no JSON at all as
 * cli/bad_output that repeats nothing of what was printed. Through the stand-in `sf` as a real child
 * process, and on printed text directly.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { interpret, unexpectedShape } from '../../main/salesforce-cli/cli-output';
import { runSalesforceCli } from '../../main/salesforce-cli/run-cli';
import { errorOf, errorText } from '../oauth/support';
import { expectNoSecret, PROD_REFRESH, PROD_TOKEN, useStandin } from './support';

const { start } = useStandin();

describe('interpret, through the stand-in sf', () => {
  it("maps the CLI's error JSON to cli/failed with its name and message", async () => {
    const { sf, s } = await start();
    const e = await errorOf(
      runSalesforceCli(sf, ['org', 'display', '--verbose', '-o', 'nobody@example.com'], { env: s.env }),
    );
    expect(e.code).toBe('cli/failed');
    expect(e.message).toBe(
      'sf org display failed with NamedOrgNotFoundError: No authorization information found for nobody@example.com.',
    );
  });

  it('reads the error JSON from stderr when the CLI prints it there', async () => {
    const { sf, s } = await start({ ignoreJsonToStdout: true });
    const e = await errorOf(runSalesforceCli(sf, ['org', 'display', '-o', 'nobody'], { env: s.env }));
    expect(e.code).toBe('cli/failed');
    expect(e.message).toContain('NamedOrgNotFoundError');
  });

  it("keeps a token in the CLI's error message out of the AppError", async () => {
    const { sf, s } = await start({
      failWith: {
        name: 'RefreshTokenAuthError',
        message: `Error authenticating with the refresh token ${PROD_REFRESH} (access token ${PROD_TOKEN}): expired access/refresh token`,
        exitCode: 1,
        actions: ['Run "sf org login web" to sign in again.'],
      },
    });
    const e = await errorOf(runSalesforceCli(sf, ['org', 'list'], { env: s.env }));
    expect(e.code).toBe('cli/failed');
    expect(e.message).toContain('RefreshTokenAuthError');
    expect(e.message).toContain('[redacted]');
    expect(e.message).toContain('sf org login web');
    expect(errorText(e)).not.toContain(PROD_REFRESH);
    expect(errorText(e)).not.toContain(PROD_TOKEN);
    expect(errorText(e)).not.toContain('00D5g000004AbCdEAB!');
  });

  it('says to update Node.js when sf crashes on one too old for it, before printing anything', async () => {
    const { sf, s } = await start({ crashOnNode: 'v20.20.2' });
    const e = await errorOf(runSalesforceCli(sf, ['org', 'list'], { env: s.env }));
    expect(e.code).toBe('cli/failed');
    expect(e.message).toMatch(/^sf org list crashed on Node\.js v20\.20\.2 before it printed anything/);
    expect(e.message).toContain('Update Node.js');
    expect(e.message).not.toContain('sf update');
  });

  it('says the CLI may be too old when it prints no JSON, without repeating what it printed', async () => {
    const { sf, s } = await start({ printNonJson: true });
    const e = await errorOf(runSalesforceCli(sf, ['org', 'display', '--verbose', '-o', 'prod'], { env: s.env }));
    expect(e.code).toBe('cli/bad_output');
    expect(e.message).toContain('sf update');
    expectNoSecret(errorText(e));
  });
});

describe('interpret, on printed text', () => {
  const out = (text: string) => Buffer.from(text, 'utf8');
  const none = Buffer.alloc(0);

  it('finds the envelope after a BOM, update notices and a line that only looks like JSON', () => {
    const printed = [
      '\uFEFFWarning: @salesforce/cli update available from 2.100.0 to 2.108.6.',
      '{ not json',
      JSON.stringify({ status: 0, result: { ok: true }, warnings: ['w'] }, null, 2),
    ].join('\n');
    expect(interpret('sf org list', out(printed), none, 0, null)).toEqual({ ok: true });
  });

  it('reads stderr when stdout holds no envelope', () => {
    const stderr = out(JSON.stringify({ status: 0, result: [1, 2] }));
    expect(interpret('sf org list', out('progress…'), stderr, 0, null)).toEqual([1, 2]);
  });

  it('says how the CLI ended when it printed no envelope, quoting none of it', () => {
    const printed = out(`Access Token  ${PROD_TOKEN}\n{"status":`);
    for (const [exitCode, signal, how] of [
      [2, null, 'exited with code 2'],
      [null, 'SIGKILL', 'was stopped by SIGKILL'],
    ] as const) {
      let caught: unknown;
      try {
        interpret('sf org display', printed, none, exitCode, signal);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect(caught).toMatchObject({ code: 'cli/bad_output', message: expect.stringContaining(how) });
      expect(errorText(caught)).not.toContain(PROD_TOKEN);
    }
  });
});

describe('unexpectedShape', () => {
  it('is cli/bad_output naming the command, what was wrong, and "sf update"', () => {
    const e = unexpectedShape('sf org list', 'no lists');
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('cli/bad_output');
    expect(e.message).toMatch(/^sf org list printed JSON of an unexpected shape \(no lists\)\..*sf update/);
  });
});
