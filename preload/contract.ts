/**
 * The one contract between main, preload and renderer.
 *
 * Every key of {@link Api} is an IPC channel; main's handlers, the preload factory and the renderer's
 * `window.api` all take their types from here, so a signature change breaks compilation wherever the
 * method is used wrongly. This file imports nothing from electron or node.
 */

/** Every error that can cross the bridge. Main throws `AppError`s with one of these codes. */
export const ERROR_CODES = [
  'ipc/bad_argument',
  'ipc/forbidden_sender',
  'ipc/unknown_method',
  'internal',
  'token/empty',
  'token/too_large',
  'token/bad_segment_count',
  'token/bad_base64url',
  'token/bad_json',
  'token/not_an_object',
  'token/unsupported',
  'oauth/invalid_login_host',
  'oauth/invalid_redirect_uri',
  'oauth/port_in_use',
  'oauth/port_forbidden',
  'oauth/state_mismatch',
  'oauth/iss_mismatch',
  'oauth/access_denied',
  'oauth/authorization_error',
  'oauth/timeout',
  'oauth/cancelled',
  'oauth/flow_not_found',
  'oauth/invalid_grant',
  'oauth/invalid_client',
  'oauth/app_not_approved',
  'oauth/server_error',
  'oauth/bad_response',
  'oauth/network',
  'oauth/no_refresh_token',
  'oauth/unsupported_token_type',
  'sf/session_expired',
  'sf/forbidden',
  'sf/api_error',
  'vault/unavailable',
  'vault/decrypt_failed',
  'vault/corrupt',
  'vault/io',
  'org/not_found',
  'org/needs_sign_in',
  'profile/not_found',
  'profile/in_use',
  'import/invalid',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---------------------------------------------------------------------------------------------
// Token inspection
// ---------------------------------------------------------------------------------------------

export type ClaimKind = 'time' | 'scopes' | 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** One row of the claim table. `value` is the claim as JSON text; times carry epoch seconds. */
export interface ClaimRow {
  name: string;
  /** What the claim means (registered, OIDC or Salesforce), or null when unknown. */
  meaning: string | null;
  /** Where the meaning comes from: 'RFC 7519', 'OIDC Core', 'Salesforce', ... */
  source: string | null;
  kind: ClaimKind;
  /** The value as pretty JSON text. */
  display: string;
  /** For time claims: epoch seconds. */
  epochSeconds?: number;
  /** For scope claims: the individual scopes. */
  scopes?: string[];
  /** A problem with this claim (e.g. a numeric claim sent as a string). */
  warning?: string;
}

export type Severity = 'info' | 'warning' | 'danger';

export interface Finding {
  severity: Severity;
  message: string;
}

export interface JwsInspection {
  kind: 'jws';
  /** The three raw base64url parts, for the colored view. */
  parts: { header: string; payload: string; signature: string };
  header: ClaimRow[];
  headerJson: string;
  payload: ClaimRow[];
  payloadJson: string;
  alg: string | null;
  /** Epoch seconds or null. */
  expiresAt: number | null;
  issuedAt: number | null;
  notBefore: number | null;
  /** e.g. 'Salesforce JWT access token', 'OpenID Connect ID token', 'JWT'. */
  label: string;
  findings: Finding[];
  /** Byte length of the signature. */
  signatureBytes: number;
}

export interface JweInspection {
  kind: 'jwe';
  parts: { header: string; encryptedKey: string; iv: string; ciphertext: string; tag: string };
  header: ClaimRow[];
  headerJson: string;
  alg: string | null;
  enc: string | null;
  label: string;
  findings: Finding[];
}

export interface SalesforceOpaqueInspection {
  kind: 'salesforce-opaque';
  orgId15: string;
  orgId18: string;
  /** The part after `!`, shown only as its length. */
  secretLength: number;
  label: string;
  findings: Finding[];
}

export type TokenInspection = JwsInspection | JweInspection | SalesforceOpaqueInspection;

// ---------------------------------------------------------------------------------------------
// App, storage
// ---------------------------------------------------------------------------------------------

export type StorageBackend = 'os-keychain' | 'basic-text' | 'test-aes-gcm' | 'unavailable';

export interface StorageStatus {
  backend: StorageBackend;
  /** True when secrets are written to disk (encrypted). False: they live for this session only. */
  persistent: boolean;
  weakStorageOptIn: boolean;
  /** A plain sentence for the banner, or null when nothing needs saying. */
  banner: string | null;
  /** What the store recovered from on start (a corrupt file moved aside, ...), or null. */
  recovery: string | null;
}

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  storage: StorageStatus;
}

