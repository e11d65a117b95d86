/** Atomic file replacement and the per-key queue the vault's writes go through. */
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyedQueue, TEMP_SUFFIX, writeFileAtomic } from '../../main/vault/atomic-file';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../support/vault';

describe('writeFileAtomic', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('creates the folder, writes mode 0600, gives the bytes written and leaves no temporary file', async () => {
    const path = join(dir, 'orgs', 'a.json');
    expect(await writeFileAtomic(path, 'héllo')).toBe(Buffer.byteLength('héllo'));
    expect(await readFile(path, 'utf8')).toBe('héllo');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'orgs'))).mode & 0o777).toBe(0o700);
    await writeFileAtomic(path, 'second');
    expect(await readFile(path, 'utf8')).toBe('second');
    expect(await readdir(join(dir, 'orgs'))).toEqual(['a.json']);
  });

  it('removes its temporary file when the rename fails (a folder where the file should be)', async () => {
    const path = join(dir, 'a.json');
    await mkdir(join(path, 'in-the-way'), { recursive: true });
    await expect(writeFileAtomic(path, 'x')).rejects.toMatchObject({ code: 'EISDIR' });
    expect((await readdir(dir)).filter((n) => TEMP_SUFFIX.test(n))).toEqual([]);
  });
});

describe('KeyedQueue', () => {
  it('runs tasks of one key in call order, other keys alongside, and a failure does not stop the next', async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        await sleep(ms);
        order.push(name);
        if (fail) throw new Error(name);
        return name;
      };
    const a1 = queue.run('a', task('a1', 30, true));
    const a2 = queue.run('a', task('a2', 1));
    const b1 = queue.run('b', task('b1', 5));
    await expect(a1).rejects.toThrow('a1');
    expect(await a2).toBe('a2');
    expect(await b1).toBe('b1');
    expect(order).toEqual(['b1', 'a1', 'a2']);
  });

  it('is idle only once every task, and every task those queued, has finished', async () => {
    const queue = new KeyedQueue();
    const done: string[] = [];
    void queue.run('a', async () => {
      await sleep(5);
      void queue.run('b', async () => {
        await sleep(5);
        done.push('b');
      });
      done.push('a');
    });
    await queue.idle();
    expect(done).toEqual(['a', 'b']);
  });
});
