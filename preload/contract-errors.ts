/**
 * The errors that cross the bridge (part of the contract, see `preload/contract.ts`). Every code here is
 * thrown or returned somewhere in main, preload or renderer: `test/ipc/error-codes.test.ts` fails on one
 * that is not.
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
  'vault/io',
  'org/not_found',
  'org/needs_sign_in',
  'profile/not_found',
  'profile/in_use',
  'import/invalid',
  'key/invalid',
  'token/wrong_org',
  /** An API refused a token this app revoked (or introspection called inactive): it is not silently replaced. */
  'token/revoked',
  'cli/not_found',
  'cli/failed',
  'cli/bad_output',
  'cli/timeout',
  /** A code by hand: the pasted address comes from another sign-in attempt (its state is not this one's). */
  'oauth/state_mismatch',
  /** A code by hand: the pasted text has no authorization code in it. */
  'oauth/no_code',
  /** The authorization code is older than the server allows (Salesforce: 15 minutes). */
  'oauth/code_expired',
  /** The server refused the authorization code as used already (or issued to another sign-in attempt). */
  'oauth/code_reused',
  // Org-wide tokens and introspection of another app's token (main/orgs/org-tokens.ts, main/orgs/pasted-token.ts).
  /** Salesforce answered `active: false` for another app's token: the introspecting app lacks "Introspect all tokens". */
  'oauth/foreign_token',
  // Opening an org in a browser of the user's choice (main/browsers/).
  /** The browser chosen is not (or no longer) installed where the app looks for it. */
  'browser/not_found',
  /** The browser chosen could not be started, or stopped at once with an error. */
  'browser/failed',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };
