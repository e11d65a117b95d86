/**
 * The Salesforce CLI stand-in (test/fixtures/sf-cli/sf): writes its state file into a temp folder and
 * returns the environment to run it in, with a PATH that finds it (and node) and nothing else.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding the stand-in (`sf`, and `sf.cmd` for Windows). */
export const SF_STANDIN_DIR = fileURLToPath(new URL('../fixtures/sf-cli/', import.meta.url)).replace(/[\\/]$/, '');

/** One org the stand-in is "signed in" to. */
export interface StandinOrg {
  username: string;
  alias?: string;
  orgId: string;
  instanceUrl: string;
  loginUrl: string;
  accessToken: string;
  /** `force://…`; absent for an org authorized with an access token only. */
  sfdxAuthUrl?: string;
  /** Default 'PlatformCLI' with an auth URL; none without (the CLI keeps no client for an access token). */
  clientId?: string;
  isScratch?: boolean;
  isSandbox?: boolean;
  isDevHub?: boolean;
  /** The CLI's default org (`target-org`). */
  isDefault?: boolean;
  /** Scratch orgs: `YYYY-MM-DD`; a past date makes the org expired (hidden from `org list` without --all). */
  expirationDate?: string;
  connectedStatus?: string;
}

export interface StandinState {
  orgs: StandinOrg[];
  /** Wait this long before answering (to test timeouts and cancelling). */
  delayMs?: number;
  /** Fail every command with this error (`status` and exit code `exitCode`, default 1). */
  failWith?: { name: string; message: string; exitCode?: number; actions?: string[] };
  /** Print a table instead of JSON, like a CLI too old for `--json`. */
  printNonJson?: boolean;
  /** `org list` result keys: 'current' (other/sandboxes/devHubs + the deprecated nonScratchOrgs, default),
   * 'regularOrgs' (the name `other` had before), 'legacy' (only nonScratchOrgs and scratchOrgs). */
  listShape?: 'current' | 'regularOrgs' | 'legacy';
  /**
   * 'redacted' (default): like the current CLI, `org list` and `org display` print `[REDACTED] Use 'sf org
   * auth show-…' to view` for the access token and auth URL (unless SF_TEMP_SHOW_SECRETS=true), which only
   * `sf org auth show-access-token` / `show-sfdx-auth-url` print. 'shown': a CLI from before that, which
   * prints them in `org display --verbose` (and the access token in `org list`).
   */
  secrets?: 'redacted' | 'shown';
  /** Crash before printing anything, like sf on a Node.js too old for it, ending with `Node.js <this>`. */
  crashOnNode?: string;
  /** Print error JSON on stderr even with SF_JSON_TO_STDOUT=true. */
  ignoreJsonToStdout?: boolean;
  /** What `sf --version` reports after `@salesforce/cli/`. */
  version?: string;
}

/** One call the stand-in received. */
export interface StandinInvocation {
  argv: string[];
  pid: number;
  /** The variables the product is expected to set, as the stand-in saw them. */
  env: Record<string, string | null>;
}

export interface SfStandin {
  /** Run `sf` with this environment (or pass `binDir`'s `sf` path directly). */
  env: NodeJS.ProcessEnv;
  binDir: string;
  /** The stand-in's state file. */
  statePath: string;
  /** The argv of every call so far, oldest first. */
  calls(): Promise<string[][]>;
  /** Every call so far with its process id and environment. */
  invocations(): Promise<StandinInvocation[]>;
  /** Replace the state (the next call sees it). */
  update(state: StandinState): Promise<void>;
  cleanup(): Promise<void>;
}

export async function installSfStandin(state: StandinState): Promise<SfStandin> {
  const dir = await mkdtemp(join(tmpdir(), 'sfti-sf-'));
  const statePath = join(dir, 'state.json');
  const update = (next: StandinState) => writeFile(statePath, JSON.stringify(next, null, 2));
  await update(state);
  const env: NodeJS.ProcessEnv = { ...process.env, SF_STANDIN_STATE: statePath };
  for (const key of Object.keys(env)) {
    if (key.toUpperCase() === 'PATH' || key === 'SF_TEMP_SHOW_SECRETS' || key === 'SF_JSON_TO_STDOUT') delete env[key];
  }
  env.PATH = [SF_STANDIN_DIR, dirname(process.execPath)].join(delimiter);
  const invocations = async (): Promise<StandinInvocation[]> => {
    let text: string;
    try {
      text = await readFile(`${statePath}.log`, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as StandinInvocation);
  };
  return {
    env,
    binDir: SF_STANDIN_DIR,
    statePath,
    invocations,
    calls: async () => (await invocations()).map((i) => i.argv),
    update,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
