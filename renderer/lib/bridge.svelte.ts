import type { Api, ApiMethod, Result } from '../../preload/contract';

/**
 * Wraps `window.api` for the renderer (see `api.ts`). Electron's `contextBridge` and IPC structured-clone every
 * argument, and a Svelte `$state` proxy cannot be cloned, so every call sends a plain snapshot. A call that
 * still cannot cross (or a bridge that fails) resolves to a typed error instead of throwing, so no screen
 * waits forever on a promise that never settles.
 */
export function bridge(raw: Api): Api {
  const wrapped: Partial<Record<ApiMethod, (arg?: unknown) => Promise<Result<unknown>>>> = {};
  for (const method of Object.keys(raw) as ApiMethod[]) {
    const send = raw[method] as (arg?: unknown) => Promise<Result<unknown>>;
    wrapped[method] = async (arg) => {
      try {
        return await send(arg === undefined ? undefined : $state.snapshot(arg));
      } catch (e) {
        return {
          ok: false,
          error: {
            code: 'ipc/transport',
            message: `The window could not reach the app (${e instanceof Error ? e.message : String(e)}). Try again; if it keeps failing, restart the app.`,
          },
        };
      }
    };
  }
  return wrapped as Api;
}
