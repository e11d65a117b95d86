/**
 * Running `sf <args> --json` as a child process: without a shell (Windows' `sf.cmd` excepted, with every
 * argument checked), with variables that make it print JSON and not update itself, killed with everything
 * it started on timeout, cancel or too much output.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { AppError } from '../errors';
import { CLI_INSTALL_URL, interpret } from './cli-output';

const DEFAULT_CLI_TIMEOUT_MS = 60_000;
const DEFAULT_CLI_MAX_BYTES = 10_000_000;

export interface RunCliOptions {
  /** The environment to run it in (default `process.env`); the variables below are always set on top. */
  env?: NodeJS.ProcessEnv;
  /** Aborting kills the CLI and rejects with `oauth/cancelled`. */
  signal?: AbortSignal;
  /** Kill the CLI and reject with `cli/timeout` after this long (default 60 s). */
  timeoutMs?: number;
  /** Kill the CLI and reject with `cli/bad_output` once it printed more than this (default 10 MB). */
  maxBytes?: number;
  /** Whose process rules to follow (default `process.platform`); tests pass `'win32'`. */
  platform?: NodeJS.Platform;
}

/**
 * Variables for every run: JSON (errors included) on stdout, no self-update in the middle of a command,
 * no colour codes in the output.
 */
const CLI_ENV: Readonly<Record<string, string>> = {
  SF_JSON_TO_STDOUT: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

/** What cmd.exe passes through unchanged: `sf.cmd` can only be run through a shell. */
const SHELL_SAFE_ARG = /^[\w.@+:/-]+$/;

/**
 * Runs `sf <args> --json` without a shell (Windows' `sf.cmd` excepted, with every argument checked) and
 * returns the `result` of the JSON envelope it prints on stdout, or on stderr when stdout has none.
 *
 * @throws AppError `cli/not_found` (no such executable), `cli/timeout`, `oauth/cancelled` (aborted),
 *   `cli/failed` (a `status` other than 0: the CLI's error name and message, with anything token-like
 *   removed), `cli/bad_output` (no JSON envelope: an `sf` too old for `--json`, or more than `maxBytes`).
 */
export function runSalesforceCli(
  sfPath: string,
  args: readonly string[],
  options: RunCliOptions = {},
): Promise<unknown> {
  const platform = options.platform ?? process.platform;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLI_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_CLI_MAX_BYTES;
  const fullArgs = args.includes('--json') ? [...args] : [...args, '--json'];
  const command = commandLabel(args);
  const useShell = platform === 'win32' && /\.(cmd|bat)$/i.test(sfPath);
  if (useShell) {
    const bad = fullArgs.find((a) => !SHELL_SAFE_ARG.test(a));
    if (bad !== undefined || /["%^&|<>]/.test(sfPath)) {
      return Promise.reject(
        new AppError(
          'cli/failed',
          `Cannot run ${command} safely through sf.cmd: ${bad === undefined ? 'its path' : 'an argument'} has characters that cmd.exe would interpret. Use the org's username instead of an alias with such characters.`,
        ),
      );
    }
  }
  if (options.signal?.aborted) return Promise.reject(cancelled());

  return new Promise<unknown>((resolve, reject) => {
    // With a shell, one command line (every part checked above) rather than arguments for Node to join.
    const child = spawn(useShell ? [`"${sfPath}"`, ...fullArgs].join(' ') : sfPath, useShell ? [] : fullArgs, {
      env: childEnv(options.env ?? process.env, sfPath, platform),
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: useShell,
      windowsHide: true,
      // Its own process group, so a timeout also ends the node process that a wrapper script started.
      detached: platform !== 'win32',
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let settled = false;

    const cleanup = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      cleanup();
      outcome();
    };
    /** Kills the CLI (and what it started) and settles once it is gone, or after 2 s at most. */
    const killThen = (error: AppError) => {
      if (settled) return;
      settled = true;
      cleanup();
      let done = false;
      const fail = () => {
        if (done) return;
        done = true;
        child.stdout?.destroy();
        child.stderr?.destroy();
        reject(error);
      };
      if (child.exitCode !== null || child.signalCode !== null) return fail();
      child.once('exit', fail);
      setTimeout(fail, 2_000).unref();
      killTree(child, platform);
    };
    const onAbort = () => killThen(cancelled());
    const timer = setTimeout(
      () =>
        killThen(
          new AppError(
            'cli/timeout',
            `${command} did not finish within ${formatDuration(timeoutMs)}, so it was stopped. The Salesforce CLI may be waiting for the network or for an org; run "${command}" in a terminal to see what it does, then try again.`,
          ),
        ),
      timeoutMs,
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (settled) return;
      size += chunk.byteLength;
      if (size > maxBytes) {
        killThen(
          new AppError(
            'cli/bad_output',
            `${command} printed more than ${formatBytes(maxBytes)}, more than any org list or org description. Check the Salesforce CLI with "sf doctor", or paste an auth URL instead.`,
          ),
        );
        return;
      }
      into.push(chunk);
    };
    child.stdout?.on('data', collect(stdout));
    child.stderr?.on('data', collect(stderr));

    child.once('error', (e: NodeJS.ErrnoException) =>
      finish(() => {
        if (e.code === 'ENOENT') {
          reject(notFound(sfPath));
        } else {
          const code = typeof e.code === 'string' ? ` (${e.code})` : '';
          reject(
            new AppError(
              'cli/failed',
              `Could not start the Salesforce CLI at ${sfPath}${code}. Check that it is installed and runnable, or paste an auth URL instead.`,
              { cause: new Error(`spawn failed${code}`) },
            ),
          );
        }
      }),
    );
    child.once('close', (exitCode, signal) =>
      finish(() => {
        try {
          resolve(interpret(command, Buffer.concat(stdout), Buffer.concat(stderr), exitCode, signal));
        } catch (e) {
          // interpret throws AppErrors only; the fallback quotes nothing sf printed.
          reject(e instanceof Error ? e : new Error('Reading the Salesforce CLI output failed.'));
        }
      }),
    );
  });
}

function childEnv(base: NodeJS.ProcessEnv, sfPath: string, platform: NodeJS.Platform): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...CLI_ENV };
  // An npm-installed `sf` starts with `#!/usr/bin/env node`; its node usually sits beside it (Homebrew,
  // Volta), in a folder that a minimal PATH lacks.
  const p = platform === 'win32' ? path.win32 : path.posix;
  const key = Object.keys(env).find((k) => (platform === 'win32' ? k.toUpperCase() === 'PATH' : k === 'PATH'));
  const current = key === undefined ? '' : (env[key] ?? '');
  const dir = p.dirname(sfPath);
  if (p.isAbsolute(dir) && !current.split(p.delimiter).includes(dir)) {
    env[key ?? 'PATH'] = current === '' ? dir : `${current}${p.delimiter}${dir}`;
  }
  return env;
}

function killTree(child: ReturnType<typeof spawn>, platform: NodeJS.Platform): void {
  if (child.pid === undefined) return;
  if (platform === 'win32') {
    // cmd.exe does not pass a kill on to the node process that sf.cmd started.
    spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () =>
      child.kill(),
    );
    return;
  }
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** `sf org display` for `['org', 'display', '--verbose', '-o', 'x']`: the words before the first flag. */
function commandLabel(args: readonly string[]): string {
  const words: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') || words.length === 4) break;
    words.push(a);
  }
  return ['sf', ...words].join(' ');
}

function notFound(sfPath: string): AppError {
  return new AppError(
    'cli/not_found',
    `The Salesforce CLI was not found at ${sfPath}. Install it from ${CLI_INSTALL_URL} (and sign in to your orgs with "sf org login web"), or paste an auth URL instead.`,
  );
}

function cancelled(): AppError {
  return new AppError('oauth/cancelled', 'Cancelled.');
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} seconds`;
}

function formatBytes(n: number): string {
  return n >= 1_000_000 ? `${Math.round(n / 1_000_000)} MB` : `${n} bytes`;
}
