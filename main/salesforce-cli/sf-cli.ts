/**
 * The Salesforce CLI (`sf`) as a source of orgs to import: find the executable, run it with `--json`,
 * and parse what it prints, once, into typed records.
 *
 * Formats follow salesforcecli/plugin-org (`schemas/org-list.json`, `schemas/org-display.json`,
 * `src/commands/org/auth/show-*.ts`) and the JSON envelope of `@salesforce/sf-plugins-core`:
 * `{"status":0,"result":…,"warnings":[…]}` on success, `{"status":1,"name":"…","message":"…","exitCode":1,…}`
 * on failure. Everything `sf` prints may hold access tokens, so raw output never reaches a message or a
 * cause, and the org list keeps no token at all.
 */
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors';
import { isSafeTransport, sanitizeServerText } from '../oauth/http';
import { orgTypeFromHost } from '../oauth/login-host';

export const CLI_INSTALL_URL = 'https://developer.salesforce.com/tools/salesforcecli';
export const DEFAULT_CLI_TIMEOUT_MS = 60_000;
export const DEFAULT_CLI_MAX_BYTES = 10_000_000;

// ---------------------------------------------------------------------------------------------
// Finding sf
// ---------------------------------------------------------------------------------------------

export interface FindCliOptions {
  /** Whose PATH to search (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Whose naming and PATH rules to use (default `process.platform`). */
  platform?: NodeJS.Platform;
  /** Home folder for the per-user install places (default `os.homedir()`). */
  homeDir?: string;
  /** The places searched after PATH (default {@link cliInstallDirs}); tests pass their own. */
  installDirs?: readonly string[];
}

/**
 * Where installers put `sf`, searched after PATH because an app started from the macOS Finder or a Linux
 * desktop gets a minimal PATH (`/usr/bin:/bin`) without the user's shell setup: the macOS .pkg and npm
 * (`/usr/local/bin`, `/usr/local/sf/bin`), Homebrew on Apple silicon, npm with a user prefix, Volta, distro
 * packages; on Windows the npm global folder and the installer's `%ProgramFiles%\sf\bin`.
 */
export function cliInstallDirs(platform: NodeJS.Platform, homeDir: string, env: NodeJS.ProcessEnv = {}): string[] {
  if (platform === 'win32') {
    const appData = envValue(env, 'APPDATA', platform) ?? path.win32.join(homeDir, 'AppData', 'Roaming');
    const dirs = [path.win32.join(appData, 'npm')];
    const programFiles = envValue(env, 'ProgramFiles', platform);
    if (programFiles) dirs.push(path.win32.join(programFiles, 'sf', 'bin'));
    return dirs;
  }
  const home = (...parts: string[]) => path.posix.join(homeDir, ...parts);
  return [
    '/usr/local/bin',
    '/usr/local/sf/bin',
    '/opt/homebrew/bin',
    home('.local', 'bin'),
    home('.npm-global', 'bin'),
    home('.volta', 'bin'),
    '/usr/bin',
  ];
}

/**
 * The absolute path of the `sf` executable, or null when there is none: each absolute directory of PATH
 * in order (`;`-separated on Windows, where `sf.cmd` and `sf.exe` are looked for), then
 * {@link cliInstallDirs}. Only regular files count, and off Windows only executable ones. Relative PATH
 * entries are skipped: they would run whatever `sf` the current folder holds.
 */
export async function findSalesforceCli(options: FindCliOptions = {}): Promise<string | null> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const names = platform === 'win32' ? ['sf.cmd', 'sf.exe'] : ['sf'];
  const fromPath = pathEntries(env, platform);
  const fallback = options.installDirs ?? cliInstallDirs(platform, options.homeDir ?? homedir(), env);
  const seen = new Set<string>();
  for (const dir of [...fromPath, ...fallback]) {
    const key = platform === 'win32' ? dir.toLowerCase() : dir;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const name of names) {
      const candidate = p.join(dir, name);
      if (await isExecutableFile(candidate, platform)) return candidate;
    }
  }
  return null;
}

/**
 * The absolute directories of PATH, in order: `;`-separated and case-insensitively named (`Path`) on
 * Windows, quotes around an entry removed; relative entries are dropped.
 */
export function pathEntries(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const p = platform === 'win32' ? path.win32 : path.posix;
  return (envValue(env, 'PATH', platform) ?? '')
    .split(p.delimiter)
    .map((dir) => dir.trim().replace(/^"(.*)"$/, '$1'))
    .filter((dir) => dir !== '' && p.isAbsolute(dir));
}

