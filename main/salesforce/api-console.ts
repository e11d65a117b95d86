/**
 * The API console's requests and answers, and the ready-to-run forms of an access token ("Copy as"): what is
 * sent where, and how an answer is shown. Only GETs under `/services/data/` of the org's own instance; the
 * token travels in the Authorization header of an https (or loopback) request, never in a URL or a message.
 */
import type { ApiConsoleRequest, ApiConsoleResult, CopyFormat } from '../../preload/contract-tools';
import { AppError, isAppError } from '../errors';
import { boundedFetch, type HttpOptions } from '../net/bounded-fetch';
import { sanitizeServerText } from '../net/server-text';
import { isSafeTransport } from '../net/transport';
import { parseApiVersions } from './rest';

/**
 * The REST API version a copied command uses before the app has seen the org's own list: Winter '25 (62.0),
 * which every org on a current release answers.
 */
export const DEFAULT_API_VERSION = '62.0';

/** The console shows this many characters of a body; the rest is cut, and the answer says so. */
const BODY_LIMIT = 200_000;
/** The console reads answers up to this size (a page of query results is far smaller). */
const CONSOLE_MAX_BYTES = 5_000_000;
const DATA_ROOT = '/services/data';

/** What the org's API answered, as read off the wire. */
export interface RawAnswer {
  url: string;
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  durationMs: number;
}

function refuse(message: string): never {
  throw new AppError('ipc/bad_argument', `${message} The console sends GETs to paths under /services/data/ only.`);
}

/**
 * The URL a console path names on the org's instance. Refused: anything that is not a path under
 * `/services/data/` (an absolute URL, another host, `//host`), `.`/`..` segments (also percent-encoded),
 * encoded slashes or backslashes, fragments and control characters. The path may carry a query string.
 */
function dataPathUrl(instanceUrl: string, path: string): URL {
  const trimmed = path.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) refuse('The path holds control characters.');
  if (/^[a-z][a-z\d+.-]*:/i.test(trimmed) || trimmed.startsWith('//'))
    refuse('Give a path on this org (such as /services/data/v62.0/limits), not a full URL.');
  if (trimmed.includes('\\')) refuse('The path holds a backslash.');
  if (trimmed.includes('#')) refuse('The path holds a fragment (#…), which is never sent.');
  const [pathPart = ''] = trimmed.split('?', 1);
  if (pathPart !== DATA_ROOT && !pathPart.startsWith(`${DATA_ROOT}/`))
    refuse(`"${sanitizeServerText(pathPart, 80)}" is not under /services/data/.`);
  for (const raw of pathPart.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      refuse('The path holds a malformed %-escape.');
    }
    if (segment === '.' || segment === '..') refuse('The path may not hold "." or ".." segments.');
    if (/[/\\]/.test(segment)) refuse('The path may not hold encoded slashes.');
  }
  const base = new URL(instanceUrl);
  const url = new URL(trimmed, base);
  if (url.origin !== base.origin || !`${url.pathname}/`.startsWith(`${DATA_ROOT}/`))
    refuse('The path leaves /services/data/.');
  return url;
}

/** The URL of a console request: a path as given, or a SOQL query at `/services/data/vNN.N/query?q=…`. */
export function consoleUrl(instanceUrl: string, request: ApiConsoleRequest, version: string): URL {
  if (request.kind === 'rest') return dataPathUrl(instanceUrl, request.path);
  const url = new URL(`${DATA_ROOT}/v${version}/query`, instanceUrl);
  url.searchParams.set('q', request.query.trim());
  return url;
}

