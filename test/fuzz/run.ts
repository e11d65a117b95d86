/**
 * `npm run fuzz`: the long fuzz pass. Every target in test/fuzz/targets/ gets `longRuns` inputs (together at
 * least 1,000,000) from one seed, printed so that a run can be repeated; then one line per target: inputs
 * tried, untyped errors (the goal is 0; the first few are shrunk and printed), the slowest input (ms and
 * size in bytes; the goal is at most 50 ms for inputs under 200 KB) and the total time. Exits with 1 when
 * any target had an untyped error.
 *
 *   npm run fuzz -- [--seed N] [--only <name>[,<name>…]] [--runs N]
 *
 * `--only` matches a target's name or file name (e.g. `token-decoder` or "token decoder"); `--runs N` caps
 * every target at N inputs (for a quick look, not the 1,000,000).
 *
 * How failures are counted without stopping: `fc.check` runs each target with a predicate that runs the
 * input, times it, records an error if there is one, and always returns true, so fast-check goes on to the
 * next input instead of shrinking the first failure and stopping. The predicate counts its calls, and since
 * it never fails, call i is run i of the seed. The first failing run of each distinct error message (up to
 * five) is then replayed on its own with `fc.check(…, { seed, path: String(i) })`, which regenerates exactly
 * that input and, failing again, shrinks it the usual way. (Generating inputs with `fc.sample` and running
 * them ourselves would count as well, but loses the shrinking.)
 *
 * Timing: `performance.now()` around `run` alone (a target's `beforeEach` is outside it). An input that
 * takes longer than SLOW_MS, or than the slowest so far, is run twice more and keeps its fastest time, so
 * that a GC pause for earlier inputs' garbage, or another process on the machine, is not counted as its
 * cost; the longest single run is printed too.
 */
// Before anything else: no fetch leaves loopback, whatever a target calls (the same guard as in vitest).
import '../setup/loopback-only';
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { loadTargets, runOne, sizeOf, TARGETS_DIR, type FuzzTarget, type LoadedTarget } from './target';

/** An input under this many bytes should take at most SLOW_MS. */
const SMALL_BYTES = 200 * 1024;
const SLOW_MS = 50;
/** How many failing inputs are shrunk and printed per target: the first of each distinct message. */
const SHOWN_FAILURES = 5;
/** How many distinct error messages are listed per target. */
const SHOWN_MESSAGES = 12;
const PROGRESS_EVERY_MS = 15_000;

interface Options {
  seed: number;
  only: string[] | null;
  runs: number | null;
}

interface Figures {
  name: string;
  inputs: number;
  untyped: number;
  slowestMs: number;
  slowestBytes: number;
  slowSmall: number;
  /** The slowest input under SMALL_BYTES. */
  slowestSmallMs: number;
  slowestSmallBytes: number;
  slowestSmallRun: number;
  /** The longest single run, before slow inputs were timed again. */
  worstRawMs: number;
  totalMs: number;
  /** Message → how often, for the first few distinct messages. */
  messages: Map<string, number>;
  failingRuns: number[];
}

function parseArgs(argv: string[]): Options {
  let seed: number | null = null;
  let only: string[] | null = null;
  let runs: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--seed') {
      seed = Number(value());
      if (!Number.isSafeInteger(seed)) throw new Error('--seed takes an integer');
    } else if (arg?.startsWith('--seed=')) {
      seed = Number(arg.slice('--seed='.length));
    } else if (arg === '--runs') {
      runs = Number(value());
      if (!Number.isSafeInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer');
    } else if (arg === '--only') {
      only = value().split(',');
    } else if (arg?.startsWith('--only=')) {
      only = arg.slice('--only='.length).split(',');
    } else {
      throw new Error(`unknown option ${arg} (use --seed N, --only <name>, --runs N)`);
    }
  }
  // fast-check takes a 32-bit seed.
  return { seed: (seed ?? Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0, only, runs };
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/\.ts$/, '')
    .replace(/[\s_-]+/g, '-');

/**
 * With --only naming files (`token-decoder`), only those are loaded, so that a broken target elsewhere does
 * not stop the run; with a target's name ("token decoder") every file is loaded to read the names.
 */
function fileFilter(only: string[] | null): ((file: string) => boolean) | undefined {
  if (only === null) return undefined;
  const files = readdirSync(TARGETS_DIR).map(norm);
  const wanted = only.map(norm);
  if (!wanted.every((w) => files.includes(w))) return undefined;
  return (file) => wanted.includes(norm(file));
}

