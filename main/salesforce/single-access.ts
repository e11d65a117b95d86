import { AppError } from '../errors';
import type { HttpOptions } from '../oauth/http';
import { getJson } from './http';

/**
 * A single-use URL that opens the org in a browser: `GET <instance>/services/oauth2/singleaccess` with the
 * access token returns `frontdoor_uri`. The older `frontdoor.jsp?sid=<token>` would put the token in a URL
 * (browser history, logs), so it is never built here.
 */
export async function singleAccessUrl(
  instanceUrl: string,
  accessToken: string,
  http: HttpOptions = {},
  startPath?: string,
): Promise<string> {
  const url = new URL('/services/oauth2/singleaccess', instanceUrl);
  if (startPath) url.searchParams.set('redirect_uri', startPath);
  const body = (await getJson(url.href, accessToken, http, 'opening the org')) as { frontdoor_uri?: unknown };
  if (typeof body.frontdoor_uri !== 'string' || !/^https?:\/\//.test(body.frontdoor_uri)) {
    throw new AppError(
      'sf/api_error',
      'Salesforce did not return a login link for the org. Try again, or sign in again.',
    );
  }
  return body.frontdoor_uri;
}
