import * as oauth from 'oauth4webapi';
import { AppError, type ServerAnswer } from '../errors';
import { boundedFetch, type HttpOptions } from '../net/bounded-fetch';
import { sanitizeServerText, safeCause } from '../net/server-text';
import { isLoopbackUrl } from '../net/transport';
import type { ClientAuthMethod } from './client-auth';
import { serverTerms, type ServerRef } from './server-wording';

/**
 * oauth4webapi options for one endpoint: the bounded fetch, and `allowInsecureRequests` only when that
 * endpoint is a loopback http URL (tests, local servers), never for any other host.
 */
export function oauthOptions(endpoint: string | URL | undefined, http: HttpOptions, signal?: AbortSignal) {
  const fetch = boundedFetch(http);
  return {
    // oauth4webapi passes `body: undefined` on bodiless requests, which fetch's RequestInit allows at run time.
    [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<string, unknown>) =>
      fetch(url, init as RequestInit),
    [oauth.allowInsecureRequests]: endpoint !== undefined && isLoopbackUrl(endpoint),
    ...(signal ? { signal } : {}),
  };
}

function coded(code: ConstructorParameters<typeof AppError>[0], message: string, e: unknown): AppError {
  return new AppError(code, message, { cause: safeCause(e) });
}

/**
 * Salesforce's own wording in `error` and `error_description` (RFC 6749 §5.2 leaves the description free
 * text) for conditions no standard error code names. This is what that server says, so it is matched as
 * protocol knowledge; all such rules of this file are here, and every other reading is by code.
 */
const SALESFORCE_SAYS = {
  /**
   * The user may not use the connected app or external client app: the authorization and token endpoints
   * answer `invalid_app_access` or `OAUTH_APP_BLOCKED`, or say the user is "not admin approved" to access
   * the app or that it is "not installed" in the org.
   */
  notApproved: /not admin approved|invalid_app_access|OAUTH_APP_BLOCKED|not installed/i,
  /**
   * A flow Salesforce runs only on the org's My Domain, asked for at login.salesforce.com or
   * test.salesforce.com: "... not supported on this domain".
   */
  myDomainOnly: /not supported on this domain/i,
} as const;
const NOT_APPROVED_FIX =
  'An admin must pre-authorize the user for the app (a profile or permission set in the app\'s policies) or set "Permitted Users" to "All users may self-authorize".';

/** An OAuth error code and description from a server, fit for a message: nothing secret, nothing long. */
function describeOAuthError(error: string, description: unknown): string {
  const d = typeof description === 'string' && description !== '' ? `: ${sanitizeServerText(description)}` : '';
  return `${sanitizeServerText(error, 80)}${d}`;
}

/**
 * What one grant knows about its own error bodies: when `match` finds the server's `error` and
 * `error_description` (joined by a space), the error gets this code and message instead of the generic one.
 * `message` is in Salesforce's words; `elsewhere`, when set, is the message at any other server
 * (server-wording.ts tells them apart).
 */
export interface ErrorHint {
  match: RegExp;
  code: ConstructorParameters<typeof AppError>[0];
  message: string;
  elsewhere?: string;
}

/**
 * Turns what oauth4webapi (or the network) threw into an AppError whose message says what to do.
 * `action` names what was being done ("signing in", "refreshing the token", ...); `hints` are the
 * flow's own readings of error bodies, tried first. Never includes a token, and never keeps
 * oauth4webapi's cause (which holds the response body).
 */
export function toOAuthError(
  e: unknown,
  action: string,
  hints: readonly ErrorHint[] = [],
  request: RequestContext = {},
): AppError {
  const error = readOAuthError(e, action, hints, request);
  const answer = answerOf(e);
  return answer && error !== e && error.answer === null
    ? new AppError(error.code, error.message, { cause: error.cause, answer })
    : error;
}

/** The server's error code and HTTP status in an oauth4webapi error, when it carries a response. */
function answerOf(e: unknown): ServerAnswer | null {
  if (e instanceof oauth.ResponseBodyError) return { code: e.error, httpStatus: e.status };
  if (e instanceof oauth.WWWAuthenticateChallengeError)
    return { code: e.cause[0]?.parameters.error ?? null, httpStatus: e.status };
  if (e instanceof oauth.OperationProcessingError && e.cause instanceof Response)
    return { code: null, httpStatus: e.cause.status };
  return null;
}

