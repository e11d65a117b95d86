import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, lstat, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors';

/** The lock file in the data folder: present while a vault has the folder open. */
export const LOCK_FILE = 'vault.lock';

/** What the lock file holds. */
export interface LockInfo {
  pid: number;
  /** When the holding process started (ms since the epoch), so a reused pid is not taken for the holder. */
  processStartedAt: number;
  /** When the lock was taken (ms since the epoch). */
  acquiredAt: number;
  host: string;
}

/**
 * A lock file the creator has not written yet (or died before writing) is only taken over once it is this
 * old: writing the few bytes takes microseconds, so an empty file older than this has no living writer.
 */
const UNWRITTEN_LOCK_GRACE_MS = 2_000;

/**
 * The data folder's lock: one vault at a time may write the folder. Taken with `open(…, 'wx')` (atomic:
 * exactly one of several openers creates the file), holding the pid and start time of the process. A lock
 * whose process no longer runs (the app crashed or was killed) is taken over; a lock that is not this
 * vault's any more (deleted by hand, taken over) is noticed before every write.
 */
export class VaultLock {
  readonly #path: string;
  readonly #content: string;
  readonly #ino: number;
  #released = false;

  private constructor(path: string, content: string, ino: number) {
    this.#path = path;
    this.#content = content;
    this.#ino = ino;
  }

  get path(): string {
    return this.#path;
  }

  /** Takes the lock of `dir` (creating the folder), or throws `vault/unavailable` when another vault holds it. */
  static async acquire(
    dir: string,
    now: () => number = Date.now,
    options: { staleLocksOnly?: boolean } = {},
  ): Promise<VaultLock> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, LOCK_FILE);
    // A few rounds: each either takes the lock, refuses, or has removed one stale lock.
    for (let round = 0; round < 5; round++) {
      const info: LockInfo = {
        pid: process.pid,
        processStartedAt: PROCESS_STARTED_AT,
        acquiredAt: now(),
        host: hostname(),
      };
      const content = `${JSON.stringify(info)}\n`;
      const created = await createExclusive(path, content);
      if (created !== null) return new VaultLock(path, content, created);
      const held = await readLock(path);
      if (held === null) continue; // gone in between: try again
      const verdict = judge(held, now());
      if (verdict.live && !options.staleLocksOnly) throw lockedError(dir, verdict.reason);
      await removeIfUnchanged(path, held);
    }
    throw lockedError(dir, 'the lock kept changing while the app tried to take it over');
  }

  /** True while the lock file is still this vault's own (not removed or replaced by anyone). */
  async isHeld(): Promise<boolean> {
    if (this.#released) return false;
    const current = await readLock(this.#path);
    return current !== null && current.ino === this.#ino && current.text === this.#content;
  }

  /** Throws `vault/unavailable` unless the lock is still this vault's. */
  async assertHeld(): Promise<void> {
    if (await this.isHeld()) return;
    throw new AppError(
      'vault/unavailable',
      `The data folder's lock (${this.#path}) was removed or taken by another copy of the app, so this change was not saved. Quit every copy of SF Token Inspector and start it again.`,
    );
  }

  /** Removes the lock file if it is still this vault's; never removes another's. */
  async release(): Promise<void> {
    if (this.#released) return;
    if (await this.isHeld()) await rm(this.#path, { force: true });
    this.#released = true;
  }
}

/**
 * When this process started. `performance.timeOrigin` is set as the process starts; on Linux the kernel's
 * own record is used when it can be read, so both sides of the pid-reuse check below use the same clock.
 */
const PROCESS_STARTED_AT = Math.round(linuxStartTime(process.pid) ?? performance.timeOrigin);

/** Creates `path` only if it does not exist, with `content`; its inode, or null when it already exists. */
async function createExclusive(path: string, content: string): Promise<number | null> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw e;
  }
  let ino: number;
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    ino = (await handle.stat()).ino;
  } catch (e) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw e;
  }
  await handle.close();
  return ino;
}

interface HeldLock {
  text: string;
  ino: number;
  mtimeMs: number;
  info: LockInfo | null;
}

async function readLock(path: string): Promise<HeldLock | null> {
  try {
    const [text, st] = await Promise.all([readFile(path, 'utf8'), lstat(path)]);
    return { text, ino: st.ino, mtimeMs: st.mtimeMs, info: parseInfo(text) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function parseInfo(text: string): LockInfo | null {
  try {
    const v = JSON.parse(text) as Partial<LockInfo> | null;
    if (
      v &&
      Number.isSafeInteger(v.pid) &&
      (v.pid ?? 0) > 0 &&
      typeof v.processStartedAt === 'number' &&
      typeof v.acquiredAt === 'number' &&
      typeof v.host === 'string'
    )
      return v as LockInfo;
  } catch {
    // not JSON: judged by its age below
  }
  return null;
}

/** Whether the lock's holder may still be running, and if so, why the app thinks so (for the message). */
function judge(held: HeldLock, now: number): { live: boolean; reason: string } {
  const { info } = held;
  if (info === null) {
    const young = now - held.mtimeMs < UNWRITTEN_LOCK_GRACE_MS;
    return { live: young, reason: 'another copy of the app is opening it right now' };
  }
  const opened = `since ${new Date(info.acquiredAt).toISOString()}`;
  if (info.host !== hostname()) {
    return {
      live: true,
      reason: `it is in use by SF Token Inspector on the computer "${info.host}" (process ${info.pid}, ${opened})`,
    };
  }
  if (!isRunning(info.pid)) return { live: false, reason: '' };
  // The pid runs, but a process that started after the lock was taken cannot be the one that took it.
  const started = linuxStartTime(info.pid);
  if (started !== null && started > info.acquiredAt + START_TIME_SLACK_MS) return { live: false, reason: '' };
  return { live: true, reason: `another copy of the app (process ${info.pid}) has it open, ${opened}` };
}

/** Clock granularity between the kernel's start time (10 ms ticks, boot time in whole seconds) and ours. */
const START_TIME_SLACK_MS = 2_000;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A process's start time (ms since the epoch) from /proc on Linux; null elsewhere or when unreadable. */
function linuxStartTime(pid: number): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime, clock ticks since boot) counts from the field after the ")" closing the name.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
    if (!Number.isFinite(ticks) || btime === undefined) return null;
    // USER_HZ is 100 on every Linux the app runs on.
    return Number(btime) * 1000 + ticks * 10;
  } catch {
    return null;
  }
}

/**
 * Removes the stale lock `held`, but only that one: it is moved aside (atomic), and if what was moved is
 * not the file that was judged (another opener replaced it in between), it is put back with `link`, which
 * never overwrites.
 */
async function removeIfUnchanged(path: string, held: HeldLock): Promise<void> {
  const aside = `${path}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const [st, text] = await Promise.all([stat(aside), readFile(aside, 'utf8')]);
  if (st.ino !== held.ino || text !== held.text) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}

function lockedError(dir: string, reason: string): AppError {
  return new AppError(
    'vault/unavailable',
    `The app's data folder (${dir}) is already open: ${reason}. Use the copy that is already running, or quit it and try again. If no other copy is running, delete ${join(dir, LOCK_FILE)} and start the app again.`,
  );
}
