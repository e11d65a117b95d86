/**
 * The one contract between main, preload and renderer.
 *
 * Every key of {@link Api} is an IPC channel; main's handlers, the preload factory and the renderer's
 * `window.api` all take their types from here, so a signature change breaks compilation wherever the
 * method is used wrongly. {@link API_METHODS} is the one run-time list of those methods, and the compiler
 * holds it equal to {@link Api}. The data types live in the `contract-*.ts` files next to this one and are
 * re-exported here: everything imports the contract from this file. Neither this file nor those import
 * anything from electron or node.
 */
import type { OrgTokenPage, OrgTokenRevocation } from './contract-admin';
import type { Result } from './contract-errors';
import type { NotificationEntry, OrgCheckResult } from './contract-fleet';
import type { TokenInspection } from './contract-inspection';
import type {
  AppInfo,
  AppProfile,
  AppProfileInput,
  FoundBrowser,
  ImportReport,
  IntrospectionView,
  OrgEvent,
  OrgListItem,
  OrgSummary,
  OpenOrgsIn,
  OrgUpdate,
  RevocableTokenKind,
  RevokeResult,
  SettingsUpdate,
  SettingsView,
  SignatureCheck,
  StorageStatus,
  TokenKind,
  TokenTestResult,
  UserInfoView,
} from './contract-orgs';
import type {
  ApiConsoleRequest,
  ApiConsoleResult,
  CopyAsResult,
  CopyFormat,
  PastedRevokeResult,
  PastedTokenTarget,
  TokenMatch,
  VerifyKey,
} from './contract-tools';
import type {
  AttachTokenRequest,
  CliImportReport,
  CliOrgList,
  RegistrationRequest,
  SignInRequest,
  SignInStart,
} from './contract-sign-in';
import type { AssetDevice, AssetTokenResult } from './contract-asset';

export * from './contract-errors';
export * from './contract-fleet';
export * from './contract-inspection';
export * from './contract-orgs';
export * from './contract-sign-in';
export * from './contract-tools';
export * from './contract-asset';
export * from './contract-admin';

/** The bridge. Each method takes at most one argument object and resolves to a {@link Result}. */
export interface Api {
  getAppInfo(): Promise<Result<AppInfo>>;
  /** Decodes a pasted token. Nothing leaves the computer. */
  inspectToken(input: { token: string }): Promise<Result<TokenInspection>>;

  /** Every org, as the list shows it: summaries only (see {@link OrgListItem}). */
  listOrgs(): Promise<Result<OrgListItem[]>>;
  /** One org's whole summary: every token with its scopes, hint and evidence. */
  getOrg(input: { id: string }): Promise<Result<OrgSummary>>;
  updateOrg(input: OrgUpdate): Promise<Result<OrgSummary>>;

  listAppProfiles(): Promise<Result<AppProfile[]>>;
  saveAppProfile(input: AppProfileInput): Promise<Result<AppProfile>>;
  deleteAppProfile(input: { id: string }): Promise<Result<null>>;
  /** Registers a new client with dynamic client registration and saves it as an app profile. */
  registerAppProfile(input: RegistrationRequest): Promise<Result<AppProfile>>;

  /**
   * Starts a sign-in with any method: the web server flow opens the system browser, the device flow gets
   * a user code, the others send their request. Re-authenticates `orgRef` when given.
   */
  beginSignIn(input: SignInRequest): Promise<Result<SignInStart>>;
  /** Resolves when the sign-in ends: the browser came back, the device was approved, the server answered. */
  awaitSignIn(input: { flowId: string }): Promise<Result<OrgSummary>>;
  /** Cancels a sign-in, a device flow's polling, or an import started with this `flowId`. */
  cancelSignIn(input: { flowId: string }): Promise<Result<null>>;
  /** Opens a device flow's verification URL (as the server sent it) in the system browser. */
  openDeviceVerification(input: { flowId: string }): Promise<Result<null>>;
  /**
   * A code by hand (`SignInStart.byHand`): the address the browser landed on, or only its code. Resolves once
   * the code was exchanged (the sign-in then ends as `awaitSignIn` says); a paste from another attempt or
   * without a code is refused and the sign-in keeps waiting for another.
   */
  submitSignInCode(input: { flowId: string; pasted: string }): Promise<Result<null>>;

