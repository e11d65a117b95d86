import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The suffix of writeFileAtomic's temporary files, so that those left by a crash can be found. */
export const TEMP_SUFFIX = /\.[0-9a-f]{12}\.tmp$/;

/**
 * Writes a file atomically with mode 0600: a temporary file in the same folder, fsync, then rename, so a
 * crash leaves either the old or the new content, never half of one.
 */
export async function writeFileAtomic(path: string, content: string): Promise<number> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    // A full disk or a folder in the way: leave no temporary file behind.
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  return Buffer.byteLength(content);
}

/** Runs tasks for the same key one after another; different keys run in parallel. */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(task);
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }

  /** Resolves once every task queued so far, and every task they queued in turn, has finished. */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all([...this.#tails.values()]);
  }
}