/** A GET with the access token, read whatever its status; network failures and oversized answers throw. */
export async function sendGet(
  url: URL,
  accessToken: string,
  http: HttpOptions,
  signal: AbortSignal,
): Promise<RawAnswer> {
  if (!isSafeTransport(url)) {
    throw new AppError('sf/api_error', `Refusing to send a token to ${url.origin}: it is not an https address.`);
  }
  const started = performance.now();
  let response: Response;
  try {
    response = await boundedFetch({ ...http, maxBytes: http.maxBytes ?? CONSOLE_MAX_BYTES })(url, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
      signal,
    });
  } catch (e) {
    // The only answer boundedFetch refuses to read is one too large.
    if (isAppError(e, 'oauth/bad_response'))
      throw new AppError(
        'sf/api_error',
        `The answer is larger than the console reads. Ask for less: fewer fields, a LIMIT, or a narrower path.`,
        { cause: e },
      );
    throw e;
  }
  const text = await response.text();
  return {
    url: url.href,
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    text,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The newest version in an answer to `GET /services/data/`, or null when it is not that list. */
export function newestVersion(answer: RawAnswer): string | null {
  if (answer.status !== 200) return null;
  try {
    return parseApiVersions(JSON.parse(answer.text)).at(-1)?.version ?? null;
  } catch {
    return null;
  }
}

/** `Sforce-Limit-Info: api-usage=25/15000` (other entries, such as `per-app-api-usage`, are skipped). */
function limitInfoOf(headers: Headers): ApiConsoleResult['limitInfo'] {
  const m = /(?:^|[,;\s])api-usage=(\d+)\/(\d+)/.exec(headers.get('sforce-limit-info') ?? '');
  return m ? { used: Number(m[1]), max: Number(m[2]) } : null;
}

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return text.trim() === '' ? { ok: false } : { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Salesforce's own words in an error answer: `[{errorCode, message}]`, `{error, error_description}`, or text. */
function serverSays(answer: RawAnswer): string {
  const body = parsed(answer.text);
  const v = body.ok ? body.value : null;
  const first: unknown = Array.isArray(v) ? v[0] : v;
  if (typeof first === 'object' && first !== null) {
    const o = first as Record<string, unknown>;
    const parts = [o['errorCode'] ?? o['error'], o['message'] ?? o['error_description']].filter(
      (p): p is string => typeof p === 'string' && p !== '',
    );
    if (parts.length) return sanitizeServerText(parts.join(': '), 300);
  }
  return sanitizeServerText(answer.text.replace(/<[^>]*>/g, ' '), 160) || 'nothing';
}

/**
 * What an answer other than a 2xx means. `tokenWords` is what the app knows of the access token for a 401
 * (its status and what to do); the other statuses are about the request.
 */
export function explainStatus(answer: RawAnswer, tokenWords: string): string | null {
  const { status } = answer;
  if (status >= 200 && status < 300) return null;
  const said = `Salesforce said: ${serverSays(answer).replace(/\.$/, '')}.`;
  if (status === 401) return `${tokenWords} ${said}`;
  if (status === 420 || status === 429 || /REQUEST_LIMIT_EXCEEDED/.test(answer.text))
    return `The org is over an API limit (HTTP ${status}). Wait, or see Setup → Company Information for the daily limit. ${said}`;
  if (status === 403)
    return `Salesforce accepted the token but refused this request (HTTP 403): the user lacks a permission (such as API Enabled, or access to the object), or the app's scopes do not include "api". ${said}`;
  if (status === 404)
    return `Nothing at this path (HTTP 404). Check the path and the API version: GET /services/data/ lists the versions, and …/sobjects/ the objects. ${said}`;
  if (status === 400)
    return /MALFORMED_QUERY|INVALID_FIELD|INVALID_TYPE/.test(answer.text)
      ? `Salesforce could not run this query (HTTP 400). Check the object and field names and the SOQL syntax. ${said}`
      : `Salesforce refused the request as malformed (HTTP 400). ${said}`;
  if (status >= 300 && status < 400)
    return `Salesforce redirected the request (HTTP ${status}), which usually means a wrong instance URL: sign in to the org again.`;
  if (status >= 500) return `Salesforce failed to answer (HTTP ${status}). Try again later. ${said}`;
  return `Salesforce answered HTTP ${status}. ${said}`;
}

/** An answer as the console shows it: every header but an Authorization one, JSON pretty-printed, cut at a bound. */
export function shapeAnswer(answer: RawAnswer, explanation: string | null): ApiConsoleResult {
  const headers: ApiConsoleResult['headers'] = [];
  answer.headers.forEach((value, name) => {
    if (!/^(proxy-)?authorization$/i.test(name)) headers.push({ name, value });
  });
  const body = parsed(answer.text);
  const full = body.ok ? JSON.stringify(body.value, null, 2) : answer.text;
  const cut = full.length > BODY_LIMIT;
  return {
    url: answer.url,
    status: answer.status,
    statusText: answer.statusText,
    durationMs: answer.durationMs,
    headers,
    limitInfo: limitInfoOf(answer.headers),
    contentType: answer.headers.get('content-type'),
    body: cut ? full.slice(0, BODY_LIMIT) : full,
    json: body.ok,
    bodyTruncated: cut,
    explanation,
  };
}

/** A word for the shell: single quotes, with `'` written as `'\''` (POSIX sh). */
const posix = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
/** A PowerShell single-quoted string: every quote, including the typographic ones it also reads, doubled. */
const powershell = (s: string): string => `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;

/**
 * A stored access token in a ready-to-run form. `instanceUrl` may be null only for the bare header;
 * `version` is the REST API version the commands call.
 */
export function copyAsText(format: CopyFormat, token: string, instanceUrl: string | null, version: string): string {
  const root = instanceUrl === null ? '' : new URL(`${DATA_ROOT}/v${version}/`, instanceUrl).href;
  const instance = instanceUrl === null ? '' : new URL(instanceUrl).origin;
  switch (format) {
    case 'bearer-header':
      return `Authorization: Bearer ${token}`;
    case 'curl':
      return `curl -H ${posix(`Authorization: Bearer ${token}`)} ${posix(root)}`;
    case 'httpie':
      return `http GET ${posix(root)} ${posix(`Authorization:Bearer ${token}`)}`;
    case 'env-posix':
      return `export SF_ACCESS_TOKEN=${posix(token)}\nexport SF_INSTANCE_URL=${posix(instance)}`;
    case 'env-powershell':
      return `$env:SF_ACCESS_TOKEN = ${powershell(token)}\n$env:SF_INSTANCE_URL = ${powershell(instance)}`;
  }
}