  refreshOrg(input: { id: string }): Promise<Result<OrgSummary>>;
  /** Calls the revocation endpoint for one token and says what stopped working. */
  revokeToken(input: { id: string; kind: RevocableTokenKind }): Promise<Result<RevokeResult>>;
  /** Revokes the refresh token (or the access token when there is none) and forgets the org. */
  signOut(input: { id: string }): Promise<Result<RevokeResult>>;
  introspectToken(input: { id: string; kind: RevocableTokenKind }): Promise<Result<IntrospectionView>>;
  testToken(input: { id: string }): Promise<Result<TokenTestResult>>;
  /**
   * Opens the org in a browser through a single-use login link (`sf org open`), at `path` inside the org when
   * given (e.g. Setup); `copyLink` puts the link on the clipboard instead. `browser`: the system's default or
   * one of {@link Api.listBrowsers} (`sf org open --browser`); without it, the setting "Open orgs in".
   */
  openOrgInBrowser(input: {
    id: string;
    path?: string | undefined;
    copyLink?: boolean | undefined;
    browser?: OpenOrgsIn | undefined;
  }): Promise<Result<null>>;
  /** A stored token's inspection without its signature; `previous`: the token it replaced at the last renewal. */
  inspectOrgToken(input: {
    id: string;
    kind: TokenKind;
    previous?: boolean | undefined;
  }): Promise<Result<TokenInspection>>;
  /** Checks a stored JWT's signature against the issuer's JWKS (`/id/keys` at Salesforce). */
  verifyOrgToken(input: { id: string; kind: TokenKind }): Promise<Result<SignatureCheck>>;
  /** OpenID Connect userinfo for the org's user. */
  getUserInfo(input: { id: string }): Promise<Result<UserInfoView>>;
  /** Checks a pasted JWT's signature with the issuer's keys, a pasted key or a shared secret. */
  verifyPastedToken(input: {
    token: string;
    key: VerifyKey;
    flowId?: string | undefined;
  }): Promise<Result<SignatureCheck>>;
  /** Which stored orgs and app profiles a pasted token belongs to (nothing is sent anywhere). */
  matchPastedToken(input: { token: string }): Promise<Result<TokenMatch>>;
  /** Introspects a pasted token where it belongs; cancel with `cancelSignIn({ flowId })` (as the two above). */
  introspectPastedToken(input: {
    token: string;
    target: PastedTokenTarget;
    flowId?: string | undefined;
  }): Promise<Result<IntrospectionView>>;
  revokePastedToken(input: {
    token: string;
    target: PastedTokenTarget;
    flowId?: string | undefined;
  }): Promise<Result<PastedRevokeResult>>;
  /** Puts a stored access token on the clipboard as a header, a curl or HTTPie command, or variables. */
  copyTokenAs(input: { id: string; format: CopyFormat }): Promise<Result<CopyAsResult>>;
  /** Runs a REST GET or a SOQL query with the org's access token; cancel with `cancelSignIn({ flowId })`. */
  runApiRequest(input: {
    id: string;
    request: ApiConsoleRequest;
    flowId?: string | undefined;
  }): Promise<Result<ApiConsoleResult>>;
  /** Copies non-secret text (a callback URL, decoded JSON) to the clipboard. */
  copyText(input: { text: string }): Promise<Result<null>>;
  /** Copies the raw token to the clipboard from main; it never crosses the bridge. */
  copyToken(input: { id: string; kind: TokenKind }): Promise<Result<null>>;
  /** Returns the raw token: only after an explicit Reveal by the user. */
  revealToken(input: { id: string; kind: TokenKind }): Promise<Result<{ token: string }>>;

  setWeakStorageOptIn(input: { enabled: boolean }): Promise<Result<StorageStatus>>;
  /** Adopts an org from a Salesforce CLI auth URL (force://client:secret:refresh@host). */
  importSfdxAuthUrl(input: {
    url: string;
    label?: string | undefined;
    flowId?: string | undefined;
  }): Promise<Result<OrgSummary>>;
  /** Lists the orgs of the Salesforce CLI (`sf org list`), when `sf` is installed. */
  listCliOrgs(input: { flowId?: string | undefined }): Promise<Result<CliOrgList>>;
  /** Imports the chosen CLI orgs with their aliases as labels (`sf org display --verbose`). */
  importCliOrgs(input: { usernames: string[]; flowId?: string | undefined }): Promise<Result<CliImportReport>>;
  /** Uses a token got elsewhere: a new org, or replaces one token of `orgRef`. */
  attachToken(input: AttachTokenRequest): Promise<Result<OrgSummary>>;
  /** The org's history, newest first: sign-ins, refreshes, revocations, introspections, refusals. */
  getOrgHistory(input: { id: string }): Promise<Result<OrgEvent[]>>;
  /** Writes the org's history to a JSON or CSV file the user picks. null path: cancelled. */
  exportOrgHistory(input: {
    id: string;
    format: 'json' | 'csv';
  }): Promise<Result<{ path: string | null; events: number }>>;
  getSettings(): Promise<Result<SettingsView>>;
  saveSettings(input: SettingsUpdate): Promise<Result<SettingsView>>;
  /** Writes orgs and app profiles, without secrets, to a JSON file the user picks. null path: cancelled. */
  exportOrgs(): Promise<Result<{ path: string | null; orgs: number; profiles: number }>>;
  /** Reads a JSON file the user picks; null: cancelled. */
  importOrgs(): Promise<Result<ImportReport | null>>;

  /**
   * Asks the org's servers about each stored token now (introspection, else an API call) and records what
   * they said; cancel with `cancelSignIn({ flowId })`.
   */
  checkOrg(input: { id: string; flowId?: string | undefined }): Promise<Result<OrgCheckResult>>;
  // Asset tokens (Salesforce's asset token flow, preload/contract-asset.ts).
  /**
   * Exchanges the org's access token and an actor token describing `device` for an asset token; cancel with
   * `cancelSignIn({ flowId })`. The asset token is not stored: main keeps the last one per org for Copy.
   */
  requestAssetToken(input: {
    id: string;
    device: AssetDevice;
    flowId?: string | undefined;
  }): Promise<Result<AssetTokenResult>>;
  /** Copies the org's last asset token to the clipboard from main; it never crosses the bridge. */
  copyAssetToken(input: { id: string }): Promise<Result<null>>;

