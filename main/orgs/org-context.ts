import type { OrgSummary } from '../../preload/contract';
import type { BrowserPlaces } from '../browsers/find-browsers';
import type { Sleep } from '../oauth/device-flow';
import type { HttpOptions } from '../net/bounded-fetch';
import type { Vault } from '../vault/vault';
import { createAdoption, type Adopt } from './adoption';
import { createClients, type Clients } from './clients';
import type { Scheduler } from './health-monitor';
import type { Notifier } from './notifications';
import { Operations } from './operations';
import { summarizeOrg } from './org-summary';
import { createTokenLifecycle, type TokenLifecycle } from './token-lifecycle';

/** What the org handlers need from the edge (main/index.ts, or the tests): nothing here reads the machine. */
export interface OrgServiceDeps {
  vault: Vault;
  /**
   * Opens a URL in the system browser. `server` is the login host or instance URL the operation talks to: the
   * only origin on which the URL may be a local host or plain http (main/external-url.ts).
   */
  openExternal: (url: string, server: string) => Promise<void>;
  /** Electron's clipboard writes asynchronously: a failure must reach the user, not vanish. */
  writeClipboard: (text: string) => Promise<void>;
  /** File dialogs for export/import; null: the user cancelled. */
  dialogs: {
    /** Saves text under a name the user may change; the extension (.json, .csv) says its type. */
    saveFile(suggestedName: string, content: string): Promise<string | null>;
    openJson(): Promise<string | null>;
  };
  /** Where to look for the Salesforce CLI: its environment (PATH), home folder and the usual install folders. */
  cli: { env: NodeJS.ProcessEnv; homeDir: string; installDirs?: readonly string[] };
  /** How the device flow waits between polls (tests pass a quicker one). */
  sleep?: Sleep;
  http?: HttpOptions;
  now: () => number;
  listenerTimeoutMs?: number;
  /** Health in the background (main/orgs/health-monitor.ts): its timers; without them nothing runs by itself. */
  scheduler?: Scheduler;
  /** Desktop notifications (main/orgs/notifications.ts); without it none are shown. */
  notifier?: Notifier;
  /**
   * Where installed browsers are looked for (main/browsers/find-browsers.ts); `launchGraceMs`: how long one must
   * run before it counts as started (main/browsers/launch-browser.ts).
   */
  browsers: BrowserPlaces & { launchGraceMs?: number };
}

/** The parts the org handlers share: one token lifecycle, one adoption, one set of clients. */
export interface OrgContext {
  vault: Vault;
  clients: Clients;
  tokens: TokenLifecycle;
  adopt: Adopt;
  summarize(id: string): OrgSummary;
  /** Everything running that the user can cancel. */
  operations: Operations;
  http: HttpOptions;
  now: () => number;
}

export function createOrgContext(deps: OrgServiceDeps): OrgContext {
  const { vault, now } = deps;
  const http = deps.http ?? {};
  const clients = createClients(vault, http, now);
  const tokens = createTokenLifecycle(vault, clients, now);
  return {
    vault,
    clients,
    tokens,
    adopt: createAdoption(vault, tokens, http, now),
    summarize: (id) => summarizeOrg(vault, id, now()),
    operations: new Operations(),
    http,
    now,
  };
}
