/** A device-flow sleep for tests: records every wait the app asked for, waits only a moment, honours cancel. */
import { AppError } from '../../main/errors';
import type { Sleep } from '../../main/oauth/device-flow';

export function recordingSleep(realMs = 5): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  const sleep: Sleep = async (ms, signal) => {
    waits.push(ms);
    await new Promise((resolve) => setTimeout(resolve, realMs));
    if (signal?.aborted) throw new AppError('oauth/cancelled', 'Cancelled.');
  };
  return { sleep, waits };
}
