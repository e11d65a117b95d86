import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNEL_PREFIX, type Result } from '../../preload/contract';
import type { Router } from './router';
import { isTrustedSender } from './sender';

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'ipc/forbidden_sender', message: 'This call did not come from the app window and was refused.' },
};

/**
 * Registers one `ipcMain.handle` per bridge method the router serves (`API_METHODS` of the contract). Calls
 * from any frame other than our window's main frame on our origin are refused with a typed error, so a
 * sub-frame or another page cannot use the bridge (docs/SECURITY.md, "The window and the bridge").
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  router: Router,
  getOwnWebContents: () => WebContents | null,
  allowedOrigin: string,
): () => void {
  for (const method of router.methods) {
    ipcMain.handle(CHANNEL_PREFIX + method, (event: IpcMainInvokeEvent, arg: unknown) => {
      const own = getOwnWebContents();
      const frame = event.senderFrame;
      const trusted = isTrustedSender(
        { url: frame?.url ?? null, isOurMainFrame: own !== null && event.sender === own && frame === own.mainFrame },
        allowedOrigin,
      );
      return trusted ? router.dispatch(method, arg) : FORBIDDEN;
    });
  }
  return () => router.methods.forEach((m) => ipcMain.removeHandler(CHANNEL_PREFIX + m));
}
