/**
 * What electron-store 11 imports from `electron` (`app`, `ipcMain`, `shell`; see
 * node_modules/electron-store/index.js), so the production store factory runs under plain Node. The node
 * test project resolves `electron` to this module (vitest.config.ts); nothing else in the Node suites
 * imports `electron` at run time.
 */
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Listener = (...args: unknown[]) => void;

/** `ipcMain` as an EventEmitter that also remembers every channel a listener was ever added for. */
class FakeIpcMain extends EventEmitter {
  /** Channels passed to `on`, in order, including those whose listener was later removed. */
  readonly registered: string[] = [];
  override on(channel: string | symbol, listener: Listener): this {
    this.registered.push(String(channel));
    return super.on(channel, listener);
  }
}

export const ipcMain = new FakeIpcMain();

export const app = {
  /** electron-store only uses this when `cwd` is relative; the vault always passes an absolute one. */
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`fake electron: app.getPath(${JSON.stringify(name)}) is not faked`);
    return join(tmpdir(), 'sfti-fake-user-data');
  },
  getVersion: (): string => '0.0.0-test',
};

export const shell = {
  /** electron-store's `openInEditor`; resolves with '' (no error) as Electron does on success. */
  openPath: async (_path: string): Promise<string> => '',
};

export default { app, ipcMain, shell };
