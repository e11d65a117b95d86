/**
 * One fuzz target: an input generator and one run of the code that ships on one input. `npm test` runs a
 * short seeded pass over every target (test/fuzz/fuzz.test.ts); `npm run fuzz` runs the long pass and prints
 * the figures (test/fuzz/run.ts). Targets live one per file in test/fuzz/targets/, each default-exporting a
 * FuzzTarget; both runners find them there, so adding a target touches no other file.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { constant, oneof, stringify, type Arbitrary } from 'fast-check';
import { AppError } from '../../main/errors';
import { ERROR_CODES } from '../../preload/contract';

export interface FuzzTarget<T = unknown> {
  /** Short name for the report, e.g. "token decoder". */
  name: string;
  /** How many inputs `npm run fuzz` tries (together the targets must reach at least 1,000,000). */
  longRuns: number;
  /** How many inputs the seeded pass in `npm test` tries (keep the whole pass under ~20 s). */
  shortRuns: number;
  arbitrary: Arbitrary<T>;
  /** Servers, temp folders: made once per pass. */
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  /**
   * Before each input, outside its timing: e.g. putting back state that the last input changed. Both
   * runners call it; an error here is a harness failure, not the input's.
   */
  beforeEach?(): Promise<void> | void;
  /**
   * Runs one input. Returns normally for any outcome the code means (a value, a typed `AppError`, a `Result`
   * with `ok: false`); throws {@link UntypedError} (use {@link expectTyped}) for anything else.
   */
  run(input: T): Promise<void> | void;
  /** The input's size in bytes for the report (default {@link sizeOf}). */
  size?(input: T): number;
}

/** A failure that is a bug: not a typed error of the contract. */
export class UntypedError extends Error {
  override name = 'UntypedError';
}

/** A code of the contract other than `internal` (which is what an unexpected exception becomes). */
export function isTypedCode(code: string): boolean {
  return code !== 'internal' && (ERROR_CODES as readonly string[]).includes(code);
}

/** Runs `fn`; a thrown `AppError` with a typed code is fine, anything else is an untyped error. */
export async function expectTyped(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AppError && isTypedCode(e.code)) return;
    throw new UntypedError(e instanceof Error ? `${e.name}: ${e.message}` : String(e), { cause: e });
  }
}

/** Checks a bridge `Result`: ok, or an error with a typed code. */
export function expectTypedResult(r: { ok: boolean; error?: { code: string } }): void {
  if (!r.ok && !isTypedCode(r.error?.code ?? '')) {
    throw new UntypedError(`untyped result error: ${JSON.stringify(r.error)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Shared by the runners
// ---------------------------------------------------------------------------------------------

/** The seed of the short pass in `npm test`: fixed, so that a failure there is the same on every machine. */
export const SHORT_PASS_SEED = 20_261_124;

/** The folder the runners take the targets from. */
export const TARGETS_DIR = fileURLToPath(new URL('./targets/', import.meta.url));

/** One target, with the file it came from. */
export interface LoadedTarget {
  file: string;
  target: FuzzTarget;
}

/**
 * Every target in {@link TARGETS_DIR}: each `*.ts` file's default export, in file name order. There is no
 * registry: a new file there is a new target for both runners. A file whose default export is not a
 * target fails loudly rather than being skipped. `include` picks files by name (all by default).
 */
export async function loadTargets(
  dir: string = TARGETS_DIR,
  include: (file: string) => boolean = () => true,
): Promise<LoadedTarget[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('.') && include(f))
    .sort();
  const loaded: LoadedTarget[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: unknown };
    if (!isFuzzTarget(mod.default)) {
      throw new Error(`test/fuzz/targets/${file} does not default-export a FuzzTarget (name, runs, arbitrary, run).`);
    }
    loaded.push({ file, target: mod.default });
  }
  return loaded;
}

function isFuzzTarget(value: unknown): value is FuzzTarget {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Partial<FuzzTarget>;
  return (
    typeof t.name === 'string' &&
    typeof t.longRuns === 'number' &&
    typeof t.shortRuns === 'number' &&
    typeof t.run === 'function' &&
    typeof t.arbitrary === 'object' &&
    t.arbitrary !== null
  );
}

/**
 * The size of an input in bytes: UTF-8 for strings, the bytes of binary data, and for anything else its
 * JSON (or, for what JSON cannot hold, fast-check's printing of it) in UTF-8.
 */
export function sizeOf(input: unknown): number {
  if (typeof input === 'string') return Buffer.byteLength(input, 'utf8');
  if (input instanceof Uint8Array) return input.byteLength;
  if (input instanceof ArrayBuffer) return input.byteLength;
  try {
    const json = JSON.stringify(input);
    if (json !== undefined) return Buffer.byteLength(json, 'utf8');
  } catch {
    // BigInt, cycles: fall through.
  }
  return Buffer.byteLength(stringify(input), 'utf8');
}

/** One input as both runners run it: {@link FuzzTarget.beforeEach}, then `run`. */
export async function runOne<T>(target: FuzzTarget<T>, input: T): Promise<void> {
  await target.beforeEach?.();
  await target.run(input);
}

/** Runs `fn` and fails with an UntypedError when it takes longer than `ms` (a hang is a bug too). */
export async function withinMs<T>(ms: number, what: string, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UntypedError(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `arbitrary` one time in `oneIn`, null the other times: for rare mutations. (`fc.option` is the other way
 * round: it gives null one time in `freq`.)
 */
export function sometimes<T>(arbitrary: Arbitrary<T>, oneIn: number): Arbitrary<T | null> {
  return oneof({ weight: oneIn - 1, arbitrary: constant(null) }, { weight: 1, arbitrary });
}
