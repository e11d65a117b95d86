import { AppError } from '../errors';

/** What a file-system error code means for the user, and what to do about it. */
const ADVICE: Record<string, string> = {
  ENOSPC: 'the disk is full. Free some space, then try again',
  EDQUOT: 'your disk quota is used up. Free some space, then try again',
  EACCES: 'the app is not allowed to write there. Check the permissions of the folder, then try again',
  EPERM: 'the system refused the change. Check the permissions of the folder, then try again',
  EROFS: 'the disk is read-only. Make it writable (or move the app data to a writable disk), then try again',
  EISDIR: 'a folder is where a file should be. Move it away, then try again',
  ENOTDIR: 'a file is where a folder should be. Move it away, then try again',
  EEXIST: 'a file is in the way. Move it away, then try again',
  ENOENT: 'the folder was removed while the app was running. Restart the app',
  EMFILE: 'too many files are open. Close some apps, then try again',
  ENFILE: 'too many files are open. Close some apps, then try again',
  EIO: 'the disk reported an error. Check the disk, then try again',
  EBUSY: 'the file is in use by another program. Close it, then try again',
};

/** A Node file-system error (`EACCES`, `ENOSPC`, …): it has an errno-style code and names the call or path. */
function isFsError(e: unknown): e is NodeJS.ErrnoException {
  if (!(e instanceof Error)) return false;
  const err = e as NodeJS.ErrnoException;
  return (
    typeof err.code === 'string' &&
    /^E[A-Z0-9]+$/.test(err.code) &&
    (err.syscall !== undefined || err.path !== undefined)
  );
}

/**
 * Turns a file-system error into the contract's `vault/io`, saying what could not be saved, where, and what
 * to do; anything else is returned unchanged. `what` names the thing, e.g. `the org "Acme"` (no secret goes
 * in), and `file` the file being written, named when the error itself names none.
 */
function toIoError(e: unknown, what: string, file: string): unknown {
  if (e instanceof AppError || !isFsError(e)) return e;
  const code = e.code!;
  // The file meant, not the temporary one it is written through (`<file>.<random>.tmp`).
  const named = (e as { dest?: string }).dest ?? e.path;
  const where = ` (${named === undefined || named.startsWith(`${file}.`) ? file : named})`;
  const advice =
    ADVICE[code] ?? `the disk refused the write. Check the disk and the folder's permissions, then try again`;
  return new AppError('vault/io', `Could not save ${what}${where}: ${advice}. [${code}]`, { cause: e });
}

/** Runs `write`, which writes `file`; a file-system error becomes `vault/io` (see {@link toIoError}). */
export async function withIo<T>(what: string, file: string, write: () => T | Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    throw toIoError(e, what, file);
  }
}
