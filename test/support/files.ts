/** What is on disk under the app's data folder, for tests that prove no secret is written in plain text. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Every file under `dir`, with its text. */
export async function filesUnder(dir: string): Promise<{ path: string; text: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const path = join(e.parentPath, e.name);
        return { path, text: await readFile(path, 'utf8') };
      }),
  );
}

/** Fails if any file under `dir` holds one of `secrets`, or a long piece of one (its last 24 characters). */
export async function expectNoPlaintext(dir: string, secrets: readonly string[]): Promise<void> {
  const files = await filesUnder(dir);
  expect(files.length).toBeGreaterThan(0);
  for (const { path, text } of files) {
    for (const secret of secrets) {
      expect(text, path).not.toContain(secret);
      if (secret.length > 24) expect(text, path).not.toContain(secret.slice(-24));
    }
  }
}