// ---------------------------------------------------------------------------------------------
// Orgs, app profiles, tokens
// ---------------------------------------------------------------------------------------------

export type OrgType = 'production' | 'sandbox' | 'developer' | 'scratch' | 'unknown';
export type OrgStatus = 'connected' | 'expiring' | 'expired' | 'needs-sign-in' | 'revoked';
export type TokenKind = 'access' | 'refresh' | 'id';
export type TokenFormat = 'opaque' | 'jwt';
export type TokenStatus = 'active' | 'expired' | 'revoked' | 'unknown';

export interface TokenSummary {
  kind: TokenKind;
  format: TokenFormat;
  scopes: string[];
  /** Epoch milliseconds. */
  issuedAt: number | null;
  /** Epoch milliseconds, null when unknown (opaque token not yet introspected, refresh tokens). */
  expiresAt: number | null;
  status: TokenStatus;
  /** Epoch milliseconds of the last introspection or API test. */
  lastCheckedAt: number | null;
  /** A short, non-secret hint such as the last 4 characters. */
  hint: string;
}

export interface OrgSummary {
  id: string;
  label: string;
  orgId: string | null;
  orgId18: string | null;
  userId: string | null;
  username: string | null;
  displayName: string | null;
  instanceUrl: string | null;
  myDomain: string | null;
  loginHost: string;
  orgType: OrgType;
  status: OrgStatus;
  color: string | null;
  group: string | null;
  pinned: boolean;
  profileId: string | null;
  tokens: TokenSummary[];
  /** Epoch milliseconds. */
  addedAt: number;
  updatedAt: number;
}

export interface AppProfile {
  id: string;
  name: string;
  kind: 'connected-app' | 'external-client-app' | 'oidc';
  consumerKey: string;
  hasSecret: boolean;
  /** Callback URL registered in Salesforce, e.g. http://localhost:1717/OauthRedirect. */
  callbackUrl: string;
  scopes: string[];
}

export interface AppProfileInput {
  id?: string;
  name: string;
  kind: AppProfile['kind'];
  consumerKey: string;
  /** undefined keeps the current secret, '' removes it. */
  consumerSecret?: string;
  callbackUrl: string;
  scopes: string[];
}

export type LoginHostChoice = 'production' | 'sandbox' | string;

export interface SignInRequest {
  profileId: string;
  /** 'production', 'sandbox', or a My Domain URL. */
  loginHost: LoginHostChoice;
  /** Our org id to re-authenticate in place (label, color and group are kept). */
  orgRef?: string;
  label?: string;
}

export interface OrgUpdate {
  id: string;
  label?: string;
  color?: string | null;
  group?: string | null;
  pinned?: boolean;
}

export interface RegistrationRequest {
  /** 'production', 'sandbox', or a My Domain URL. */
  loginHost: LoginHostChoice;
  initialAccessToken: string;
  name: string;
  callbackUrl: string;
  scopes: string[];
}

export interface SignInStart {
  flowId: string;
  authorizeUrl: string;
  redirectUri: string;
  /** Epoch milliseconds when the listener gives up. */
  expiresAt: number;
}

export interface RevokeResult {
  revoked: TokenKind;
  /** What stopped working with it, in words. */
  summary: string;
}

export interface IntrospectionView {
  active: boolean;
  scope: string[];
  clientId: string | null;
  username: string | null;
  sub: string | null;
  tokenType: string | null;
  exp: number | null;
  iat: number | null;
  nbf: number | null;
  checkedAt: number;
}

export interface TokenTestResult {
  ok: boolean;
  httpStatus: number;
  apiVersions: string[];
  limits: { name: string; max: number; remaining: number }[];
  refreshed: boolean;
  message: string;
}

/** The result of checking a JWT's signature against the issuer's published keys (JWKS). */
export interface SignatureCheck {
  result: 'valid' | 'bad-signature' | 'unknown-key' | 'expired' | 'not-a-jwt' | 'error';
  /** In plain words: what was checked, against which keys, and what it means. */
  message: string;
  jwksUrl: string | null;
  kid: string | null;
}

/** OpenID Connect userinfo, as claims for a table. */
export interface UserInfoView {
  claims: { name: string; value: string }[];
}

export type Theme = 'system' | 'light' | 'dark';

export interface SettingsView {
  theme: Theme;
  /** The callback URL new app profiles start with. */
  defaultCallbackUrl: string;
  /** The scopes new app profiles start with. */
  defaultScopes: string[];
  storage: StorageStatus;
}

export interface SettingsUpdate {
  theme?: Theme;
  defaultCallbackUrl?: string;
  defaultScopes?: string[];
}

