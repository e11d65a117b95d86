import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import { registerIpc } from '../../main/ipc/register';
import { createRouter } from '../../main/ipc/router';
import { argumentSchemas } from '../../main/ipc/schemas';
import { API_METHODS, CHANNEL_PREFIX } from '../../preload/contract';
import { testHandlers, type TestServices } from '../support/test-services';

type Listener = (event: IpcMainInvokeEvent, arg: unknown) => unknown;

/** The two calls of Electron's ipcMain that registerIpc makes, recorded. */
function recordingIpcMain() {
  const handlers = new Map<string, Listener>();
  return {
    handlers,
    handle: (channel: string, listener: Listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

const ORIGIN = 'app://renderer';
const TOKEN = '00D000000000062!AQ0123456789';

describe('registerIpc', () => {
  let services: TestServices;
  afterEach(() => services.close());

  async function setUp() {
    services = await testHandlers();
    const ipc = recordingIpcMain();
    const own = { mainFrame: { url: `${ORIGIN}/index.html` } };
    let current: typeof own | null = own;
    const unregister = registerIpc(
      ipc,
      createRouter(services.handlers, argumentSchemas),
      () => current as unknown as WebContents | null,
      ORIGIN,
    );
    const call = (method: string, event: { sender: unknown; senderFrame: unknown }, arg: unknown) =>
      ipc.handlers.get(CHANNEL_PREFIX + method)!(event as IpcMainInvokeEvent, arg);
    return { ipc, own, unregister, call, closeWindow: () => (current = null) };
  }

  it('registers one channel per bridge method, and the function it returns removes them all', async () => {
    const { ipc, unregister } = await setUp();
    expect([...ipc.handlers.keys()].sort()).toEqual(API_METHODS.map((m) => CHANNEL_PREFIX + m).sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('dispatches a call from our main frame to the handler, with its argument', async () => {
    const { own, call } = await setUp();
    const answer = (await call('inspectToken', { sender: own, senderFrame: own.mainFrame }, { token: TOKEN })) as {
      ok: boolean;
    };
    expect(answer.ok).toBe(true);
  });

  it('refuses a call once the window is gone, from a destroyed frame, or from another page', async () => {
    const { own, call, closeWindow } = await setUp();
    const forbidden = { ok: false, error: { code: 'ipc/forbidden_sender' } };
    expect(await call('inspectToken', { sender: own, senderFrame: null }, { token: TOKEN })).toMatchObject(forbidden);
    const lookalike = { url: `${ORIGIN}/index.html` };
    expect(await call('inspectToken', { sender: own, senderFrame: lookalike }, { token: TOKEN })).toMatchObject(
      forbidden,
    );
    closeWindow();
    expect(await call('inspectToken', { sender: own, senderFrame: own.mainFrame }, { token: TOKEN })).toMatchObject(
      forbidden,
    );
  });
});
