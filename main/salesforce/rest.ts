import type { TokenTestResult } from '../../preload/contract';
import { AppError } from '../errors';
import type { HttpOptions } from '../net/bounded-fetch';
import { getJson } from './http';

/** One entry of `GET /services/data/` ("List Available REST API Versions", REST API Developer Guide). */
export interface ApiVersion {
  version: string;
  label: string;
  url: string;
}

/** Parses the version list, oldest first; malformed entries are dropped. */
export function parseApiVersions(body: unknown): ApiVersion[] {
  if (!Array.isArray(body)) {
    throw new AppError('sf/api_error', 'Salesforce did not list its API versions. Check the instance URL.');
  }
  return body
    .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    .map((v) => ({ version: text(v['version']), label: text(v['label']), url: text(v['url']) }))
    .filter((v) => /^\d+\.\d+$/.test(v.version))
    .sort((a, b) => Number(a.version) - Number(b.version));
}

/** Parses `GET /services/data/vNN.0/limits` ("Limits", REST API Developer Guide) into rows. */
export function parseLimits(body: unknown): TokenTestResult['limits'] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  return Object.entries(body)
    .map(([name, v]) => {
      const o = (typeof v === 'object' && v !== null ? v : {}) as { Max?: unknown; Remaining?: unknown };
      return { name, max: Number(o.Max), remaining: Number(o.Remaining) };
    })
    .filter((l) => Number.isFinite(l.max) && Number.isFinite(l.remaining));
}

/**
 * "Test the token" against the Salesforce REST API: `GET <instance>/services/data/` (API versions), then
 * `GET <instance>/services/data/vNN.0/limits` for the newest version. An expired or revoked token
 * (401 `INVALID_SESSION_ID`) throws `sf/session_expired`, so the caller can refresh once and retry.
 */
export async function testToken(
  instanceUrl: string,
  accessToken: string,
  http: HttpOptions = {},
): Promise<TokenTestResult> {
  const versions = parseApiVersions(
    await getJson(new URL('/services/data/', instanceUrl).href, accessToken, http, 'the API version list'),
  );
  const newest = versions.at(-1)?.version;
  const limits = newest
    ? parseLimits(
        await getJson(
          new URL(`/services/data/v${newest}/limits`, instanceUrl).href,
          accessToken,
          http,
          'the limits request',
        ),
      )
    : [];
  const api = limits.find((l) => l.name === 'DailyApiRequests');
  return {
    ok: true,
    httpStatus: 200,
    apiVersions: versions.map((v) => v.version),
    limits,
    refreshed: false,
    message: `The token works: API v${newest ?? '?'}${api ? `, ${api.remaining.toLocaleString('en')} of ${api.max.toLocaleString('en')} daily API requests left` : ''}.`,
  };
}

/** @deprecated The earlier name of {@link testToken}. */
export const testRestApi = testToken;

/** A JSON string or number as text; anything else (an object, null) is no text. */
function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