function readOAuthError(e: unknown, action: string, hints: readonly ErrorHint[], request: RequestContext): AppError {
  if (e instanceof AppError) return e;
  const terms = serverTerms(request.server);
  if (e instanceof oauth.ResponseBodyError) {
    const said = `${e.error} ${typeof e.error_description === 'string' ? e.error_description : ''}`;
    const hint = hints.find((h) => h.match.test(said));
    if (hint) {
      const message = terms.salesforce ? hint.message : (hint.elsewhere ?? hint.message);
      return coded(hint.code, `${message} (${describeOAuthError(e.error, e.error_description)})`, e);
    }
    return fromErrorBody(e.error, e.error_description, e.status, action, e, request);
  }
  if (e instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = e.cause[0];
    const error = challenge?.parameters.error;
    // A challenge with no OAuth error code (`Basic realm=...`) is the server asking for client credentials.
    if (error === undefined) return clientAuthRefused(e.status, action, e, request);
    return fromErrorBody(error, challenge?.parameters.error_description, e.status, action, e, request);
  }
  if (e instanceof oauth.AuthorizationResponseError) {
    return authorizationResponseError(e.error, e.error_description, e, request.server);
  }
  if (e instanceof oauth.OperationProcessingError || e instanceof oauth.UnsupportedOperationError) {
    const response = e.cause instanceof Response ? e.cause : null;
    if (
      response &&
      response.status >= 400 &&
      (e.code === oauth.RESPONSE_IS_NOT_JSON || e.code === oauth.RESPONSE_IS_NOT_CONFORM)
    ) {
      return errorStatusWithoutBody(response, action, request, e);
    }
    const type = response?.headers.get('content-type') ?? '';
    if (type.includes('text/html')) {
      return coded(
        'oauth/bad_response',
        `The server answered with a web page instead of JSON while ${action}. ${terms.webPageFix}`,
        e,
      );
    }
    if (response && response.status >= 500) {
      return coded(
        'oauth/server_error',
        `The server failed while ${action} (HTTP ${response.status}). Try again later.`,
        e,
      );
    }
    const failed = failedCheck(e);
    if (failed === 'access_token') {
      return coded(
        'oauth/bad_response',
        `The server's answer while ${action} had no access_token. ${terms.noAccessTokenFix}`,
        e,
      );
    }
    if (failed === 'iss') {
      return coded(
        'oauth/iss_mismatch',
        `The answer while ${action} came from a different issuer than the server the app asked (the "iss" did not match). The sign-in was stopped; try again.`,
        e,
      );
    }
    const status = response ? ` (HTTP ${response.status})` : '';
    return coded(
      'oauth/bad_response',
      `The server's answer while ${action} was not a valid OAuth response${status}. ${terms.notOAuthFix}`,
      e,
    );
  }
  if (e instanceof TypeError) {
    return coded(
      'oauth/bad_response',
      `The server's answer while ${action} could not be used. Check the login host.`,
      e,
    );
  }
  return coded('oauth/bad_response', `Something unexpected happened while ${action}. Try again.`, e);
}

type Failure = oauth.OperationProcessingError | oauth.UnsupportedOperationError;

const record = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/**
 * Which of oauth4webapi's checks a processing error comes from, read from its `code` and the data in its
 * `cause` (never from its message): `access_token` for a token response without one, `iss` for an answer
 * from another issuer than the one asked, null for anything else.
 */
function failedCheck(e: Failure): 'access_token' | 'iss' | null {
  const cause = record(e.cause);
  if (cause === null) return null;
  // A JWT claim compared with the expected value (ID token, JWT introspection or userinfo): `{ claim }`.
  if (e.code === oauth.JWT_CLAIM_COMPARISON) return cause['claim'] === 'iss' ? 'iss' : null;
  if (e.code !== oauth.INVALID_RESPONSE) return null;
  // A JSON body that failed a member check: `{ body }`.
  const body = record(cause['body']);
  if (body !== null) return isTokenResponseWithoutAccessToken(body) ? 'access_token' : null;
  // A JWT whose claims failed a presence or type check: `{ claims }`.
  const claims = record(cause['claims']);
  if (claims !== null) return typeof claims['iss'] !== 'string' ? 'iss' : null;
  // The authorization response parameters of the callback: `{ parameters }` or `{ expected, parameters }`.
  const parameters = cause['parameters'];
  if (parameters instanceof URLSearchParams) return callbackIssFailed(cause, parameters) ? 'iss' : null;
  return null;
}

