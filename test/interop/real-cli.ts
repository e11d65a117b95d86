/**
 * The real Salesforce CLI for the interop suite: `@salesforce/cli` from the npm registry, installed once
 * into a cache folder outside the repository (`${TMPDIR:-/tmp}/sfti-sf-cli`, or SFTI_SF_CLI_DIR) and reused
 * while it is there, and the Node.js it needs: the strictest `engines.node` of the CLI and of the undici it
 * bundles (the CLI declares >=22 but its undici crashes below 22.19).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RealCli {
  /** The folder whose `sf` is the CLI (`<prefix>/node_modules/.bin`). */
  binDir: string;
  /** `@salesforce/cli`'s version. */
  version: string;
  /** How long installing took (0 when the cached install was reused). */
  installMs: number;
  /** The Node.js the CLI needs, e.g. `22.19.0`. */
  nodeNeeded: string;
}

function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['SFTI_SF_CLI_DIR'] || join(env['TMPDIR'] || tmpdir(), 'sfti-sf-cli');
}

function packageJson(file: string): { version?: string; engines?: { node?: string } } {
  return JSON.parse(readFileSync(file, 'utf8')) as { version?: string; engines?: { node?: string } };
}

/** The lowest version a `>=a.b.c` (or `^a.b.c`, `a.b.c`) range allows; 0.0.0 for anything else. */
function lowestAllowed(range: string | undefined): [number, number, number] {
  const m = /(?:>=|\^|~)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(range ?? '');
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : [0, 0, 0];
}

const compare = (a: readonly number[], b: readonly number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;

/**
 * Installs `@salesforce/cli` (SFTI_SF_CLI_VERSION, default the latest) into the cache folder unless it is
 * there, and checks that this Node.js can run it.
 *
 * @throws Error saying which Node.js the CLI needs when this one is older.
 */
export async function installRealCli(log: (line: string) => void): Promise<RealCli> {
  const prefix = cacheDir();
  const manifest = join(prefix, 'node_modules', '@salesforce', 'cli', 'package.json');
  let installMs = 0;
  if (!existsSync(manifest)) {
    const spec = `@salesforce/cli@${process.env['SFTI_SF_CLI_VERSION'] || 'latest'}`;
    log(`interop: installing ${spec} from the npm registry into ${prefix}…`);
    await mkdir(prefix, { recursive: true });
    const started = Date.now();
    await run(
      'npm',
      ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', spec],
      { maxBuffer: 20_000_000, timeout: 300_000 },
    );
    installMs = Date.now() - started;
  }
  const cli = packageJson(manifest);
  const undiciManifest = join(prefix, 'node_modules', 'undici', 'package.json');
  const ranges = [
    cli.engines?.node,
    existsSync(undiciManifest) ? packageJson(undiciManifest).engines?.node : undefined,
  ];
  const needed = ranges.map(lowestAllowed).reduce((a, b) => (compare(a, b) >= 0 ? a : b));
  const nodeNeeded = needed.join('.');
  const current = process.versions.node.split('.').map(Number);
  if (compare(current, needed) < 0) {
    throw new Error(
      `The Salesforce CLI ${cli.version ?? ''} needs Node.js ${nodeNeeded} or later (engines: ${ranges.filter(Boolean).join(', ')}), and this suite runs on Node.js ${process.version}, which sf would crash on. Put Node.js 24 first on PATH (as .ci/run does) and run npm run test:interop again.`,
    );
  }
  return { binDir: join(prefix, 'node_modules', '.bin'), version: cli.version ?? 'unknown', installMs, nodeNeeded };
}
