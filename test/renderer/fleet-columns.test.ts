/** The fleet table's columns: which fit a width, and how each sorts (empty values last, ties by label). */
import { describe, expect, it } from 'vitest';
import type { OrgSummary, TokenSummary } from '../../preload/contract';
import { NO_EVIDENCE } from '../../preload/token-status';
import { columnsFor, instanceHost, lastCheck, sortOrgs, type FleetColumn } from '../../renderer/lib/fleet-columns';
import { org } from './support';

const access = (expiresAt: number | null, lastCheckedAt: number | null = null): TokenSummary => ({
  kind: 'access',
  format: 'opaque',
  scopes: [],
  issuedAt: null,
  expiresAt,
  status: 'active',
  lastCheckedAt,
  hint: '…abcd',
  evidence: NO_EVIDENCE,
  previousReplacedAt: null,
});

const ids = (orgs: OrgSummary[]) => orgs.map((o) => o.id);

describe('fleet columns', () => {
  it('hides the instance, then the org ID, the last check and the user as the table narrows', () => {
    const keys = (w: number) => columnsFor(w).map((c) => c.key);
    expect(keys(0)).toEqual(keys(1200));
    expect(keys(1200)).toEqual(['label', 'type', 'user', 'orgId', 'instance', 'status', 'expires', 'checked']);
    expect(keys(950)).toEqual(['label', 'type', 'user', 'status', 'expires', 'checked']);
    expect(keys(700)).toEqual(['label', 'type', 'user', 'status', 'expires']);
    expect(keys(572)).toEqual(['label', 'type', 'status', 'expires']);
  });

  it('sorts by each column, empty values last in either direction, ties by label', () => {
    const orgs = [
      org('p', {
        label: 'Prod 10',
        orgType: 'production',
        username: 'zed@x',
        status: 'connected',
        tokens: [access(5000)],
      }),
      org('s', {
        label: 'Sandbox 2',
        orgType: 'sandbox',
        username: null,
        status: 'revoked',
        tokens: [access(1000, 7)],
      }),
      org('d', { label: 'Dev 1', orgType: 'developer', username: 'amy@x', status: 'expired', tokens: [] }),
      org('q', {
        label: 'Prod 9',
        orgType: 'production',
        username: 'bob@x',
        status: 'connected',
        tokens: [access(null, 3)],
      }),
    ];
    const by = (key: FleetColumn, dir: 'asc' | 'desc' = 'asc') => ids(sortOrgs(orgs, { key, dir }));
    // Numbers in labels sort as numbers: "Prod 9" before "Prod 10".
    expect(by('label')).toEqual(['d', 'q', 'p', 's']);
    expect(by('label', 'desc')).toEqual(['s', 'p', 'q', 'd']);
    expect(by('type')).toEqual(['q', 'p', 's', 'd']);
    expect(by('user')).toEqual(['d', 'q', 'p', 's']);
    expect(by('user', 'desc')).toEqual(['p', 'q', 'd', 's']);
    expect(by('status')).toEqual(['s', 'd', 'q', 'p']);
    expect(by('expires')).toEqual(['s', 'p', 'd', 'q']);
    expect(by('expires', 'desc')).toEqual(['p', 's', 'd', 'q']);
    expect(by('checked', 'desc')).toEqual(['s', 'q', 'd', 'p']);
    expect(ids(orgs)).toEqual(['p', 's', 'd', 'q']);
  });

  it('takes the last check from any server answer, and the host of the instance', () => {
    const answered = org('a', {
      instanceUrl: 'https://acme.my.salesforce.com',
      tokens: [{ ...access(null, 5), evidence: { ...NO_EVIDENCE, introspected: { at: 9, active: true } } }],
    });
    expect(lastCheck(answered)).toBe(9);
    expect(lastCheck(org('b'))).toBeNull();
    expect(instanceHost(answered)).toBe('acme.my.salesforce.com');
    expect(instanceHost(org('b'))).toBeNull();
    expect(instanceHost(org('c', { instanceUrl: 'not a url' }))).toBe('not a url');
  });
});
