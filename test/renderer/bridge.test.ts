/** The renderer's one wrapper around window.api: plain snapshots across the bridge, typed errors, no hangs. */
import { describe, expect, it } from 'vitest';
import type { Api } from '../../preload/contract';
import { bridge } from '../../renderer/lib/bridge.svelte';

/** A window.api whose calls structured-clone their argument, as contextBridge and ipcRenderer.invoke do. */
function electronLikeApi(seen: unknown[]): Api {
  const send = async (arg: unknown) => {
    seen.push(structuredClone(arg));
    return { ok: true, value: null };
  };
  return { registerAppProfile: send, listCliOrgs: send } as unknown as Api;
}

describe('bridge', () => {
  it('sends a plain copy of what it is given, which Electron’s structured clone would refuse as a proxy', async () => {
    // Under Node Svelte compiles state for the server, without proxies; a bare Proxy stands in for one here,
    // and the browser suite (test/e2e) sends real $state proxies through the same structured clone.
    const grants = new Proxy(['authorization_code', 'refresh_token'], {});
    const seen: unknown[] = [];
    const raw = electronLikeApi(seen);
    const request = { grantTypes: grants } as unknown as Parameters<Api['registerAppProfile']>[0];
    await expect(raw.registerAppProfile(request)).rejects.toThrow(/could not be cloned/);
    await expect(bridge(raw).registerAppProfile(request)).resolves.toEqual({ ok: true, value: null });
    expect(seen).toEqual([{ grantTypes: ['authorization_code', 'refresh_token'] }]);
  });

  it('turns a call that cannot cross into a typed error instead of a promise that never settles', async () => {
    const raw = {
      listCliOrgs: () => {
        throw new Error('An object could not be cloned.');
      },
    } as unknown as Api;
    const r = await bridge(raw).listCliOrgs({ flowId: 'f' });
    expect(r).toEqual({
      ok: false,
      error: { code: 'ipc/transport', message: expect.stringMatching(/could not be cloned.*Try again/) },
    });
  });

  it('wraps every method window.api has, and no other', () => {
    const raw = electronLikeApi([]);
    expect(Object.keys(bridge(raw)).sort()).toEqual(['listCliOrgs', 'registerAppProfile']);
  });
});