async function isExecutableFile(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    if (platform !== 'win32') await access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** An environment variable by name; on Windows names are case-insensitive (`Path`, `PATH`). */
function envValue(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

// ---------------------------------------------------------------------------------------------
// Running sf
// ---------------------------------------------------------------------------------------------

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
export const CLI_ENV: Readonly<Record<string, string>> = {
  SF_JSON_TO_STDOUT: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

/** What cmd.exe passes through unchanged: `sf.cmd` can only be run through a shell. */
const SHELL_SAFE_ARG = /^[\w.@+:/-]+$/;

const envelopeSchema = z.object({
  status: z.number(),
  result: z.unknown().optional(),
  name: z.string().optional(),
  message: z.string().optional(),
  actions: z.array(z.unknown()).optional(),
});

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
          reject(e);
        }
      }),
    );
  });
}

/**
 * The JSON envelope's `result` in what `sf` printed, or the AppError it stands for. Exported for the fuzz
 * target (test/fuzz/targets/sf-cli-json.ts); the app reaches it only through {@link runSalesforceCli}.
 */
export function interpret(
  command: string,
  stdout: Buffer,
  stderr: Buffer,
  exitCode: number | null,
  signal: NodeJS.Signals | null,
): unknown {
  const envelope = findEnvelope(stdout.toString('utf8')) ?? findEnvelope(stderr.toString('utf8'));
  if (!envelope) {
    const how = signal ? `was stopped by ${signal}` : `exited with code ${exitCode ?? 'unknown'}`;
    throw new AppError(
      'cli/bad_output',
      `${command} printed no JSON (it ${how}). This Salesforce CLI may be too old for this app: run "sf update" (or install it again from ${CLI_INSTALL_URL}), then try again.`,
      { cause: new Error(`no JSON envelope; exit code ${exitCode ?? 'none'}, signal ${signal ?? 'none'}`) },
    );
  }
  if (envelope.status === 0) return envelope.result;
  const name = sanitizeServerText(envelope.name ?? 'Error', 80);
  const message = envelope.message ? `: ${sanitizeServerText(envelope.message, 300)}` : '';
  const action = envelope.actions?.find((a): a is string => typeof a === 'string');
  const hint = action ? ` ${sanitizeServerText(action, 200)}` : '';
  throw new AppError('cli/failed', `${command} failed with ${name}${message}${hint}`, {
    cause: new Error(`sf status ${envelope.status}, exit code ${exitCode ?? 'none'}`),
  });
}

/** The `sf` JSON envelope in some output: all of it, or from a line that starts with `{` to the end. */
function findEnvelope(text: string): z.infer<typeof envelopeSchema> | null {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return null;
  const starts = [0];
  for (let i = trimmed.indexOf('\n{'); i !== -1 && starts.length < 20; i = trimmed.indexOf('\n{', i + 1)) {
    starts.push(i + 1);
  }
  for (const start of starts) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed.slice(start));
    } catch {
      continue;
    }
    const envelope = envelopeSchema.safeParse(parsed);
    if (envelope.success) return envelope.data;
  }
  return null;
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

// ---------------------------------------------------------------------------------------------
// Parsing what sf prints
// ---------------------------------------------------------------------------------------------

export type CliOrgKind = 'production' | 'sandbox' | 'scratch' | 'devhub' | 'other';

/** One org the Salesforce CLI is signed in to, as `sf org list` describes it. Holds no token. */
export interface CliOrg {
  username: string;
  alias: string | null;
  orgId: string | null;
  instanceUrl: string | null;
  loginUrl: string | null;
  kind: CliOrgKind;
  /** "Connected", an error text, or for scratch orgs their status ("Active"); null when skipped. */
  connectedStatus: string | null;
  isExpired: boolean;
  expirationDate: string | null;
  /** The CLI's default org (`target-org`). */
  isDefault: boolean;
}

/** One org with its credentials, as `sf org display --verbose` describes it. */
export interface CliOrgDetail {
  username: string;
  alias: string | null;
  orgId: string | null;
  instanceUrl: string;
  clientId: string | null;
  accessToken: string;
  /** `force://<clientId>:<clientSecret>:<refreshToken>@<host>`; null for orgs authorized with an access token only. */
  sfdxAuthUrl: string | null;
  isScratch: boolean;
}

const text = z.string().nullish().catch(null);
const flag = z.boolean().nullish().catch(null);

/** The fields of an org-list entry this app uses. zod drops the rest, tokens included. */
const listEntrySchema = z.object({
  username: z.string().min(1),
  alias: text,
  orgId: text,
  instanceUrl: text,
  loginUrl: text,
  connectedStatus: text,
  status: text,
  isDevHub: flag,
  isSandbox: flag,
  isScratch: flag,
  isExpired: flag,
  expirationDate: text,
  isDefaultUsername: flag,
  defaultMarker: text,
});
type ListEntry = z.infer<typeof listEntrySchema>;

