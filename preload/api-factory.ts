import { API_METHODS, type Api, type ApiMethod, type Result } from './contract';

/** Sends one call across the bridge: in Electron `ipcRenderer.invoke`, in the test harness a Playwright binding. */
export type Invoke = (method: ApiMethod, arg: unknown) => Promise<Result<unknown>>;

/**
 * Builds `window.api`: one function per name in {@link API_METHODS}, which the compiler holds equal to the
 * methods of {@link Api}. Only named operations are exposed, never the transport itself, so a compromised
 * page cannot reach channels that are not bridge methods (docs/SECURITY.md, "The window and the bridge").
 */
export function createApi(invoke: Invoke): Api {
  const api: Partial<Record<ApiMethod, (arg?: unknown) => Promise<Result<unknown>>>> = {};
  for (const method of API_METHODS) api[method] = (arg) => invoke(method, arg);
  // Each function forwards its argument and answer untouched, so it has the type its method has in Api.
  return api as Api;
}
