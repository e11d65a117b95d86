import type { TokenTestResult } from '../../preload/contract';
import type { HttpOptions } from '../oauth/http';
import { getJson } from './http';

/**
 * "Test the token": `GET /services/data/` (API versions) and `GET /services/data/vNN.0/limits` on the
 * instance, as Salesforce's REST API describes them. A 401 throws `sf/session_expired`.
 */
export async function testRestApi(
  instanceUrl: string,
  accessToken: string,
  http: HttpOptions = {},
): Promise<Omit<TokenTestResult, 'refreshed'>> {
  const versions = await getJson(
    new URL('/services/data/', instanceUrl).href,
    accessToken,
    http,
    'the API version list',
  );
  const list = Array.isArray(versions)
    ? versions
        .map((v) => (typeof v === 'object' && v !== null ? String((v as { version?: unknown }).version ?? '') : ''))
        .filter(Boolean)
    : [];
  const newest = [...list].sort((a, b) => Number(b) - Number(a))[0];
  let limits: TokenTestResult['limits'] = [];
  if (newest) {
    const raw = (await getJson(
      new URL(`/services/data/v${newest}/limits`, instanceUrl).href,
      accessToken,
      http,
      'the limits request',
    )) as Record<string, unknown>;
    limits = Object.entries(raw)
      .map(([name, v]) => {
        const o = (typeof v === 'object' && v !== null ? v : {}) as { Max?: unknown; Remaining?: unknown };
        return { name, max: Number(o.Max), remaining: Number(o.Remaining) };
      })
      .filter((l) => Number.isFinite(l.max) && Number.isFinite(l.remaining));
  }
  const api = limits.find((l) => l.name === 'DailyApiRequests');
  return {
    ok: true,
    httpStatus: 200,
    apiVersions: list,
    limits,
    message: `The token works: API v${newest ?? '?'}${api ? `, ${api.remaining.toLocaleString('en')} of ${api.max.toLocaleString('en')} daily API requests left` : ''}.`,
  };
}
