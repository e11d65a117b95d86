import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';

export type Fetch = typeof fetch;

/** Limits for every call to an authorization or resource server. */
export interface HttpOptions {
  fetch?: Fetch;
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Refuse response bodies larger than this (default 1 MB). */
  maxBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BYTES = 1_000_000;

/** True for http://127.0.0.1, localhost and [::1]: the only hosts allowed without TLS (tests, local servers). */
export function isLoopbackUrl(url: string | URL): boolean {
  const { hostname } = new URL(url);
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** True when a URL may carry a token: https anywhere, plain http only on loopback. */
export function isSafeTransport(url: string | URL): boolean {
  const u = new URL(url);
  return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackUrl(u));
}

/**
 * A fetch that times out (`AbortSignal.timeout`) and refuses huge bodies, for oauth4webapi's
 * `customFetch` and our own calls. The body is read here, with a cap, and handed on as a fresh Response.
 * Redirects are never followed: a token endpoint that redirects is misconfigured, and following it
 * could carry credentials elsewhere.
 */
export function boundedFetch(options: HttpOptions = {}): Fetch {
  const base = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return async (input, init) => {
    const signal = init?.signal
      ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await base(input, { ...init, signal, redirect: 'manual' });
    } catch (cause) {
      throw networkError(input, cause, init?.signal);
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(input, maxBytes);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      if (response.body) {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > maxBytes) throw tooLarge(input, maxBytes);
          chunks.push(chunk);
        }
      }
    } catch (cause) {
      if (cause instanceof AppError) throw cause;
      throw networkError(input, cause, init?.signal);
    }
    const body = response.status === 204 || response.status === 304 ? null : Buffer.concat(chunks);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function hostOf(input: Parameters<Fetch>[0]): string {
  try {
    return new URL(input instanceof Request ? input.url : String(input)).host;
  } catch {
    return 'the server';
  }
}

function tooLarge(input: Parameters<Fetch>[0], maxBytes: number): AppError {
  const limit = maxBytes >= 1_000_000 ? `${Math.round(maxBytes / 1_000_000)} MB` : `${maxBytes} bytes`;
  return new AppError(
    'oauth/bad_response',
    `${hostOf(input)} sent an answer larger than ${limit}, which no OAuth response is. Check the login host.`,
  );
}

function networkError(input: Parameters<Fetch>[0], cause: unknown, callerSignal: AbortSignal | null | undefined) {
  if (callerSignal?.aborted) {
    return new AppError('oauth/cancelled', 'The request was cancelled.', { cause: safeCause(cause) });
  }
  const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
  return new AppError(
    'oauth/network',
    timedOut
      ? `${hostOf(input)} did not answer in time. Check your network connection (and VPN or proxy), then try again.`
      : `Could not reach ${hostOf(input)}. Check the address and your network connection, then try again.`,
    { cause: safeCause(cause) },
  );
}

/**
 * oauth4webapi options for one endpoint: the bounded fetch, and `allowInsecureRequests` only when that
 * endpoint is a loopback http URL (tests, local servers), never for any other host.
 */
export function oauthOptions(endpoint: string | URL | undefined, http: HttpOptions, signal?: AbortSignal) {
  return {
    [oauth.customFetch]: boundedFetch(http),
    [oauth.allowInsecureRequests]: endpoint !== undefined && isLoopbackUrl(endpoint),
    ...(signal ? { signal } : {}),
  };
}

const TOKEN_LIKE = [
  // JWS / JWE compact serializations.
  /eyJ[\w-]*\.[\w-]*\.[\w.-]*/g,
  // Salesforce opaque tokens: 15/18-character org id, "!", the secret part.
  /\b00D\w{12,15}![\w.]+/g,
  // Any other long run of token characters (refresh tokens, codes, secrets).
  /[\w.~+/=-]{40,}/g,
];

/**
 * Server-supplied text (an `error_description`, an HTML page) made fit for an error message: control
 * characters removed, anything that looks like a token or secret replaced, and at most `max` characters.
 */