/**
 * A body that is a token response (RFC 6749 §5.1: it has members only that response has) but carries no
 * access_token. Other answers oauth4webapi checks (device authorization, registration, discovery,
 * userinfo, introspection) never carry an access_token, so its absence alone does not say which check failed.
 */
function isTokenResponseWithoutAccessToken(body: Record<string, unknown>): boolean {
  const accessToken = body['access_token'];
  if (typeof accessToken === 'string' && accessToken !== '') return false;
  return ['token_type', 'refresh_token', 'id_token'].some((member) => member in body);
}

/**
 * The iss check of `validateAuthResponse` (RFC 9207 §2.4) failed: the callback has no `iss` although the
 * server promises one (`{ parameters }` alone; a JARM `response` parameter is the other such case), or an
 * `iss` other than the issuer (`{ expected: issuer, parameters }`). The state check that follows also
 * gives `{ expected, parameters }`, with the expected state, which is a random string, never a URL as an
 * issuer is (RFC 8414 §2).
 */
function callbackIssFailed(cause: Record<string, unknown>, parameters: URLSearchParams): boolean {
  const iss = parameters.get('iss');
  if (!('expected' in cause)) return iss === null && !parameters.has('response');
  const expected = cause['expected'];
  return typeof expected === 'string' && URL.canParse(expected) && iss !== null && iss !== expected;
}

/** What {@link toOAuthError} needs to know about the request to read an error answer without a body. */
export interface RequestContext {
  /**
   * The grant the request presented, named for a message ("the refresh token"). When set, a bodiless 400
   * (or a 401 to a client that sent no secret) means that grant was refused: `oauth/invalid_grant`.
   */
  grant?: string;
  /** True when the request authenticated the client with a secret (or key), so a 401 refuses that. */
  clientAuthenticated?: boolean;
  /** The server asked: messages use its words (server-wording.ts). Absent: Salesforce's words. */
  server?: ServerRef | undefined;
  /** How the client authenticated, named when the server refuses the client. */
  clientAuth?: ClientAuthMethod | undefined;
}

/**
 * An HTTP error status whose body is empty, an HTML page or JSON without an `error` member: read by the
 * status, for the request that got it. 5xx is the server failing; 401 is client authentication (unless
 * the client sent no credentials and presented a grant: then the grant); 403 is a refusal by scope or
 * policy; a 400 to a grant is that grant refused. Anything else keeps the generic reading.
 */
function errorStatusWithoutBody(response: Response, action: string, request: RequestContext, e: unknown): AppError {
  const { status } = response;
  const detail = (response.headers.get('content-type') ?? '').includes('text/html')
    ? 'a web page, no details'
    : 'no details';
  if (status >= 500) {
    return coded('oauth/server_error', `The server failed while ${action} (HTTP ${status}). Try again later.`, e);
  }
  const grantRefused =
    request.grant !== undefined && (status === 400 || (status === 401 && !request.clientAuthenticated));
  if (grantRefused) {
    return coded(
      'oauth/invalid_grant',
      `The server refused ${request.grant} (HTTP ${status}, ${detail}). Sign in to this org again.`,
      e,
    );
  }
  if (status === 401 || response.headers.has('www-authenticate')) {
    return clientAuthRefused(status, action, e, request, detail);
  }
  const terms = serverTerms(request.server);
  if (status === 403) {
    return coded(
      'oauth/forbidden',
      `The server refused ${action} as forbidden (HTTP 403, ${detail}). The app or user may lack a scope or permission for this, or ${terms.policies} blocks it.`,
      e,
    );
  }
  if (status === 400) {
    return coded(
      'oauth/authorization_error',
      `The server refused ${action} (HTTP 400, ${detail}). Check that the token was issued by this server to this app.`,
      e,
    );
  }
  return coded(
    'oauth/bad_response',
    `The server's answer while ${action} was not a valid OAuth response (HTTP ${status}). ${terms.notOAuthFix}`,
    e,
  );
}

