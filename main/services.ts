import type { Handlers } from '../preload/contract';
import { createOrgService, type OrgServiceDeps } from './orgs/org-service';
import { inspectToken } from './tokens/inspect-token';

/** Everything the handlers need, passed in so the same handlers run in Electron and in the test harness. */
export interface ServiceDeps extends OrgServiceDeps {
  appName: string;
  version: string;
  platform: string;
}

/** The bridge handlers: one per method of the contract. `close` cancels running sign-ins. */
export function createHandlers(deps: ServiceDeps): Handlers & { close(): void } {
  const { now } = deps;
  const orgs = createOrgService(deps);
  return {
    ...orgs,
    getAppInfo: () => ({
      name: deps.appName,
      version: deps.version,
      platform: deps.platform,
      storage: deps.vault.status(),
    }),
    inspectToken: ({ token }) => inspectToken(token, now()),
  };
}
