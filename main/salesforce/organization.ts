import type { OrgType } from '../../preload/contract';
import type { HttpOptions } from '../net/bounded-fetch';
import { getJson } from './http';
import { parseApiVersions } from './rest';

/** What the org says of itself: its name and kind, from the `Organization` object. */
export interface OrganizationFacts {
  name: string | null;
  orgType: OrgType;
}

/**
 * The org's kind as the Salesforce CLI tells it from the `Organization` object: a sandbox has `IsSandbox`;
 * a scratch org is a sandbox with a `TrialExpirationDate`; a Developer Edition says so in
 * `OrganizationType`; anything else is production. Null when the record is not shaped so.
 */
export function organizationFacts(body: unknown): OrganizationFacts | null {
  const records = typeof body === 'object' && body !== null ? (body as { records?: unknown }).records : undefined;
  const org: unknown = Array.isArray(records) ? records[0] : undefined;
  if (typeof org !== 'object' || org === null) return null;
  const o = org as Record<string, unknown>;
  if (typeof o['IsSandbox'] !== 'boolean') return null;
  const name = typeof o['Name'] === 'string' && o['Name'].trim() !== '' ? o['Name'].trim() : null;
  const trial = typeof o['TrialExpirationDate'] === 'string' && o['TrialExpirationDate'] !== '';
  const orgType: OrgType = o['IsSandbox']
    ? trial
      ? 'scratch'
      : 'sandbox'
    : o['OrganizationType'] === 'Developer Edition'
      ? 'developer'
      : 'production';
  return { name, orgType };
}

const QUERY = 'SELECT Name, IsSandbox, OrganizationType, TrialExpirationDate FROM Organization LIMIT 1';

/**
 * Asks the org for its name and kind (the REST API's newest version, then the `Organization` query), so a new
 * org is labelled and typed by what it is rather than by its host name. Null when the org does not answer
 * (a user without API access, another server): the caller then falls back to the host.
 */
export async function fetchOrganization(
  instanceUrl: string,
  accessToken: string,
  http: HttpOptions,
  signal?: AbortSignal,
): Promise<OrganizationFacts | null> {
  const init = signal ? { signal } : {};
  try {
    const versions = parseApiVersions(
      await getJson(new URL('/services/data/', instanceUrl).href, accessToken, http, 'the API version list', init),
    );
    const newest = versions.at(-1)?.version;
    if (!newest) return null;
    const url = new URL(`/services/data/v${newest}/query`, instanceUrl);
    url.searchParams.set('q', QUERY);
    return organizationFacts(await getJson(url.href, accessToken, http, 'the Organization query', init));
  } catch {
    return null;
  }
}
