/**
 * The short seeded fuzz pass that `npm test` runs: every target in test/fuzz/targets/ (found by listing the
 * folder, so a new target needs no change here), `shortRuns` inputs each, with one fixed seed so that a
 * failure reproduces anywhere. fast-check shrinks a failing input and prints it with the seed and path to
 * replay. The long pass with figures is `npm run fuzz` (test/fuzz/run.ts).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { loadTargets, runOne, SHORT_PASS_SEED } from './target';

const targets = await loadTargets();

describe('fuzz (short seeded pass)', () => {
  it('finds the targets in test/fuzz/targets/', () => {
    if (targets.length === 0) throw new Error('no fuzz targets found');
  });

  for (const { file, target } of targets) {
    it(`${target.name} (${file}): ${target.shortRuns} inputs stay typed`, { timeout: 60_000 }, async () => {
      try {
        await target.setup?.();
        await fc.assert(
          fc.asyncProperty(target.arbitrary, (input) => runOne(target, input)),
          { numRuns: target.shortRuns, seed: SHORT_PASS_SEED, verbose: 1 },
        );
      } finally {
        await target.teardown?.();
      }
    });
  }
});