const entries = z.array(z.unknown());
const orgListSchema = z.object({
  nonScratchOrgs: entries,
  scratchOrgs: entries,
  // Newer CLIs split nonScratchOrgs into these (`regularOrgs` was renamed `other`).
  devHubs: entries.optional().catch(undefined),
  sandboxes: entries.optional().catch(undefined),
  other: entries.optional().catch(undefined),
  regularOrgs: entries.optional().catch(undefined),
});

/**
 * The orgs in `sf org list --json`'s result (plugin-org `OrgListResult`): `nonScratchOrgs` and
 * `scratchOrgs` (every version), plus the `devHubs`, `sandboxes` and `other` duplicates of newer ones,
 * merged and deduplicated by username (first seen wins). Entries without a username are skipped; tokens
 * are dropped. The default org comes first, then by alias or username.
 *
 * @throws AppError `cli/bad_output` when the result is not an org list.
 */
export function parseOrgList(result: unknown): CliOrg[] {
  const parsed = orgListSchema.safeParse(result);
  if (!parsed.success) throw badOutput('sf org list', 'no nonScratchOrgs and scratchOrgs lists');
  const list = parsed.data;
  const byUsername = new Map<string, CliOrg>();
  const add = (raw: readonly unknown[] | undefined, fromScratchList: boolean) => {
    for (const item of raw ?? []) {
      const entry = listEntrySchema.safeParse(item);
      if (!entry.success || byUsername.has(entry.data.username)) continue;
      byUsername.set(entry.data.username, toCliOrg(entry.data, fromScratchList));
    }
  };
  add(list.scratchOrgs, true);
  add(list.nonScratchOrgs, false);
  add(list.devHubs, false);
  add(list.sandboxes, false);
  add(list.other, false);
  add(list.regularOrgs, false);
  return [...byUsername.values()].sort(
    (a, b) =>
      Number(b.isDefault) - Number(a.isDefault) ||
      (a.alias ?? a.username).localeCompare(b.alias ?? b.username, 'en', { sensitivity: 'base' }) ||
      a.username.localeCompare(b.username),
  );
}

function toCliOrg(e: ListEntry, fromScratchList: boolean): CliOrg {
  return {
    username: e.username,
    alias: e.alias || null,
    orgId: e.orgId || null,
    instanceUrl: e.instanceUrl || null,
    loginUrl: e.loginUrl || null,
    kind: kindOf(e, fromScratchList),
    connectedStatus: e.connectedStatus || e.status || null,
    isExpired: e.isExpired === true,
    expirationDate: e.expirationDate || null,
    isDefault: e.isDefaultUsername === true || /\(U\)/.test(e.defaultMarker ?? ''),
  };
}

function kindOf(e: ListEntry, fromScratchList: boolean): CliOrgKind {
  if (fromScratchList || e.isScratch) return 'scratch';
  if (e.isDevHub) return 'devhub';
  const hostKinds = [e.instanceUrl, e.loginUrl].map(hostKind);
  if (e.isSandbox || hostKinds.includes('sandbox')) return 'sandbox';
  if (hostKinds.includes('scratch')) return 'scratch';
  if (hostKinds.includes('production') || hostKinds.includes('developer')) return 'production';
  return 'other';
}

function hostKind(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return orgTypeFromHost(url);
  } catch {
    return null;
  }
}

/** Newer CLIs print this instead of a secret unless it is asked for with `sf org auth show-…`. */
const REDACTED = /^\s*\[REDACTED\]/;

const orgDisplaySchema = z.object({
  username: z.string().min(1),
  id: text,
  accessToken: z.string().min(1),
  // The token goes to this URL later: https, or plain http on loopback only (local doubles).
  instanceUrl: z.string().refine((url) => URL.canParse(url) && isSafeTransport(url)),
  clientId: text,
  alias: text,
  sfdxAuthUrl: text,
  devHubId: text,
});

interface DisplayFields extends Omit<CliOrgDetail, 'accessToken' | 'sfdxAuthUrl'> {
  /** null when the CLI redacted it. */
  accessToken: string | null;
  sfdxAuthUrl: string | null;
  sfdxAuthUrlRedacted: boolean;
}

