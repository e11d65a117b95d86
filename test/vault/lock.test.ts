/**
 * Found in a security review: two vaults on one folder took 40 concurrent saves, reported all of them
 * saved, and only 20 survived a reopen. The vault now holds a lock file while it is open.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { LOCK_FILE, type LockInfo } from '../../main/vault/lock';
import { AesGcmCipher } from '../support/aes-gcm-cipher';
import { Vault } from '../../main/vault/vault';
import {
  openTestVault,
  reopenTestVault,
  sampleMeta,
  sampleOrg,
  storeFactory,
  tempDir,
  TEST_KEY,
} from '../support/vault';

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    (v) => v,
    (error: unknown) => error,
  );
  expect(e, 'the open should have been refused').toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe('vault/unavailable');
  return e as AppError;
}

/** A Node process that runs until killed. */
async function runningProcess(): Promise<{ pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return {
    pid: child.pid!,
    stop: async () => {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

describe('the data folder lock', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const lockPath = () => join(dir, LOCK_FILE);
  const writeLock = (info: Partial<LockInfo>) =>
    writeFile(
      lockPath(),
      JSON.stringify({ pid: 1, processStartedAt: Date.now(), acquiredAt: Date.now(), host: hostname(), ...info }),
    );
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('refuses a second vault on the same folder, clearly, until the first is closed', async () => {
    const first = await openTestVault(dir);
    const e = await refusal(openTestVault(dir));
    expect(e.message).toContain(`The app's data folder (${dir}) is already open`);
    expect(e.message).toContain(`another copy of the app (process ${process.pid}) has it open`);
    expect(e.message).toMatch(/Use the copy that is already running, or quit it and try again\./);
    await first.saveOrg(sampleOrg('o1'));
    const second = await reopenTestVault(first, dir);
    expect(second.listOrgs().map((o) => o.record.id)).toEqual(['o1']);
    await second.close();
    expect(existsSync(lockPath()), 'released on close').toBe(false);
  });

  it('lets exactly one of several concurrent opens win, so concurrent saves are never lost', async () => {
    const opened = await Promise.allSettled(Array.from({ length: 4 }, () => openTestVault(dir)));
    const vaults = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(vaults).toHaveLength(1);
    for (const r of opened) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'vault/unavailable' });
    // The review's case: 40 concurrent saves, all reported saved, all there after a reopen.
    const vault = vaults[0]!;
    await Promise.all(Array.from({ length: 40 }, (_, i) => vault.saveOrg(sampleOrg(`o${i}`))));
    const again = await reopenTestVault(vault, dir);
    expect(again.listOrgs()).toHaveLength(40);
    await again.close();
  });

  it('holds the pid and start time of the process, mode 0600', async () => {
    const before = Date.now();
    const vault = await openTestVault(dir);
    const info = JSON.parse(await readFile(lockPath(), 'utf8')) as LockInfo;
    expect(info).toEqual({
      pid: process.pid,
      processStartedAt: expect.any(Number),
      acquiredAt: expect.any(Number),
      host: hostname(),
    });
    expect(info.processStartedAt).toBeLessThanOrEqual(info.acquiredAt);
    expect(info.processStartedAt).toBeGreaterThan(before - 24 * 3600_000);
    expect(info.acquiredAt).toBeGreaterThanOrEqual(before);
    expect((await stat(lockPath())).mode & 0o777).toBe(0o600);
    await vault.close();
  });

  it('takes over the lock of a process that no longer runs (the app crashed)', async () => {
    const first = await openTestVault(dir);
    await first.saveOrg(sampleOrg('o1'));
    await writeLock({ pid: await deadPid() });
    const vault = await openTestVault(dir);
    expect(vault.listOrgs().map((o) => o.record.id)).toEqual(['o1']);
    expect(JSON.parse(await readFile(lockPath(), 'utf8')).pid).toBe(process.pid);
    expect((await readdir(dir)).filter((n) => n.startsWith(LOCK_FILE))).toEqual([LOCK_FILE]);
    await vault.close();
  });

  it('refuses while the holding process runs, and opens once it has gone', async () => {
    const holder = await runningProcess();
    try {
      await writeLock({ pid: holder.pid });
      const e = await refusal(openTestVault(dir));
      expect(e.message).toContain(`(process ${holder.pid})`);
      expect(e.message).toContain(`If no other copy is running, delete ${lockPath()} and start the app again.`);
    } finally {
      await holder.stop();
    }
    await (await openTestVault(dir)).close();
  });

  it.skipIf(process.platform !== 'linux')(
    'takes over a lock whose pid now belongs to a process that started after the lock was taken',
    async () => {
      // This very process runs under the recorded pid, but it started long after the lock was taken, so it
      // cannot be the holder: the pid was reused.
      const longAgo = Date.now() - 30 * 24 * 3600_000;
      await writeLock({ pid: process.pid, processStartedAt: longAgo, acquiredAt: longAgo });
      const vault = await openTestVault(dir);
      expect(JSON.parse(await readFile(lockPath(), 'utf8')).acquiredAt).toBeGreaterThan(longAgo);
      await vault.close();
    },
  );

  it('treats an empty lock file as being written (refused) until it is clearly abandoned (taken over)', async () => {
    await writeFile(lockPath(), '');
    expect((await refusal(openTestVault(dir))).message).toMatch(/another copy of the app is opening it right now/);
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await utimes(lockPath(), aMinuteAgo, aMinuteAgo);
    await (await openTestVault(dir)).close();
  });

  it('refuses a lock held on another computer (a shared folder), naming it', async () => {
    await writeLock({ host: 'other-laptop', pid: 4242 });
    expect((await refusal(openTestVault(dir))).message).toMatch(/on the computer "other-laptop" \(process 4242/);
  });

  it('in the app, which already holds the single-instance lock, takes over any lock left in its folder', async () => {
    // After a crash and a reboot the dead app's pid may belong to another process, and a Mac's host name
    // changes with the network: neither may keep the app from starting.
    const other = await runningProcess();
    try {
      for (const held of [{ pid: other.pid }, { host: 'MacBook-Pro-2.local', pid: other.pid }]) {
        await writeLock(held);
        await refusal(openTestVault(dir));
        const vault = await Vault.open({
          dataDir: dir,
          cipher: new AesGcmCipher(TEST_KEY),
          storeFactory: await storeFactory(),
          staleLocksOnly: true,
        });
        expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid });
        await vault.close();
      }
    } finally {
      await other.stop();
    }
  });

  it('close finishes the writes already asked for; later writes are refused, reads still work', async () => {
    const vault = await openTestVault(dir);
    await vault.saveOrg(sampleOrg('o1'));
    const pending = vault.saveTokens('o1', [{ meta: sampleMeta('access'), value: 'access-1' }]);
    const closed = vault.close();
    await expect(vault.saveOrg(sampleOrg('o2'))).rejects.toMatchObject({ code: 'vault/unavailable' });
    await expect(vault.setSettings({ theme: 'dark' })).rejects.toMatchObject({
      code: 'vault/unavailable',
      message: expect.stringMatching(/The app is closing, so this change was not saved/),
    });
    await pending;
    await closed;
    await vault.close();
    expect(existsSync(lockPath())).toBe(false);
    expect(await vault.readToken('o1', 'access')).toBe('access-1');
    const again = await openTestVault(dir);
    expect(await again.readToken('o1', 'access')).toBe('access-1');
    expect(again.getOrg('o2')).toBeNull();
    await again.close();
  });

  it('a vault whose lock was removed and taken by another stops writing', async () => {
    const first = await openTestVault(dir);
    await first.saveOrg(sampleOrg('o1'));
    await rm(lockPath());
    const second: Vault = await openTestVault(dir);
    await second.saveOrg(sampleOrg('o2'));
    const e = await first.saveOrg(sampleOrg('o3')).catch((error: unknown) => error);
    expect(e).toMatchObject({
      code: 'vault/unavailable',
      message: expect.stringMatching(/lock .* was removed or taken/),
    });
    await first.close();
    expect(existsSync(lockPath()), "closing the first never removes the second's lock").toBe(true);
    const again = await reopenTestVault(second, dir);
    expect(again.listOrgs().map((o) => o.record.id)).toEqual(['o1', 'o2']);
    await again.close();
  });
});
