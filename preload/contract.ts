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
  /** Raised in the renderer when a call cannot cross the bridge at all. */
  'ipc/transport',
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
  /** The server answered 403 with no OAuth error body: a scope, permission or policy forbids the request. */
  'oauth/forbidden',
  'oauth/bad_response',
  'oauth/network',
  'oauth/no_refresh_token',
  'oauth/unsupported_token_type',
  'oauth/unsupported_grant',
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
  'key/invalid',
  'token/wrong_org',
  'cli/not_found',
  'cli/failed',
  'cli/bad_output',
  'cli/timeout',
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

/**
 * How an org's tokens were obtained, which decides how new ones are had: a refresh token, running the
 * client credentials grant again, signing a new JWT bearer assertion, or signing in again.
 */
export const ORG_GRANTS = [
  'authorization_code',
  'device',
  'client_credentials',
  'jwt_bearer',
  'password',
  'token_exchange',
  'pasted',
] as const;
export type OrgGrant = (typeof ORG_GRANTS)[number];
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
  grant: OrgGrant;
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
  /** True when a private key for the JWT bearer flow is stored (encrypted) with the profile. */
  hasPrivateKey: boolean;
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
  /** PEM private key for the JWT bearer flow (PKCS#8 or PKCS#1 RSA); undefined keeps it, '' removes it. */
  privateKeyPem?: string;
  callbackUrl: string;
  scopes: string[];
}

export type LoginHostChoice = 'production' | 'sandbox' | string;

/** RFC 8693 §3 token type identifiers a subject token may have. */
export const SUBJECT_TOKEN_TYPES = [
  'urn:ietf:params:oauth:token-type:access_token',
  'urn:ietf:params:oauth:token-type:id_token',
  'urn:ietf:params:oauth:token-type:jwt',
  'urn:ietf:params:oauth:token-type:refresh_token',
  'urn:ietf:params:oauth:token-type:saml2',
] as const;
export type SubjectTokenType = (typeof SUBJECT_TOKEN_TYPES)[number];

/** The ways into an org that an app profile and a login host start, with what each needs. */
export type SignInMethod =
  /** Web server flow with PKCE through the system browser and a loopback callback. */
  | { method: 'web-server' }
  /** Device flow: a code to enter at the verification URL, on this or any other device. */
  | { method: 'device' }
  /** Client credentials: the app's integration user, at a My Domain. */
  | { method: 'client-credentials' }
  /** JWT bearer: an assertion signed with the app profile's private key for `username`. */
  | {
      method: 'jwt-bearer';
      username: string;
      /** Overrides the `aud` the app picks from the login host. */ audience?: string;
    }
  /** Username-password (legacy): never stored. */
  | { method: 'password'; username: string; password: string; securityToken?: string }
  /** Token exchange (RFC 8693): a token from another identity provider for a Salesforce token. */
  | { method: 'token-exchange'; subjectToken: string; subjectTokenType: SubjectTokenType };

export type SignInMethodName = SignInMethod['method'];

export type SignInRequest = {
  profileId: string;
  /** 'production', 'sandbox', or a My Domain URL. */
  loginHost: LoginHostChoice;
  /** Our org id to re-authenticate in place (label, color and group are kept). */
  orgRef?: string;
  label?: string;
} & SignInMethod;

export interface OrgUpdate {
  id: string;
  label?: string;
  color?: string | null;
  group?: string | null;
  pinned?: boolean;
}

/** Grant types a registered client may use (RFC 7591 §2 `grant_types`). */
export const REGISTRABLE_GRANTS = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
] as const;
export type RegistrableGrant = (typeof REGISTRABLE_GRANTS)[number];

export interface RegistrationRequest {
  /** 'production', 'sandbox', or a My Domain URL. */
  loginHost: LoginHostChoice;
  initialAccessToken: string;
  name: string;
  callbackUrl: string;
  scopes: string[];
  /** Default: authorization_code and refresh_token. */
  grantTypes?: RegistrableGrant[];
}

/** A running sign-in, as the window shows it while it waits. */
export type SignInStart =
  | {
      flowId: string;
      method: 'web-server';
      authorizeUrl: string;
      redirectUri: string;
      /** Epoch milliseconds when the listener gives up. */
      expiresAt: number;
    }
  | {
      flowId: string;
      method: 'device';
      /** The code the user types at the verification URL. */
      userCode: string;
      verificationUri: string;
      /** The verification URL with the code in it, when the server sends one (RFC 8628 §3.3.1). */
      verificationUriComplete: string | null;
      /** Seconds between polls, as the server asked (RFC 8628 §3.5). */
      interval: number;
      /** Epoch milliseconds when the code expires. */
      expiresAt: number;
    }
  | {
      flowId: string;
      method: Exclude<SignInMethodName, 'web-server' | 'device'>;
      /** Epoch milliseconds when the request gives up. */
      expiresAt: number;
    };

/** An org the Salesforce CLI knows (`sf org list`), without any token. */
export interface CliOrg {
  username: string;
  alias: string | null;
  orgId: string | null;
  instanceUrl: string | null;
  kind: 'production' | 'sandbox' | 'scratch' | 'devhub' | 'other';
  connectedStatus: string | null;
  isExpired: boolean;
  expirationDate: string | null;
  isDefault: boolean;
  /** Our org id when this org and user are already in the app. */
  knownAs: string | null;
}

export interface CliOrgList {
  /** Where `sf` was found. */
  sfPath: string;
  orgs: CliOrg[];
}

export interface CliImportReport {
  imported: OrgSummary[];
  failed: { username: string; message: string }[];
}

/** A token someone got elsewhere, to use in this app: a new org, or attached to an existing one. */
export interface AttachTokenRequest {
  profileId: string;
  loginHost: LoginHostChoice;
  kind: 'access' | 'refresh';
  token: string;
  /** Attach to this org (the token must belong to the same org and user). */
  orgRef?: string;
  label?: string;
  flowId?: string;
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
  importSfdxAuthUrl(input: { url: string; label?: string; flowId?: string }): Promise<Result<OrgSummary>>;
  /** Lists the orgs of the Salesforce CLI (`sf org list`), when `sf` is installed. */
  listCliOrgs(input: { flowId?: string }): Promise<Result<CliOrgList>>;
  /** Imports the chosen CLI orgs with their aliases as labels (`sf org display --verbose`). */
  importCliOrgs(input: { usernames: string[]; flowId?: string }): Promise<Result<CliImportReport>>;
  /** Uses a token got elsewhere: a new org, or replaces one token of `orgRef`. */
  attachToken(input: AttachTokenRequest): Promise<Result<OrgSummary>>;
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
