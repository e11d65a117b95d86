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

/**
 * A fetch that times out and refuses huge bodies, for oauth4webapi's `customFetch` and our own calls.
 * The body is read here, with a cap, and handed on as a fresh Response.
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
      throw networkError(input, cause);
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw tooLarge(input);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      if (response.body) {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > maxBytes) throw tooLarge(input);
          chunks.push(chunk);
        }
      }
    } catch (cause) {
      if (cause instanceof AppError) throw cause;
      throw networkError(input, cause);
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

function tooLarge(input: Parameters<Fetch>[0]): AppError {
  return new AppError(
    'oauth/bad_response',
    `${hostOf(input)} sent an answer larger than 1 MB, which no OAuth response is. Check the login host.`,
  );
}

function networkError(input: Parameters<Fetch>[0], cause: unknown): AppError {
  const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
  return new AppError(
    'oauth/network',
    timedOut
      ? `${hostOf(input)} did not answer in time. Check your network connection (and VPN or proxy), then try again.`
      : `Could not reach ${hostOf(input)}. Check the address and your network connection, then try again.`,
    { cause },
  );
}

/** oauth4webapi options for a server: bounded fetch, and plain http only on loopback. */
export function oauthOptions(serverUrl: string | URL, http: HttpOptions, signal?: AbortSignal) {
  return {
    [oauth.customFetch]: boundedFetch(http),
    [oauth.allowInsecureRequests]: isLoopbackUrl(serverUrl),
    ...(signal ? { signal } : {}),
  };
}

/**
 * Turns what oauth4webapi (or the network) threw into an AppError whose message says what to do.
 * `action` names what was being done ("signing in", "refreshing the token", ...).
 */
export function toOAuthError(e: unknown, action: string): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof oauth.ResponseBodyError) {
    const description = typeof e.error_description === 'string' ? e.error_description : '';
    const text = `${e.error}${description ? `: ${description}` : ''}`;
    if (/not admin approved|invalid_app_access|OAUTH_APP_BLOCKED/i.test(text)) {
      return new AppError(
        'oauth/app_not_approved',
        `Salesforce refused ${action}: the user is not approved for this app. An admin must pre-authorize the user (profile or permission set) or set the app's policy to "All users may self-authorize".`,
        { cause: e },
      );
    }
    if (/not supported on this domain/i.test(description)) {
      return new AppError(
        'oauth/invalid_login_host',
        "Salesforce runs this flow only on the org's My Domain (https://<name>.my.salesforce.com), not on login.salesforce.com or test.salesforce.com. Choose My Domain URL and enter it.",
        { cause: e },
      );
    }
    if (e.error === 'invalid_grant') {
      return new AppError(
        'oauth/invalid_grant',
        `The server refused ${action} (${text}). The token or code is no longer valid: sign in to this org again.`,
        { cause: e },
      );
    }
    if (e.error === 'invalid_client' || e.error === 'invalid_client_id' || e.error === 'unauthorized_client') {
      return new AppError(
        'oauth/invalid_client',
        `The server did not accept the app's credentials while ${action} (${text}). Check the consumer key and secret in the app profile.`,
        {
          cause: e,
        },
      );
    }
    if (e.error === 'unsupported_token_type') {
      return new AppError(
        'oauth/unsupported_token_type',
        `The server cannot do this for this kind of token (${text}).`,
        { cause: e },
      );
    }
    if (e.status >= 500)
      return new AppError(
        'oauth/server_error',
        `The server failed while ${action} (HTTP ${e.status}). Try again later.`,
        { cause: e },
      );
    return new AppError('oauth/authorization_error', `The server refused ${action}: ${text}.`, { cause: e });
  }
  if (e instanceof oauth.AuthorizationResponseError) {
    const description = e.error_description ? `: ${e.error_description}` : '';
    if (e.error === 'access_denied' && !/not admin approved/i.test(e.error_description ?? '')) {
      return new AppError(
        'oauth/access_denied',
        `Access was denied in the browser${description}. Sign in again and choose Allow.`,
        { cause: e },
      );
    }
    if (/not admin approved/i.test(e.error_description ?? '')) {
      return new AppError(
        'oauth/app_not_approved',
        'The user is not approved for this app. An admin must pre-authorize the user or set the app\'s policy to "All users may self-authorize".',
        { cause: e },
      );
    }
    return new AppError(
      'oauth/authorization_error',
      `The server sent the browser back with an error (${e.error}${description}).`,
      { cause: e },
    );
  }
  if (e instanceof oauth.OperationProcessingError || e instanceof TypeError) {
    const status =
      (e as { cause?: unknown }).cause instanceof Response ? (e as { cause: Response }).cause.status : null;
    const type =
      (e as { cause?: unknown }).cause instanceof Response
        ? ((e as { cause: Response }).cause.headers.get('content-type') ?? '')
        : '';
    if (type.includes('text/html')) {
      return new AppError(
        'oauth/bad_response',
        `The server answered with a web page instead of JSON while ${action}. Check the login host (a My Domain URL looks like https://acme.my.salesforce.com).`,
        { cause: e },
      );
    }
    if (status !== null && status >= 500) {
      return new AppError(
        'oauth/server_error',
        `The server failed while ${action} (HTTP ${status}). Try again later.`,
        { cause: e },
      );
    }
    return new AppError(
      'oauth/bad_response',
      `The server's answer while ${action} was not a valid OAuth response (${e.message}). Check that the login host is a Salesforce or OAuth server.`,
      {
        cause: e,
      },
    );
  }
  return new AppError('oauth/bad_response', `Something unexpected happened while ${action}. Try again.`, { cause: e });
}