export interface ImportReport {
  imported: number;
  skipped: { index: number; reason: string }[];
}

// ---------------------------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------------------------

/** The bridge. Each method takes at most one argument object and resolves to a {@link Result}. */
export interface Api {
  getAppInfo(): Promise<Result<AppInfo>>;
  /** Decodes a pasted token. Nothing leaves the computer. */
  inspectToken(input: { token: string }): Promise<Result<TokenInspection>>;

  listOrgs(): Promise<Result<OrgSummary[]>>;
  updateOrg(input: OrgUpdate): Promise<Result<OrgSummary>>;

  listAppProfiles(): Promise<Result<AppProfile[]>>;
  saveAppProfile(input: AppProfileInput): Promise<Result<AppProfile>>;
  deleteAppProfile(input: { id: string }): Promise<Result<null>>;
  /** Registers a new client with dynamic client registration and saves it as an app profile. */
  registerAppProfile(input: RegistrationRequest): Promise<Result<AppProfile>>;

  /** Starts the loopback web server flow and opens the system browser. Re-authenticates `orgRef` when given. */
  beginSignIn(input: SignInRequest): Promise<Result<SignInStart>>;
  /** Resolves when the browser comes back (or the flow fails, times out or is cancelled). */
  awaitSignIn(input: { flowId: string }): Promise<Result<OrgSummary>>;
  cancelSignIn(input: { flowId: string }): Promise<Result<null>>;

  refreshOrg(input: { id: string }): Promise<Result<OrgSummary>>;
  /** Calls the revocation endpoint for one token and says what stopped working. */
  revokeToken(input: { id: string; kind: 'access' | 'refresh' }): Promise<Result<RevokeResult>>;
  /** Revokes the refresh token (or the access token when there is none) and forgets the org. */
  signOut(input: { id: string }): Promise<Result<RevokeResult>>;
  introspectToken(input: { id: string; kind: 'access' | 'refresh' }): Promise<Result<IntrospectionView>>;
  testToken(input: { id: string }): Promise<Result<TokenTestResult>>;
  openOrgInBrowser(input: { id: string }): Promise<Result<null>>;
  inspectOrgToken(input: { id: string; kind: TokenKind }): Promise<Result<TokenInspection>>;
  /** Checks a stored JWT's signature against the issuer's JWKS (`/id/keys` at Salesforce). */
  verifyOrgToken(input: { id: string; kind: TokenKind }): Promise<Result<SignatureCheck>>;
  /** OpenID Connect userinfo for the org's user. */
  getUserInfo(input: { id: string }): Promise<Result<UserInfoView>>;
  /** Copies non-secret text (a callback URL) to the clipboard. */
  copyText(input: { text: string }): Promise<Result<null>>;
  /** Copies the raw token to the clipboard from main; it never crosses the bridge. */
  copyToken(input: { id: string; kind: TokenKind }): Promise<Result<null>>;
  /** Returns the raw token: only after an explicit Reveal by the user. */
  revealToken(input: { id: string; kind: TokenKind }): Promise<Result<{ token: string }>>;

  setWeakStorageOptIn(input: { enabled: boolean }): Promise<Result<StorageStatus>>;
  /** Adopts an org from a Salesforce CLI auth URL (force://client:secret:refresh@host). */
  importSfdxAuthUrl(input: { url: string; label?: string }): Promise<Result<OrgSummary>>;
  /** Server-to-server: the client credentials flow at a My Domain, as the app's integration user. */
  signInWithClientCredentials(input: {
    profileId: string;
    loginHost: LoginHostChoice;
    label?: string;
  }): Promise<Result<OrgSummary>>;
  getSettings(): Promise<Result<SettingsView>>;
  saveSettings(input: SettingsUpdate): Promise<Result<SettingsView>>;
  /** Writes orgs and app profiles, without secrets, to a JSON file the user picks. null path: cancelled. */
  exportOrgs(): Promise<Result<{ path: string | null; orgs: number; profiles: number }>>;
  /** Reads a JSON file the user picks; null: cancelled. */
  importOrgs(): Promise<Result<ImportReport | null>>;
}

export type ApiMethod = keyof Api;

/** The argument type of a bridge method (`undefined` for methods without one). */
export type ApiArgument<M extends ApiMethod> = Parameters<Api[M]> extends [infer A] ? A : undefined;

/** The success value of a bridge method. */
export type ApiValue<M extends ApiMethod> = Awaited<ReturnType<Api[M]>> extends Result<infer V> ? V : never;

/** IPC channel of a bridge method: `api:<method>`. */
export const CHANNEL_PREFIX = 'api:';