export function sanitizeServerText(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  let out = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  for (const pattern of TOKEN_LIKE) out = out.replace(pattern, '[redacted]');
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/**
 * The cause kept on an AppError: oauth4webapi errors carry the response body (tokens included) in their
 * `cause`, so only their name, code and fixed message are kept.
 */
export function safeCause(e: unknown): Error | undefined {
  if (!(e instanceof Error)) return undefined;
  if (e instanceof AppError) return e;
  const raw: unknown = (e as { code?: unknown }).code;
  const code = typeof raw === 'string' ? ` [${raw}]` : '';
  const copy = new Error(`${e.name}${code}: ${sanitizeServerText(e.message, 300)}`);
  copy.name = e.name;
  return copy;
}

function coded(code: ConstructorParameters<typeof AppError>[0], message: string, e: unknown): AppError {
  return new AppError(code, message, { cause: safeCause(e) });
}

const NOT_APPROVED = /not admin approved|invalid_app_access|OAUTH_APP_BLOCKED|not installed/i;
const NOT_APPROVED_FIX =
  'An admin must pre-authorize the user for the app (a profile or permission set in the app\'s policies) or set "Permitted Users" to "All users may self-authorize".';

/** An OAuth error code and description from a server, fit for a message: nothing secret, nothing long. */
export function describeOAuthError(error: string, description: unknown): string {
  const d = typeof description === 'string' && description !== '' ? `: ${sanitizeServerText(description)}` : '';
  return `${sanitizeServerText(error, 80)}${d}`;
}

/**
 * What one grant knows about its own error bodies: when `match` finds the server's `error` and
 * `error_description` (joined by a space), the error gets this code and message instead of the generic one.
 */
export interface ErrorHint {
  match: RegExp;
  code: ConstructorParameters<typeof AppError>[0];
  message: string;
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
  if (e instanceof AppError) return e;
  if (e instanceof oauth.ResponseBodyError) {
    const said = `${e.error} ${typeof e.error_description === 'string' ? e.error_description : ''}`;
    const hint = hints.find((h) => h.match.test(said));
    if (hint) return coded(hint.code, `${hint.message} (${describeOAuthError(e.error, e.error_description)})`, e);
    return fromErrorBody(e.error, e.error_description, e.status, action, e, request);
  }
  if (e instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = e.cause[0];
    const error = challenge?.parameters.error;
    // A challenge with no OAuth error code (`Basic realm=...`) is the server asking for client credentials.
    if (error === undefined) return clientAuthRefused(e.status, action, e);
    return fromErrorBody(error, challenge?.parameters.error_description, e.status, action, e);
  }
  if (e instanceof oauth.AuthorizationResponseError) {
    return authorizationResponseError(e.error, e.error_description, e);
  }
  if (e instanceof oauth.OperationProcessingError || e instanceof oauth.UnsupportedOperationError) {
    const response = (e as { cause?: unknown }).cause instanceof Response ? (e.cause as Response) : null;
    const code = (e as { code?: unknown }).code;
    if (
      response &&
      response.status >= 400 &&
      (code === oauth.RESPONSE_IS_NOT_JSON || code === oauth.RESPONSE_IS_NOT_CONFORM)
    ) {
      return errorStatusWithoutBody(response, action, request, e);
    }
    const type = response?.headers.get('content-type') ?? '';
    if (type.includes('text/html')) {
      return coded(
        'oauth/bad_response',
        `The server answered with a web page instead of JSON while ${action}. Check the login host (a My Domain URL looks like https://acme.my.salesforce.com).`,
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
    if (/"access_token"/.test(e.message)) {
      return coded(
        'oauth/bad_response',
        `The server's answer while ${action} had no access_token. Check the login host and that the app is an OAuth app of this org.`,
        e,
      );
    }
    if (/"iss"/.test(e.message)) {
      return coded(
        'oauth/iss_mismatch',
        `The answer while ${action} came from a different issuer than the server the app asked (the "iss" did not match). The sign-in was stopped; try again.`,
        e,
      );
    }
    const status = response ? ` (HTTP ${response.status})` : '';
    return coded(
      'oauth/bad_response',
      `The server's answer while ${action} was not a valid OAuth response${status}. Check that the login host is a Salesforce or OAuth server.`,
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

/** What {@link toOAuthError} needs to know about the request to read an error answer without a body. */
export interface RequestContext {
  /**
   * The grant the request presented, named for a message ("the refresh token"). When set, a bodiless 400
   * (or a 401 to a client that sent no secret) means that grant was refused: `oauth/invalid_grant`.
   */
  grant?: string;
  /** True when the request authenticated the client with a secret (or key), so a 401 refuses that. */
  clientAuthenticated?: boolean;
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
  if (status === 401 || response.headers.has('www-authenticate')) return clientAuthRefused(status, action, e, detail);
  if (status === 403) {
    return coded(
      'oauth/forbidden',
      `The server refused ${action} as forbidden (HTTP 403, ${detail}). The app or user may lack a scope or permission for this, or a policy of the app or org (IP ranges, permitted users) blocks it.`,
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
    `The server's answer while ${action} was not a valid OAuth response (HTTP ${status}). Check that the login host is a Salesforce or OAuth server.`,
    e,
  );
}

function clientAuthRefused(status: number, action: string, e: unknown, detail = 'no details'): AppError {
  return coded(
    'oauth/invalid_client',
    `The server did not accept the app's credentials while ${action} (HTTP ${status}, ${detail}). Check the app's consumer key and consumer secret in the app profile.`,
    e,
  );
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
  if (NOT_APPROVED.test(`${error} ${typeof description === 'string' ? description : ''}`)) {
    return coded(
      'oauth/app_not_approved',
      `Salesforce refused ${action}: the user is not approved for this app. ${NOT_APPROVED_FIX}`,
      e,
    );
  }
  if (/not supported on this domain/i.test(typeof description === 'string' ? description : '')) {
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
        `The server did not accept the app's credentials while ${action} (${text}). Check the consumer key and secret in the app profile.`,
        e,
      );
    case 'unsupported_token_type':
      return coded('oauth/unsupported_token_type', `The server cannot do this for this kind of token (${text}).`, e);
    case 'redirect_uri_mismatch':
      return coded(
        'oauth/invalid_redirect_uri',
        `The server refused ${action} because the callback URL does not match the app's (${text}). Use the same callback URL in the app profile and in Salesforce.`,
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

/** An `error=` callback (RFC 6749 §4.1.2.1) as an AppError, with the server's description sanitized. */
export function authorizationResponseError(
  error: string,
  description: string | null | undefined,
  e?: unknown,
): AppError {
  const d = description ? `: ${sanitizeServerText(description)}` : '';
  if (NOT_APPROVED.test(description ?? '') || error === 'invalid_app_access') {
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
    `The server sent the browser back with an error (${sanitizeServerText(error, 80)}${d}). Check the app's settings in Salesforce and try again.`,
    e,
  );
}