function clientAuthRefused(
  status: number,
  action: string,
  e: unknown,
  request: RequestContext,
  detail = 'no details',
): AppError {
  return coded(
    'oauth/invalid_client',
    `The server did not accept the app's credentials while ${action} (HTTP ${status}, ${detail}${sentBy(request)}). Check the app's ${serverTerms(request.server).credentials} in the app profile.`,
    e,
  );
}

/** ", sent with client_secret_basic": how the client authenticated, for a refusal of the client. */
function sentBy(request: RequestContext): string {
  return request.clientAuth && request.clientAuth !== 'none' ? `, sent with ${request.clientAuth}` : '';
}

/** RFC 6749 §5.2 error bodies, and Salesforce's own codes, as AppErrors. */
function fromErrorBody(
  error: string,
  description: unknown,
  status: number,
  action: string,
  e: unknown,
  request: RequestContext = {},
): AppError {
  const text = describeOAuthError(error, description);
  const terms = serverTerms(request.server);
  if (SALESFORCE_SAYS.notApproved.test(`${error} ${typeof description === 'string' ? description : ''}`)) {
    return coded(
      'oauth/app_not_approved',
      `Salesforce refused ${action}: the user is not approved for this app. ${NOT_APPROVED_FIX}`,
      e,
    );
  }
  if (SALESFORCE_SAYS.myDomainOnly.test(typeof description === 'string' ? description : '')) {
    return coded(
      'oauth/invalid_login_host',
      "Salesforce runs this flow only on the org's My Domain (https://<name>.my.salesforce.com), not on login.salesforce.com or test.salesforce.com. Choose My Domain URL and enter it.",
      e,
    );
  }
  switch (error) {
    case 'invalid_grant':
      if (request.grant !== undefined) {
        return coded(
          'oauth/invalid_grant',
          `The server refused ${request.grant} (${text}). Sign in to this org again.`,
          e,
        );
      }
      return coded(
        'oauth/invalid_grant',
        `The server refused ${action} (${text}). The code or token is no longer valid (expired, already used or revoked): sign in to this org again.`,
        e,
      );
    case 'invalid_token':
      return coded(
        'oauth/invalid_grant',
        `The server does not know this token any more (${text}): it has expired or was already revoked.`,
        e,
      );
    case 'invalid_client':
    case 'invalid_client_id':
    case 'unauthorized_client':
      return coded(
        'oauth/invalid_client',
        `The server did not accept the app's credentials while ${action} (${text}${sentBy(request)}). Check the ${terms.keyAndSecret} in the app profile.`,
        e,
      );
    case 'unsupported_token_type':
      return coded('oauth/unsupported_token_type', `The server cannot do this for this kind of token (${text}).`, e);
    case 'redirect_uri_mismatch':
      return coded(
        'oauth/invalid_redirect_uri',
        `The server refused ${action} because the callback URL does not match the app's (${text}). Use the same callback URL in the app profile and ${terms.callbackRegistration}.`,
        e,
      );
    case 'server_error':
    case 'temporarily_unavailable':
      return coded('oauth/server_error', `The server failed while ${action} (${text}). Try again later.`, e);
  }
  if (status >= 500) {
    return coded('oauth/server_error', `The server failed while ${action} (HTTP ${status}). Try again later.`, e);
  }
  return coded('oauth/authorization_error', `The server refused ${action}: ${text}.`, e);
}

/**
 * An `error=` callback (RFC 6749 §4.1.2.1) as an AppError, with the server's description sanitized, in the
 * words of `server` (Salesforce's when absent).
 */
export function authorizationResponseError(
  error: string,
  description: string | null | undefined,
  e?: unknown,
  server?: ServerRef,
): AppError {
  const d = description ? `: ${sanitizeServerText(description)}` : '';
  if (SALESFORCE_SAYS.notApproved.test(description ?? '') || error === 'invalid_app_access') {
    return coded('oauth/app_not_approved', `The user is not approved for this app${d}. ${NOT_APPROVED_FIX}`, e);
  }
  if (error === 'access_denied') {
    return coded(
      'oauth/access_denied',
      `Access was denied in the browser${d}. Sign in again and choose Allow if you want to connect this org.`,
      e,
    );
  }
  return coded(
    'oauth/authorization_error',
    `The server sent the browser back with an error (${sanitizeServerText(error, 80)}${d}). Check ${serverTerms(server).appSettings} and try again.`,
    e,
  );
}
