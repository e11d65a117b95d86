/**
 * Real bridge handlers for tests: the same `createHandlers` main uses, over a real vault in a temp
 * folder (AES-GCM standing in for safeStorage), with the browser and clipboard recorded.
 */
import type { Handlers } from '../../preload/contract';
import type { Sleep } from '../../main/oauth/device-flow';
import type { HttpOptions } from '../../main/net/bounded-fetch';
import type { Scheduler } from '../../main/orgs/health-monitor';
import type { Notifier } from '../../main/orgs/notifications';
import { createHandlers } from '../../main/services';
import type { Cipher } from '../../main/vault/cipher';
import type { Vault } from '../../main/vault/vault';
import { openTestVault, tempDir } from './vault';

export interface TestServices {
  handlers: Handlers;
  vault: Vault;
  dataDir: string;
  /** URLs the app asked the system browser to open. */
  opened: string[];
  clipboard: string[];
  /** Called when the app opens a URL in the system browser (e.g. to log in). */
  onOpen: ((url: string) => Promise<void> | void) | null;
  /** What the next import dialog returns; what export dialogs wrote. */
  importText: string | null;
  exported: { name: string; content: string }[];
  close(): Promise<void>;
}

export interface TestHandlerOptions {
  now?: () => number;
  cipher?: Cipher;
  dataDir?: string;
  listenerTimeoutMs?: number;
  /** The environment the Salesforce CLI is looked for in (a stand-in's); never the machine's own PATH. */
  cli?: { env?: NodeJS.ProcessEnv };
  /** How the device flow waits between polls (default: really waits). */
  sleep?: Sleep;
  /** The HTTP client main uses (in Electron, `net.fetch`); default Node's fetch. */
  http?: HttpOptions;
  /** Health in the background: timers the test drives, and a notifier that records (default: neither). */
  scheduler?: Scheduler;
  notifier?: Notifier;
  /** Where browsers are looked for (stand-ins' folder); default nowhere, so no test starts a real browser. */
  browsers?: { env?: NodeJS.ProcessEnv; launchGraceMs?: number };
}

export async function testHandlers(options: TestHandlerOptions = {}): Promise<TestServices> {
  const temp = options.dataDir ? null : await tempDir();
  const dataDir = options.dataDir ?? temp!.dir;
  const vault = await openTestVault(dataDir, options.cipher, options.now);
  const services: TestServices = {
    handlers: null as unknown as Handlers,
    vault,
    dataDir,
    opened: [],
    clipboard: [],
    onOpen: null,
    importText: null,
    exported: [],
    close: async () => {
      handlers.close();
      await vault.close();
      await temp?.cleanup();
    },
  };
  const handlers = createHandlers({
    appName: 'SF Token Inspector',
    version: '0.1.0-test',
    platform: 'linux',
    vault,
    openExternal: async (url) => {
      services.opened.push(url);
      await services.onOpen?.(url);
    },
    writeClipboard: async (text) => void services.clipboard.push(text),
    dialogs: {
      saveFile: async (name, content) => (services.exported.push({ name, content }), `/tmp/${name}`),
      openJson: async () => services.importText,
    },
    now: options.now ?? Date.now,
    ...(options.listenerTimeoutMs ? { listenerTimeoutMs: options.listenerTimeoutMs } : {}),
    // No test may find a real `sf` on the machine: only a stand-in on the PATH given here.
    cli: { env: options.cli?.env ?? { PATH: '' }, homeDir: dataDir, installDirs: [] },
    browsers: {
      platform: 'linux',
      env: options.browsers?.env ?? { PATH: '' },
      homeDir: dataDir,
      ...(options.browsers?.launchGraceMs ? { launchGraceMs: options.browsers.launchGraceMs } : {}),
    },
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.http ? { http: options.http } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    ...(options.notifier ? { notifier: options.notifier } : {}),
  });
  services.handlers = handlers;
  return services;
}
