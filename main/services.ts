import type { StorageStatus } from '../preload/contract';
import type { Handlers } from './ipc/router';
import { inspectToken } from './tokens/inspect-token';

/** Everything the handlers need, passed in so the same handlers run in Electron and in the test harness. */
export interface ServiceDeps {
  appName: string;
  version: string;
  platform: string;
  storageStatus: () => StorageStatus;
  now?: () => number;
}

/** The bridge handlers: one per method of the contract. */
export function createHandlers(deps: ServiceDeps): Handlers {
  const now = deps.now ?? Date.now;
  return {
    getAppInfo: () => ({
      name: deps.appName,
      version: deps.version,
      platform: deps.platform,
      storage: deps.storageStatus(),
    }),
    inspectToken: ({ token }) => inspectToken(token, now()),
  };
}