  // Health in the background (main/orgs/health-monitor.ts): the desktop notifications it showed.
  /** The desktop notifications shown so far, newest first (the last 200 are kept). */
  listNotifications(): Promise<Result<NotificationEntry[]>>;
  /** Forgets them; a cause already said is still not said again. */
  clearNotifications(): Promise<Result<null>>;
  // Org-wide OAuth tokens, for admins (main/orgs/org-tokens.ts); cancel each with `cancelSignIn({ flowId })`.
  /** Lists the org's OAuth tokens (`OauthToken`) from the start; `more`: the next page of the last listing. */
  listOrgTokens(input: {
    id: string;
    more?: boolean | undefined;
    flowId?: string | undefined;
  }): Promise<Result<OrgTokenPage>>;
  /** Revokes listed tokens by their DeleteToken, one after another, with one result each. */
  revokeOrgTokens(input: {
    id: string;
    tokenIds: string[];
    flowId?: string | undefined;
  }): Promise<Result<OrgTokenRevocation[]>>;
  /** Writes the listed tokens named, in that order, to a CSV file the user picks. null path: cancelled. */
  exportOrgTokens(input: { id: string; tokenIds: string[] }): Promise<Result<{ path: string | null; tokens: number }>>;
  // Browsers (main/browsers/): the installed ones, and opening an org in one of them.
  /** The browsers found on this computer (Chrome, Chromium, Edge, Firefox, Brave, Safari), in that order. */
  listBrowsers(): Promise<Result<FoundBrowser[]>>;
}

export type ApiMethod = keyof Api;

/**
 * `L` when it names exactly the methods of {@link Api}; otherwise a type that says which names are missing
 * or which are not methods, so that a list checked against it does not compile.
 */
export type ExactMethodList<L extends readonly string[]> = [Exclude<L[number], ApiMethod>] extends [never]
  ? [Exclude<ApiMethod, L[number]>] extends [never]
    ? L
    : { missingMethods: Exclude<ApiMethod, L[number]> }
  : { notApiMethods: Exclude<L[number], ApiMethod> };

/** Returns `list` as it is; compiles only when the list is exactly the methods of {@link Api}. */
function exactMethodList<const L extends readonly string[]>(list: L & ExactMethodList<L>): L {
  return list;
}

/**
 * Every bridge method, once: the preload factory builds `window.api` from it, and main's router and IPC
 * registration serve exactly these channels. Leaving a method of {@link Api} out, or naming one it does not
 * have, fails to compile.
 */
export const API_METHODS = exactMethodList([
  'getAppInfo',
  'inspectToken',
  'listOrgs',
  'getOrg',
  'updateOrg',
  'listAppProfiles',
  'saveAppProfile',
  'deleteAppProfile',
  'registerAppProfile',
  'beginSignIn',
  'awaitSignIn',
  'cancelSignIn',
  'openDeviceVerification',
  'submitSignInCode',
  'refreshOrg',
  'revokeToken',
  'signOut',
  'introspectToken',
  'testToken',
  'openOrgInBrowser',
  'inspectOrgToken',
  'verifyOrgToken',
  'getUserInfo',
  'verifyPastedToken',
  'matchPastedToken',
  'introspectPastedToken',
  'revokePastedToken',
  'copyTokenAs',
  'runApiRequest',
  'copyText',
  'copyToken',
  'revealToken',
  'setWeakStorageOptIn',
  'importSfdxAuthUrl',
  'listCliOrgs',
  'importCliOrgs',
  'attachToken',
  'getOrgHistory',
  'exportOrgHistory',
  'getSettings',
  'saveSettings',
  'exportOrgs',
  'importOrgs',
  'checkOrg',
  // Asset tokens.
  'requestAssetToken',
  'copyAssetToken',
  // Health in the background.
  'listNotifications',
  'clearNotifications',
  // Org-wide OAuth tokens (admins).
  'listOrgTokens',
  'revokeOrgTokens',
  'exportOrgTokens',
  // Browsers.
  'listBrowsers',
] as const);

/** The argument type of a bridge method (`undefined` for methods without one). */
export type ApiArgument<M extends ApiMethod> = Parameters<Api[M]> extends [infer A] ? A : undefined;

/** The success value of a bridge method. */
export type ApiValue<M extends ApiMethod> = Awaited<ReturnType<Api[M]>> extends Result<infer V> ? V : never;

/** What main implements: one function per bridge method, throwing instead of returning an error `Result`. */
export type Handlers = { [M in ApiMethod]: (arg: ApiArgument<M>) => Promise<ApiValue<M>> | ApiValue<M> };

/** IPC channel of a bridge method: `api:<method>`. */
export const CHANNEL_PREFIX = 'api:';