function readOrgDisplay(result: unknown): DisplayFields {
  const parsed = orgDisplaySchema.safeParse(result);
  if (!parsed.success) {
    throw badOutput('sf org display', 'no username, access token and instance URL');
  }
  const d = parsed.data;
  const authUrl = d.sfdxAuthUrl ?? null;
  return {
    username: d.username,
    alias: d.alias || null,
    orgId: d.id || null,
    instanceUrl: d.instanceUrl,
    clientId: d.clientId || null,
    accessToken: REDACTED.test(d.accessToken) ? null : d.accessToken,
    sfdxAuthUrl: authUrl !== null && /^force:\/\//i.test(authUrl) ? authUrl : null,
    sfdxAuthUrlRedacted: authUrl !== null && REDACTED.test(authUrl),
    isScratch: Boolean(d.devHubId),
  };
}

/**
 * The org in `sf org display --verbose --json`'s result (plugin-org `OrgDisplayReturn`): its access token,
 * instance URL and, for orgs with a refresh token, the `sfdxAuthUrl`
 * (`force://<clientId>:<clientSecret>:<refreshToken>@<host>`).
 *
 * @throws AppError `cli/bad_output` when the result is not an org description, or when the CLI redacted
 *   the access token (newer CLIs do; {@link displayCliOrg} then asks `sf org auth show-access-token`).
 */
export function parseOrgDisplay(result: unknown): CliOrgDetail {
  const fields = readOrgDisplay(result);
  if (fields.accessToken === null) {
    throw badOutput('sf org display', 'a redacted access token (use "sf org auth show-access-token")');
  }
  return withSecrets(fields, fields.accessToken, fields.sfdxAuthUrl);
}

/** The token in `sf org auth show-access-token --json`'s result. */
export function parseShowAccessToken(result: unknown): string {
  const parsed = z.object({ accessToken: z.string().min(1) }).safeParse(result);
  if (!parsed.success || REDACTED.test(parsed.data.accessToken)) {
    throw badOutput('sf org auth show-access-token', 'no access token');
  }
  return parsed.data.accessToken;
}

/** The URL in `sf org auth show-sfdx-auth-url --json`'s result. */
export function parseShowSfdxAuthUrl(result: unknown): string {
  const parsed = z.object({ sfdxAuthUrl: z.string().regex(/^force:\/\//i) }).safeParse(result);
  if (!parsed.success) throw badOutput('sf org auth show-sfdx-auth-url', 'no force:// URL');
  return parsed.data.sfdxAuthUrl;
}

function withSecrets(fields: DisplayFields, accessToken: string, sfdxAuthUrl: string | null): CliOrgDetail {
  return {
    username: fields.username,
    alias: fields.alias,
    orgId: fields.orgId,
    instanceUrl: fields.instanceUrl,
    clientId: fields.clientId,
    accessToken,
    sfdxAuthUrl,
    isScratch: fields.isScratch,
  };
}

function badOutput(command: string, what: string): AppError {
  return new AppError(
    'cli/bad_output',
    `${command} printed JSON of an unexpected shape (${what}). This Salesforce CLI may be too old or too new for this app: run "sf update", then try again.`,
  );
}

// ---------------------------------------------------------------------------------------------
// The commands
// ---------------------------------------------------------------------------------------------

/** The orgs the Salesforce CLI is signed in to (`sf org list --skip-connection-status --json`), without tokens. */
export async function listCliOrgs(sfPath: string, options: RunCliOptions = {}): Promise<CliOrg[]> {
  return parseOrgList(await runSalesforceCli(sfPath, ['org', 'list', '--skip-connection-status'], options));
}

/**
 * One org's credentials from the Salesforce CLI: `sf org display --verbose --json -o <username>`. When the
 * CLI redacts secrets there (newer versions, unless `SF_TEMP_SHOW_SECRETS` is set), they are read with
 * `sf org auth show-access-token` and `sf org auth show-sfdx-auth-url`, the commands it points to.
 */
export async function displayCliOrg(
  sfPath: string,
  username: string,
  options: RunCliOptions = {},
): Promise<CliOrgDetail> {
  const fields = readOrgDisplay(
    await runSalesforceCli(sfPath, ['org', 'display', '--verbose', '-o', username], options),
  );
  const accessToken =
    fields.accessToken ??
    parseShowAccessToken(await runSalesforceCli(sfPath, ['org', 'auth', 'show-access-token', '-o', username], options));
  const sfdxAuthUrl = fields.sfdxAuthUrlRedacted
    ? parseShowSfdxAuthUrl(
        await runSalesforceCli(sfPath, ['org', 'auth', 'show-sfdx-auth-url', '-o', username], options),
      )
    : fields.sfdxAuthUrl;
  return withSecrets(fields, accessToken, sfdxAuthUrl);
}
