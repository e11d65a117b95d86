import { AppError } from '../errors';
import { boundedFetch, type HttpOptions } from '../net/bounded-fetch';
import { sanitizeServerText } from '../net/server-text';
import { isSafeTransport } from '../net/transport';

/**
 * Salesforce's own wording in answers that carry no error code: server knowledge, kept in this one table.
 * Its identity endpoints (`/id/<org>/<user>`, `/services/oauth2/userinfo`) answer an expired or revoked
 * token with HTTP 403 and the bare text `Bad_OAuth_Token`, where the REST API answers 401.
 */
const SALESFORCE_SAYS = {
  badOAuthToken: /^\s*Bad_OAuth_Token\s*$/,
} as const;

/**
 * A GET with a Bearer token (RFC 6750 §2.1) to a Salesforce instance or identity endpoint, parsed as
 * JSON ("Status Codes and Error Responses", Salesforce REST API Developer Guide). 401, and the identity
 * endpoints' `403 Bad_OAuth_Token`, are `sf/session_expired` (so the caller can refresh once and retry);
 * other 403s are `sf/forbidden`; Salesforce's `[{errorCode, message}]` bodies become the message.
 * The token goes only to https (or loopback http) URLs, in the header, never into a URL or a message.
 */
export async function getJson(
  url: string,
  accessToken: string,
  http: HttpOptions,
  what: string,
  init: { signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<unknown> {
  const target = new URL(url);
  if (!isSafeTransport(target)) {
    throw new AppError('sf/api_error', `Refusing to send a token to ${target.origin}: it is not an https address.`);
  }
  const response = await boundedFetch(http)(target, {
    headers: { ...init.headers, Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (response.status === 401 || (response.status === 403 && SALESFORCE_SAYS.badOAuthToken.test(text))) {
    throw new AppError(
      'sf/session_expired',
      `The session expired or was revoked (${errorText(body, text)}). Refresh the token or sign in again.`,
    );
  }
  if (response.status === 403) {
    throw new AppError(
      'sf/forbidden',
      `Salesforce refused ${what} (${errorText(body, text)}): the session expired or lacks the needed scope. Refresh the token or sign in again.`,
    );
  }
  if (response.status >= 300 && response.status < 400) {
    throw new AppError(
      'sf/api_error',
      `Salesforce redirected ${what} (HTTP ${response.status}), which usually means a wrong instance URL. Sign in to the org again.`,
    );
  }
  if (!response.ok) {
    throw new AppError('sf/api_error', `Salesforce answered ${response.status} to ${what}: ${errorText(body, text)}.`);
  }
  if (body === null) {
    throw new AppError('sf/api_error', `Salesforce's answer to ${what} was not JSON. Check the instance URL.`);
  }
  return body;
}

/** Salesforce's error shapes, sanitized: `[{errorCode, message}]`, `{error, error_description}`, or text. */
function errorText(body: unknown, text: string): string {
  if (Array.isArray(body) && typeof body[0] === 'object' && body[0] !== null) {
    const first = body[0] as { errorCode?: unknown; message?: unknown };
    return sanitizeServerText([first.errorCode, first.message].filter((v) => typeof v === 'string').join(': '));
  }
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const b = body as { error?: unknown; error_description?: unknown };
    return sanitizeServerText([b.error, b.error_description].filter((v) => typeof v === 'string').join(': '));
  }
  return sanitizeServerText(text.replace(/<[^>]*>/g, ' '), 120) || 'no details';
}
