/**
 * Real bridge handlers for tests: the same `createHandlers` main uses, with a test clock.
 * Grows with the app (vault in a temp dir, Salesforce double) as features land.
 */
import type { Handlers } from '../../main/ipc/router';
import { createHandlers } from '../../main/services';

export interface TestServices {
  handlers: Handlers;
  close(): Promise<void>;
}

export async function testHandlers(options: { now?: () => number } = {}): Promise<TestServices> {
  const handlers = createHandlers({
    appName: 'SF Token Inspector',
    version: '0.1.0-test',
    platform: 'linux',
    storageStatus: () => ({ backend: 'test-aes-gcm', persistent: true, weakStorageOptIn: false, banner: null, recovery: null }),
    ...(options.now ? { now: options.now } : {}),
  });
  return { handlers, close: async () => {} };
}
