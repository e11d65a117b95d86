import { describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../../main/errors';
import { Operations } from '../../main/orgs/operations';

/** A task that waits until its signal aborts, then fails the way a cancelled fetch does. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('fetch aborted'))));

describe('Operations', () => {
  it('cancel(flowId) aborts that task only, and its failure becomes oauth/cancelled with the cause kept', async () => {
    const ops = new Operations();
    const a = ops.run('a', untilAborted).catch((e: unknown) => e);
    let bSignal: AbortSignal | undefined;
    const b = ops.run('b', (signal) => ((bSignal = signal), untilAborted(signal)));
    ops.cancel('a');
    const error = await a;
    expect(isAppError(error, 'oauth/cancelled')).toBe(true);
    expect((error as AppError).cause).toEqual(new Error('fetch aborted'));
    expect(bSignal?.aborted).toBe(false);
    ops.cancel('b');
    await expect(b).rejects.toMatchObject({ code: 'oauth/cancelled' });
  });

  it('a task that fails on its own keeps its error, and a cancelled one already saying so is not wrapped', async () => {
    const ops = new Operations();
    const own = new AppError('oauth/network', 'Could not reach the login host.');
    await expect(ops.run('x', async () => Promise.reject(own))).rejects.toBe(own);
    const said = new AppError('oauth/cancelled', 'Sign-in cancelled in the browser.');
    const run = ops.run(
      'y',
      (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(said))),
    );
    ops.cancel('y');
    await expect(run).rejects.toBe(said);
  });

  it('refuses a second operation under a running id, and frees the id when the first ends', async () => {
    const ops = new Operations();
    let finish!: (v: string) => void;
    const first = ops.run('same', () => new Promise<string>((r) => (finish = r)));
    await expect(ops.run('same', async () => 'second')).rejects.toMatchObject({ code: 'ipc/bad_argument' });
    finish('first');
    expect(await first).toBe('first');
    expect(await ops.run('same', async () => 'again')).toBe('again');
  });

  it('unregistering leaves a newer registration under the same id alone; cancelling an unknown id does nothing', () => {
    const ops = new Operations();
    const cancelled: string[] = [];
    const unregister = ops.register('id', () => cancelled.push('old'));
    unregister();
    ops.register('id', () => cancelled.push('new'));
    unregister();
    ops.cancel('nobody');
    ops.cancel('id');
    expect(cancelled).toEqual(['new']);
  });

  it('cancelAll aborts every running task, including those started without a flowId', async () => {
    const ops = new Operations();
    const runs = [ops.run('one', untilAborted), ops.run(undefined, untilAborted), ops.run(undefined, untilAborted)];
    ops.cancelAll();
    const results = await Promise.allSettled(runs);
    expect(results.map((r) => r.status === 'rejected' && isAppError(r.reason, 'oauth/cancelled'))).toEqual([
      true,
      true,
      true,
    ]);
  });
});
