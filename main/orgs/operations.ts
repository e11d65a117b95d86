import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../errors';

/**
 * Everything that waits and can be cancelled (sign-ins, device polling, CLI imports), by id. The window
 * names an operation with a `flowId` and `cancelSignIn({ flowId })` aborts it, whichever kind it is.
 */
export class Operations {
  readonly #running = new Map<string, () => void>();

  /** Registers a cancel function under `flowId`; returns the function that unregisters it. */
  register(flowId: string, cancel: () => void): () => void {
    if (this.#running.has(flowId)) {
      throw new AppError('ipc/bad_argument', 'An operation with this id is already running. Wait for it or cancel it.');
    }
    this.#running.set(flowId, cancel);
    return () => {
      if (this.#running.get(flowId) === cancel) this.#running.delete(flowId);
    };
  }

  /** Runs `task` with a signal that `cancel(flowId)` aborts; without a `flowId` it cannot be cancelled. */
  async run<T>(flowId: string | undefined, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const unregister = this.register(flowId ?? randomUUID(), () => controller.abort());
    try {
      return await task(controller.signal);
    } catch (e) {
      // Whatever a cancelled task threw on its way out (a network error, a killed process), it was cancelled.
      if (controller.signal.aborted && !isAppError(e, 'oauth/cancelled')) {
        throw new AppError('oauth/cancelled', 'Cancelled.', { cause: e });
      }
      throw e;
    } finally {
      unregister();
    }
  }

  cancel(flowId: string): void {
    this.#running.get(flowId)?.();
  }

  cancelAll(): void {
    for (const cancel of [...this.#running.values()]) cancel();
  }
}
