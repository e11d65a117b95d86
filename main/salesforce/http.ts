import { AppError } from '../errors';
import { boundedFetch, isLoopbackUrl, type HttpOptions } from '../oauth/http';

/**
 * A GET with a Bearer token to a Salesforce instance, parsed as JSON. 401 is `sf/session_expired` (so the
 * caller can refresh once and retry); 403 is `sf/forbidden`; Salesforce's `[{errorCode, message}]` bodies
 * become the message.
 */
export async function getJson(url: string, accessToken: string, http: HttpOptions, what: string): Promise<unknown> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && !isLoopbackUrl(target)) {
    throw new AppError('sf/api_error', `Refusing to send a token to ${target.origin} over plain http.`);
  }
  const response = await boundedFetch(http)(target, {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
  });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (response.status === 401) {
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
  if (!response.ok)
    throw new AppError('sf/api_error', `Salesforce answered ${response.status} to ${what}: ${errorText(body, text)}.`);
  if (body === null)
    throw new AppError('sf/api_error', `Salesforce's answer to ${what} was not JSON. Check the instance URL.`);
  return body;
}

function errorText(body: unknown, text: string): string {
  if (Array.isArray(body) && typeof body[0] === 'object' && body[0] !== null) {
    const first = body[0] as { errorCode?: unknown; message?: unknown };
    return [first.errorCode, first.message].filter((v) => typeof v === 'string').join(': ');
  }
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const b = body as { error?: unknown; error_description?: unknown };
    return [b.error, b.error_description].filter((v) => typeof v === 'string').join(': ');
  }
  return (
    text
      .replace(/<[^>]*>/g, ' ')
      .trim()
      .slice(0, 120) || 'no details'
  );
}
