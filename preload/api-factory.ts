import type { Api, ApiArgument, ApiMethod, Result } from './contract';

/** Sends one call across the bridge: in Electron `ipcRenderer.invoke`, in the test harness a Playwright binding. */
export type Invoke = (method: ApiMethod, arg: unknown) => Promise<Result<unknown>>;

/**
 * Builds `window.api`. Only named operations are exposed, never the transport itself (SECURITY.md item 14).
 * The object literal must list every method of {@link Api}: a missing or extra one fails to compile.
 */
export function createApi(invoke: Invoke): Api {
  const call =
    <M extends ApiMethod>(method: M) =>
    (arg?: ApiArgument<M>) =>
      invoke(method, arg) as ReturnType<Api[M]>;
  return {
    getAppInfo: call('getAppInfo'),
    inspectToken: call('inspectToken'),
    listOrgs: call('listOrgs'),
    updateOrg: call('updateOrg'),
    listAppProfiles: call('listAppProfiles'),
    saveAppProfile: call('saveAppProfile'),
    deleteAppProfile: call('deleteAppProfile'),
    registerAppProfile: call('registerAppProfile'),
    beginSignIn: call('beginSignIn'),
    awaitSignIn: call('awaitSignIn'),
    cancelSignIn: call('cancelSignIn'),
    openDeviceVerification: call('openDeviceVerification'),
    refreshOrg: call('refreshOrg'),
    revokeToken: call('revokeToken'),
    signOut: call('signOut'),
    introspectToken: call('introspectToken'),
    testToken: call('testToken'),
    openOrgInBrowser: call('openOrgInBrowser'),
    inspectOrgToken: call('inspectOrgToken'),
    verifyOrgToken: call('verifyOrgToken'),
    getUserInfo: call('getUserInfo'),
    copyText: call('copyText'),
    copyToken: call('copyToken'),
    revealToken: call('revealToken'),
    setWeakStorageOptIn: call('setWeakStorageOptIn'),
    importSfdxAuthUrl: call('importSfdxAuthUrl'),
    listCliOrgs: call('listCliOrgs'),
    importCliOrgs: call('importCliOrgs'),
    attachToken: call('attachToken'),
    getSettings: call('getSettings'),
    saveSettings: call('saveSettings'),
    exportOrgs: call('exportOrgs'),
    importOrgs: call('importOrgs'),
  } satisfies Api;
}
