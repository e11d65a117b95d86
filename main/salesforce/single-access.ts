import { AppError, isAppError } from '../errors';
import type { HttpOptions } from '../net/bounded-fetch';
import { isSafeTransport } from '../net/transport';
import { getJson } from './http';

/** The answer of `/services/oauth2/singleaccess`, parsed once. */
export interface SingleAccess {
  /** A single-use URL that logs the browser in to the org (`…/secur/frontdoor.jsp?otp=…`). */
  frontdoorUrl: string;
}

/** Parses a singleaccess response: `frontdoor_uri` must be an https URL. */
export function parseSingleAccess(body: unknown): SingleAccess {
  const uri =
    typeof body === 'object' && body !== null ? (body as { frontdoor_uri?: unknown }).frontdoor_uri : undefined;
  if (typeof uri !== 'string' || !URL.canParse(uri) || !isSafeTransport(uri)) {
    throw new AppError(
      'sf/api_error',
      'Salesforce did not return a login link for the org. Try again, or sign in again.',
    );
  }
  return { frontdoorUrl: uri };
}

/**
 * A single-use URL that opens the org in a browser ("Generate a Frontdoor URL to Bridge into UI
 * Sessions", Salesforce Help): `GET <instance>/services/oauth2/singleaccess` with the access token
 * (optionally `redirect_uri=/path`) returns `frontdoor_uri`. An expired token gets 403 here, not 401:
 * `sf/forbidden`. The older `frontdoor.jsp?sid=<token>` would put the token in a URL (history, logs),
 * so it is never built here.
 */
export async function requestSingleAccess(
  instanceUrl: string,
  accessToken: string,
  http: HttpOptions = {},
  startPath?: string,
): Promise<SingleAccess> {
  const url = new URL('/services/oauth2/singleaccess', instanceUrl);
  if (startPath) {
    if (!startPath.startsWith('/') || startPath.startsWith('//')) {
      throw new AppError(
        'sf/api_error',
        'The start page must be a path inside the org, such as /lightning/setup/SetupOneHome/home.',
      );
    }
    url.searchParams.set('redirect_uri', startPath);
  }
  try {
    return parseSingleAccess(await getJson(url.href, accessToken, http, 'opening the org'));
  } catch (e) {
    if (isAppError(e, 'sf/forbidden') || isAppError(e, 'sf/session_expired')) {
      throw new AppError(
        'sf/forbidden',
        'Salesforce refused to open the org: the session expired — refresh the token or sign in again.',
        { cause: e },
      );
    }
    throw e;
  }
}

/** The front-door URL itself (see {@link requestSingleAccess}). */
export async function singleAccessUrl(
  instanceUrl: string,
  accessToken: string,
  http: HttpOptions = {},
  startPath?: string,
): Promise<string> {
  return (await requestSingleAccess(instanceUrl, accessToken, http, startPath)).frontdoorUrl;
}