function selected(all: LoadedTarget[], only: string[] | null): LoadedTarget[] {
  if (only === null) return all;
  const wanted = new Set(only.map(norm));
  const chosen = all.filter(({ file, target }) => wanted.has(norm(file)) || wanted.has(norm(target.name)));
  if (chosen.length === 0) {
    throw new Error(`--only ${only.join(',')} matches no target; there are: ${all.map((t) => t.file).join(', ')}`);
  }
  return chosen;
}

function messageOf(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/** The target running now: an unhandled rejection or exception is counted against it. */
let running: Figures | null = null;

function noteFailure(figures: Figures, message: string): boolean {
  figures.untyped++;
  const seen = figures.messages.get(message);
  if (seen !== undefined) figures.messages.set(message, seen + 1);
  else if (figures.messages.size < SHOWN_MESSAGES) {
    figures.messages.set(message, 1);
    return true;
  }
  return false;
}

for (const event of ['unhandledRejection', 'uncaughtException'] as const) {
  process.on(event, (e: unknown) => {
    const message = `${event}: ${messageOf(e)}`;
    if (running) noteFailure(running, message);
    else console.error(message);
  });
}

async function fuzz(target: FuzzTarget, seed: number, numRuns: number): Promise<Figures> {
  const size = target.size ?? sizeOf;
  const figures: Figures = {
    name: target.name,
    inputs: 0,
    untyped: 0,
    slowestMs: 0,
    slowestBytes: 0,
    slowSmall: 0,
    slowestSmallMs: 0,
    slowestSmallBytes: 0,
    slowestSmallRun: -1,
    worstRawMs: 0,
    totalMs: 0,
    messages: new Map(),
    failingRuns: [],
  };
  running = figures;
  const started = performance.now();
  let lastProgress = started;
  let run = -1;
  const property = fc.asyncProperty(target.arbitrary, async (input) => {
    run++;
    let error: unknown = null;
    try {
      await target.beforeEach?.();
    } catch (e) {
      // Not this input's failure, but a failure: counted, and the run goes on.
      noteFailure(figures, `beforeEach: ${messageOf(e)}`);
      return true;
    }
    const t0 = performance.now();
    try {
      await target.run(input);
    } catch (e) {
      error = e;
    }
    let ms = performance.now() - t0;
    figures.inputs++;
    if (ms > figures.worstRawMs) figures.worstRawMs = ms;
    // A GC pause (for the garbage of earlier inputs) or another process on the machine is not this input's
    // cost: an input that would be the slowest so far, or over SLOW_MS, is run twice more and keeps its
    // fastest time.
    const bar = Math.min(SLOW_MS, figures.slowestMs);
    for (let again = 0; again < 2 && ms > bar; again++) {
      await (async () => target.beforeEach?.())().catch(() => undefined);
      const t1 = performance.now();
      await (async () => target.run(input))().catch(() => undefined);
      ms = Math.min(ms, performance.now() - t1);
    }
    if (ms > figures.slowestMs || ms > SLOW_MS) {
      const bytes = size(input);
      if (ms > figures.slowestMs) {
        figures.slowestMs = ms;
        figures.slowestBytes = bytes;
      }
      if (ms > SLOW_MS && bytes < SMALL_BYTES) figures.slowSmall++;
      if (bytes < SMALL_BYTES && ms > figures.slowestSmallMs) {
        figures.slowestSmallMs = ms;
        figures.slowestSmallBytes = bytes;
        figures.slowestSmallRun = run;
      }
    }
    if (error !== null) {
      if (noteFailure(figures, messageOf(error)) && figures.failingRuns.length < SHOWN_FAILURES) {
        figures.failingRuns.push(run);
      }
    }
    const now = performance.now();
    if (now - lastProgress > PROGRESS_EVERY_MS) {
      lastProgress = now;
      process.stderr.write(
        `  … ${target.name}: ${figures.inputs.toLocaleString('en')} of ${numRuns.toLocaleString('en')}, ${figures.untyped} untyped, ${((now - started) / 1000).toFixed(0)} s\n`,
      );
    }
    // Never fail here: fast-check would stop at the first failure (see the comment at the top).
    return true;
  });
  try {
    await fc.check(property, { numRuns, seed });
  } finally {
    figures.totalMs = performance.now() - started;
  }
  return figures;
}

function preview(input: unknown): string {
  const shown = fc.stringify(input);
  return shown.length > 600 ? `${shown.slice(0, 599)}… (${shown.length.toLocaleString('en')} characters)` : shown;
}

/** The input of run `run` of `seed`, generated again (and not run). */
async function inputOf(target: FuzzTarget, seed: number, run: number): Promise<unknown> {
  let input: unknown;
  await fc.check(
    fc.property(target.arbitrary, (value) => {
      input = value;
      return false;
    }),
    { seed, path: String(run), numRuns: 1, endOnFailure: true },
  );
  return input;
}

/** Replays run `run` of `seed` alone and shrinks it. */
async function shrink(target: FuzzTarget, seed: number, run: number): Promise<string> {
  const details = await fc.check(
    fc.asyncProperty(target.arbitrary, (input) => runOne(target, input)),
    { seed, path: String(run), numRuns: 1 },
  );
  if (!details.failed) return `run ${run} did not fail when replayed alone (it depends on what ran before it)`;
  const shown = fc.stringify(details.counterexample?.[0]);
  const input =
    shown.length > 600 ? `${shown.slice(0, 599)}… (${shown.length.toLocaleString('en')} characters)` : shown;
  return `run ${run}, shrunk ${details.numShrinks} times (replay: --seed ${seed}, path "${details.counterexamplePath}"):\n      input: ${input}\n      error: ${messageOf(details.errorInstance)}`;
}

function table(rows: Figures[]): string {
  const head = [
    'target',
    'inputs',
    'untyped',
    'slowest ms',
    'slowest bytes',
    'slowest <200 KB ms',
    `>${SLOW_MS} ms <200 KB`,
    'total s',
  ];
  const body = rows.map((f) => [
    f.name,
    f.inputs.toLocaleString('en'),
    String(f.untyped),
    f.slowestMs.toFixed(1),
    f.slowestBytes.toLocaleString('en'),
    f.slowestSmallMs.toFixed(1),
    String(f.slowSmall),
    (f.totalMs / 1000).toFixed(1),
  ]);
  const total = [
    'all',
    rows.reduce((n, f) => n + f.inputs, 0).toLocaleString('en'),
    String(rows.reduce((n, f) => n + f.untyped, 0)),
    Math.max(0, ...rows.map((f) => f.slowestMs)).toFixed(1),
    '',
    Math.max(0, ...rows.map((f) => f.slowestSmallMs)).toFixed(1),
    String(rows.reduce((n, f) => n + f.slowSmall, 0)),
    (rows.reduce((n, f) => n + f.totalMs, 0) / 1000).toFixed(1),
  ];
  const all = [head, ...body, total];
  const widths = head.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(head), rule, ...body.map(line), rule, line(total)].join('\n');
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const targets = selected(await loadTargets(undefined, fileFilter(options.only)), options.only);
  const runsOf = (t: FuzzTarget) => Math.min(t.longRuns, options.runs ?? Infinity);
  const planned = targets.reduce((n, { target }) => n + runsOf(target), 0);
  console.log(
    `fuzz: seed ${options.seed}, ${targets.length} targets, ${planned.toLocaleString('en')} inputs (repeat with --seed ${options.seed})`,
  );
  const rows: Figures[] = [];
  for (const { file, target } of targets) {
    console.log(`\n${target.name} (${file}): ${runsOf(target).toLocaleString('en')} inputs`);
    let figures: Figures;
    const shrunk: string[] = [];
    try {
      await target.setup?.();
      figures = await fuzz(target, options.seed, runsOf(target));
      for (const run of figures.failingRuns) shrunk.push(await shrink(target, options.seed, run));
    } finally {
      await target.teardown?.();
      // What teardown left behind still counts against this target; then nothing does.
      await new Promise((r) => setTimeout(r, 100));
      running = null;
    }
    rows.push(figures);
    console.log(
      `  ${figures.inputs.toLocaleString('en')} inputs, ${figures.untyped} untyped, slowest ${figures.slowestMs.toFixed(1)} ms (${figures.slowestBytes.toLocaleString('en')} bytes), slowest under 200 KB ${figures.slowestSmallMs.toFixed(1)} ms (${figures.slowestSmallBytes.toLocaleString('en')} bytes), ${figures.slowSmall} over ${SLOW_MS} ms under 200 KB, longest single run ${figures.worstRawMs.toFixed(1)} ms, ${(figures.totalMs / 1000).toFixed(1)} s`,
    );
    if (figures.slowestSmallMs > SLOW_MS) {
      console.log(
        `  slowest under 200 KB: run ${figures.slowestSmallRun} (replay: --seed ${options.seed}, path "${figures.slowestSmallRun}"): ${preview(await inputOf(target, options.seed, figures.slowestSmallRun))}`,
      );
    }
    for (const [message, count] of figures.messages) console.log(`  ${count}× ${message}`);
    for (const text of shrunk) console.log(`    ${text}`);
  }
  console.log(`\n${table(rows)}\n\nseed ${options.seed}`);
  const failed = rows.filter((f) => f.untyped > 0);
  if (failed.length > 0) {
    console.log(`untyped errors in: ${failed.map((f) => f.name).join(', ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);
