/**
 * Orgs, app profiles, tokens, storage and settings as the window sees them (part of the contract, see
 * `preload/contract.ts`). A closed set of values that is checked at run time (by an argument schema or a
 * stored record's schema) is an `as const` array here, and its type is derived from it, so no schema
 * restates the values.
 */
import type { HealthCheckMinutes } from './contract-fleet';

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

export const ORG_TYPES = ['production', 'sandbox', 'developer', 'scratch', 'unknown'] as const;
export type OrgType = (typeof ORG_TYPES)[number];

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
  'user_agent',
] as const;
export type OrgGrant = (typeof ORG_GRANTS)[number];
/** The org's badge; `access-revoked`: the access token was revoked, and Refresh can get a new one. */
export type OrgStatus = 'connected' | 'expiring' | 'expired' | 'access-revoked' | 'needs-sign-in' | 'revoked';
export const TOKEN_KINDS = ['access', 'refresh', 'id'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
/** The kinds of token a server can revoke and introspect, and that can be attached to an org (not ID tokens). */
export const REVOCABLE_TOKEN_KINDS = ['access', 'refresh'] as const satisfies readonly TokenKind[];
export type RevocableTokenKind = (typeof REVOCABLE_TOKEN_KINDS)[number];
export const TOKEN_FORMATS = ['opaque', 'jwt'] as const;
export type TokenFormat = (typeof TOKEN_FORMATS)[number];
export const TOKEN_STATUSES = ['active', 'expired', 'revoked', 'unknown'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

/** Where a token's expiry comes from; null: unknown (an opaque token no server has described). */
export const EXPIRY_SOURCES = ['expires_in', 'jwt_exp', 'introspection'] as const;
export type ExpirySource = (typeof EXPIRY_SOURCES)[number];

/**
 * What a server last said about a token, and what this app did with it, each with its time: the evidence the
 * token's status comes from (preload/token-status.ts). Nothing here is a guess.
 */
export interface TokenEvidence {
  expirySource: ExpirySource | null;
  /** The last introspection answer (RFC 7662). */
  introspected: { at: number; active: boolean } | null;
  /**
   * Revoked through this app: the revocation endpoint accepted it (`by: 'self'`), or its refresh token's
   * revocation took it along (`by: 'refresh_token'`, Salesforce's documented cascade).
   */
  revoked: { at: number; by: 'self' | 'refresh_token' } | null;
  /**
   * A server refused it: the token endpoint refused this refresh token, or an API refused this access token.
   * `code` is the OAuth error code when the server sent one; `httpStatus` the status it answered with.
   */
  refused: { at: number; by: 'token_endpoint' | 'api'; code: string | null; httpStatus: number | null } | null;
}

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
  evidence: TokenEvidence;
  /**
   * Epoch milliseconds when the JWT this token replaced at its last renewal was replaced; null when no earlier
   * token is kept (`inspectOrgToken({ previous: true })` inspects it).
   */
  previousReplacedAt: number | null;
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
  /** Renew the access token a few minutes before its known expiry, in the background (off by default). */
  refreshAhead: boolean;
  /** The grant gets new tokens by running again (client credentials, JWT bearer), without a refresh token. */
  renewsByGrant: boolean;
  tokens: TokenSummary[];
  /** Epoch milliseconds. */
  addedAt: number;
  updatedAt: number;
}

/** What a token adds to its org's line in the list: just what the org's status on the clock comes from. */
export type TokenBrief = Pick<TokenSummary, 'kind' | 'status' | 'expiresAt' | 'lastCheckedAt' | 'evidence'>;

/**
 * An org as the list shows it (`listOrgs`): its summary without the token details; `tokens` holds only its
 * access, refresh and ID token, each as a {@link TokenBrief}. The whole summary of one org: `getOrg`.
 */
export interface OrgListItem extends Omit<OrgSummary, 'tokens'> {
  tokens: TokenBrief[];
}

export const APP_PROFILE_KINDS = ['connected-app', 'external-client-app', 'oidc'] as const;
export type AppProfileKind = (typeof APP_PROFILE_KINDS)[number];

export interface AppProfile {
  id: string;
  name: string;
  kind: AppProfileKind;
  consumerKey: string;
  hasSecret: boolean;
  /** True when a private key for the JWT bearer flow is stored (encrypted) with the profile. */
  hasPrivateKey: boolean;
  /** Callback URL registered in Salesforce, e.g. http://localhost:1717/OauthRedirect. */
  callbackUrl: string;
  scopes: string[];
  /** Client credentials: the `resource` sent (RFC 8707), an absolute URI; null: none. */
  resource: string | null;
  /** Client credentials: the `audience` sent, as servers such as Auth0 and Okta take it; null: none. */
  audience: string | null;
}

export interface AppProfileInput {
  id?: string | undefined;
  name: string;
  kind: AppProfileKind;
  consumerKey: string;
  /** undefined keeps the current secret, '' removes it. */
  consumerSecret?: string | undefined;
  /** PEM private key for the JWT bearer flow (PKCS#8 or PKCS#1 RSA); undefined keeps it, '' removes it. */
  privateKeyPem?: string | undefined;
  callbackUrl: string;
  scopes: string[];
  /** undefined or null: none (see {@link AppProfile.resource}). */
  resource?: string | null | undefined;
  audience?: string | null | undefined;
}

export interface OrgUpdate {
  id: string;
  label?: string | undefined;
  color?: string | null | undefined;
  group?: string | null | undefined;
  pinned?: boolean | undefined;
  refreshAhead?: boolean | undefined;
}

/** What happened to an org's tokens, for its history. */
export const ORG_EVENT_KINDS = ['signed_in', 'imported', 'refreshed', 'revoked', 'introspected', 'refused'] as const;
export type OrgEventKind = (typeof ORG_EVENT_KINDS)[number];

/** One entry of an org's history: never a secret, only what happened, to which token, and when. */
export interface OrgEvent {
  /** Epoch milliseconds. */
  at: number;
  kind: OrgEventKind;
  token: TokenKind | null;
  /** A short sentence without secrets: "grant authorization_code", "rotated", "inactive", "HTTP 401". */
  detail: string;
}

export interface RevokeResult {
  /** The token the server revoked; null when nothing was revoked (the summary says why and what to do). */
  revoked: TokenKind | null;
  /** What stopped working with it, and what still works, in words. */
  summary: string;
  /** What introspection said right after, where the server offers it: the revocation proving itself. */
  confirmed: { active: boolean; at: number } | null;
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
  result: 'valid' | 'bad-signature' | 'unknown-key' | 'expired' | 'not-yet-valid' | 'not-a-jwt' | 'error';
  /** In plain words: what was checked, against which keys, and what it means. */
  message: string;
  jwksUrl: string | null;
  kid: string | null;
  /** Which key it was checked with, in words ("the issuer's keys at …", "the pasted PEM key", "the shared secret"). */
  checkedWith?: string;
}

/** OpenID Connect userinfo, as claims for a table. */
export interface UserInfoView {
  claims: { name: string; value: string }[];
}

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

// Browsers the org may be opened in besides the system's (main/browsers/find-browsers.ts finds them).
export const BROWSER_IDS = ['chrome', 'chromium', 'edge', 'firefox', 'brave', 'safari'] as const;
export type BrowserId = (typeof BROWSER_IDS)[number];
/** Where "Open page" opens an org: the system's default browser, or one of the installed ones by id. */
export const OPEN_ORGS_IN = ['system', ...BROWSER_IDS] as const;
export type OpenOrgsIn = (typeof OPEN_ORGS_IN)[number];
/** An installed browser as the window lists it. */
export interface FoundBrowser {
  id: BrowserId;
  name: string;
}

/** What new app profiles start with until the user changes the defaults in Settings: Salesforce CLI's callback. */
export const DEFAULT_CALLBACK_URL = 'http://localhost:1717/OauthRedirect';
export const DEFAULT_SCOPES: readonly string[] = ['api', 'refresh_token', 'openid', 'id'];

export interface SettingsView {
  theme: Theme;
  /** The callback URL new app profiles start with. */
  defaultCallbackUrl: string;
  /** The scopes new app profiles start with. */
  defaultScopes: string[];
  storage: StorageStatus;
  /** Every org is checked in the background this often, in minutes; 0: never. */
  healthCheckMinutes: HealthCheckMinutes;
  /** Desktop notifications when a token is about to die or a server says one has. */
  notifications: boolean;
  /** Where "Open page" opens orgs unless the user picks another browser. */
  openOrgsIn: OpenOrgsIn;
}

export interface SettingsUpdate {
  theme?: Theme | undefined;
  defaultCallbackUrl?: string | undefined;
  defaultScopes?: string[] | undefined;
  healthCheckMinutes?: HealthCheckMinutes | undefined;
  notifications?: boolean | undefined;
  openOrgsIn?: OpenOrgsIn | undefined;
}

export interface ImportReport {
  imported: number;
  skipped: { index: number; reason: string }[];
}
