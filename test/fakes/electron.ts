/**
 * A small fake of the parts of the `electron` module the lifecycle and IPC glue use. It records what the
 * code under test did so tests can assert on window options, handlers, navigation and permissions.
 */
import { EventEmitter } from 'node:events';
import type { ElectronModule } from '../../main/app';

type Listener = (...args: unknown[]) => unknown;

export class FakeFrame {
  constructor(public url: string) {}
}

export class FakeWebContents extends EventEmitter {
  mainFrame = new FakeFrame('about:blank');
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  /** Emits a cancellable event the way Electron does and says whether it was prevented. */
  fire(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  shown = false;
  focused = 0;
  constructor(public options: Electron.BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    this.emit('ready-to-show');
  }
  show(): void {
    this.shown = true;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {
    this.focused++;
  }
}

export interface FakeElectron extends ElectronModule {
  handlers: Map<string, Listener>;
  opened: string[];
  quitCalls: number;
  appEvents: EventEmitter;
  headersHook: ((details: unknown, cb: (r: unknown) => void) => void) | null;
  permissionRequest: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null;
  permissionCheck: (() => boolean) | null;
  /** Schemes registered as privileged, and the `protocol.handle` handlers, by scheme. */
  privilegedSchemes: Electron.CustomScheme[];
  protocolHandlers: Map<string, (request: Request) => Response | Promise<Response>>;
  /** What the app had done when it registered its schemes (they must come before `ready`). */
  readyBeforeSchemes: boolean;
}

export function createFakeElectron(options: { gotLock?: boolean } = {}): FakeElectron {
  FakeBrowserWindow.instances = [];
  const appEvents = new EventEmitter();
  const fake = {
    handlers: new Map<string, Listener>(),
    opened: [] as string[],
    quitCalls: 0,
    appEvents,
    headersHook: null,
    permissionRequest: null,
    permissionCheck: null,
    privilegedSchemes: [],
    protocolHandlers: new Map(),
    readyBeforeSchemes: false,
  } as Omit<FakeElectron, keyof ElectronModule>;
  let ready = false;
  const electron = {
    app: {
      requestSingleInstanceLock: () => options.gotLock ?? true,
      quit: () => void fake.quitCalls++,
      on: (name: string, fn: Listener) => appEvents.on(name, fn),
      whenReady: () => {
        ready = true;
        return Promise.resolve();
      },
    },
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel: string, fn: Listener) => {
        if (fake.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        fake.handlers.set(channel, fn);
      },
      removeHandler: (channel: string) => void fake.handlers.delete(channel),
    },
    shell: {
      openExternal: async (url: string) => void fake.opened.push(url),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: Electron.CustomScheme[]) => {
        fake.readyBeforeSchemes = ready;
        fake.privilegedSchemes.push(...schemes);
      },
      handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => {
        if (fake.protocolHandlers.has(scheme)) throw new Error(`second handler for ${scheme}`);
        fake.protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: FakeElectron['headersHook']) => (fake.headersHook = fn) },
        setPermissionRequestHandler: (fn: FakeElectron['permissionRequest']) => (fake.permissionRequest = fn),
        setPermissionCheckHandler: (fn: FakeElectron['permissionCheck']) => (fake.permissionCheck = fn),
      },
    },
  };
  return Object.assign(fake, electron) as unknown as FakeElectron;
}
