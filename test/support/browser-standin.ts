/**
 * Stand-in browsers: small shell scripts in a temp folder, named like the real executables (`firefox`,
 * `google-chrome`, …), that write the arguments they were started with to a file, one per line, and then exit
 * (or fail, or keep running for a while). The folder is the PATH a test gives the app, so no test starts a real
 * browser.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Handlers } from '../../preload/contract';
import { signIn, startWorld, type World } from './sign-in';

/** What a stand-in does once it has written its arguments down. */
export type StandinBehaviour = 'exit' | 'fail' | 'linger';

export interface BrowserStandins {
  /** The folder holding the stand-ins: the test's PATH. */
  binDir: string;
  /** An environment whose PATH finds the stand-ins and nothing else. */
  env: NodeJS.ProcessEnv;
  /** Writes (or rewrites) the stand-in `name`. */
  install(name: string, behaviour?: StandinBehaviour): Promise<string>;
  /** The arguments of every start of `name` so far, oldest first. */
  calls(name: string): Promise<string[][]>;
  cleanup(): Promise<void>;
}

export async function browserStandins(): Promise<BrowserStandins> {
  const root = await mkdtemp(join(tmpdir(), 'sfti-browsers-'));
  const binDir = join(root, 'bin');
  const callDir = join(root, 'calls');
  await mkdir(binDir);
  await mkdir(callDir);
  return {
    binDir,
    env: { PATH: binDir },
    async install(name, behaviour = 'exit') {
      const file = join(binDir, name);
      const then = { exit: 'exit 0', fail: 'echo "cannot open display" >&2; exit 3', linger: 'sleep 3' }[behaviour];
      // A file per start, named by the start's time and process id: its lines are the arguments as received.
      const script = [
        '#!/bin/sh',
        `out="${callDir}/${name}-$(date +%s%N)-$$"`,
        'for arg in "$@"; do printf "%s\\n" "$arg"; done > "$out.tmp"',
        'mv "$out.tmp" "$out"',
        then,
        '',
      ].join('\n');
      await writeFile(file, script);
      await chmod(file, 0o755);
      return file;
    },
    async calls(name) {
      const files = (await readdir(callDir)).filter((f) => f.startsWith(`${name}-`) && !f.endsWith('.tmp')).sort();
      return Promise.all(files.map(async (f) => (await readFile(join(callDir, f), 'utf8')).split('\n').slice(0, -1)));
    },
    async cleanup() {
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * A signed-in org (Acme production, at the Salesforce double) whose app finds the stand-ins `names` on its PATH:
 * for the browser story (test/e2e/open-browser.test.ts) and its scene (test/e2e/scenes.ts).
 */
export async function browsersWorld(
  names: readonly string[] = ['google-chrome', 'firefox', 'microsoft-edge'],
): Promise<{ world: World; standins: BrowserStandins; handlers: Handlers; close(): Promise<void> }> {
  const standins = await browserStandins();
  for (const name of names) await standins.install(name);
  const world = await startWorld({ services: { browsers: { env: standins.env, launchGraceMs: 3000 } } });
  await signIn(world, world.double.loginUrl, { label: 'Acme production' });
  return {
    world,
    standins,
    handlers: world.services.handlers,
    close: async () => {
      await world.close();
      await standins.cleanup();
    },
  };
}
