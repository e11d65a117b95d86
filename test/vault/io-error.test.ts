/**
 * File-system errors turned into `vault/io` by withIo, on real failures from the kernel (a folder where a
 * file should be, a missing folder); what the vault reports for each write is io-errors.test.ts.
 */
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { writeFileAtomic } from '../../main/vault/atomic-file';
import { withIo } from '../../main/vault/io-error';
import { tempDir } from '../support/vault';

describe('withIo', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('gives the value of a write that works', async () => {
    expect(await withIo('the org "A"', join(dir, 'a.json'), () => writeFileAtomic(join(dir, 'a.json'), 'ab'))).toBe(2);
  });

  it('names the file meant, not the temporary one, with what to do and the code', async () => {
    const file = join(dir, 'a.json');
    await mkdir(join(file, 'in-the-way'), { recursive: true });
    const e = await withIo('the org "A"', file, () => writeFileAtomic(file, 'x')).catch((error: unknown) => error);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('vault/io');
    expect((e as AppError).message).toBe(
      `Could not save the org "A" (${file}): a folder is where a file should be. Move it away, then try again. [EISDIR]`,
    );
    expect(((e as AppError).cause as NodeJS.ErrnoException).code).toBe('EISDIR');
  });

  it('names the path of the error when it is not the file being written (for a rename: its destination)', async () => {
    const destination = join(dir, 'y');
    const e = await withIo('the settings', join(dir, 'store.json'), () =>
      rename(join(dir, 'gone', 'x'), destination),
    ).catch((error: unknown) => error);
    expect((e as AppError).code).toBe('vault/io');
    expect((e as AppError).message).toBe(
      `Could not save the settings (${destination}): the folder was removed while the app was running. Restart the app. [ENOENT]`,
    );
  });

  it('passes app errors and errors that are not from the file system through unchanged', async () => {
    const app = new AppError('vault/unavailable', 'closing');
    await expect(withIo('x', join(dir, 'x'), () => Promise.reject(app))).rejects.toBe(app);
    const plain = new Error('not a file-system error');
    await expect(
      withIo('x', join(dir, 'x'), () => {
        throw plain;
      }),
    ).rejects.toBe(plain);
  });
});
