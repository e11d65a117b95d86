/** `sf org list`'s result read into typed records: kinds, the default org, duplicates, and no token kept. */
import { describe, expect, it } from 'vitest';
import { parseOrgList } from '../../main/salesforce-cli/org-list';
import { expectNoSecret, PROD_TOKEN } from './support';

describe('parseOrgList', () => {
  const entry = (username: string, extra: Record<string, unknown> = {}) => ({
    username,
    orgId: '00D000000000009AAA',
    accessToken: PROD_TOKEN,
    instanceUrl: 'https://x.my.salesforce.com',
    ...extra,
  });

  it('keeps the first entry seen for a username and skips entries without one', () => {
    const orgs = parseOrgList({
      nonScratchOrgs: [entry('a@x.com', { alias: 'first', isSandbox: true }), { alias: 'nameless' }, null, 42],
      scratchOrgs: [],
      sandboxes: [entry('a@x.com', { alias: 'second', isSandbox: true })],
      other: [entry('b@x.com', { alias: 'B', defaultMarker: '(D),(U)' })],
    });
    expect(orgs.map((o) => [o.username, o.alias, o.kind, o.isDefault])).toEqual([
      ['b@x.com', 'B', 'production', true],
      ['a@x.com', 'first', 'sandbox', false],
    ]);
    expectNoSecret(orgs);
  });

  it('tells kinds from the flags and, failing those, from the hosts', () => {
    const kinds = parseOrgList({
      nonScratchOrgs: [
        entry('1', { instanceUrl: 'https://acme--dev.sandbox.my.salesforce.com' }),
        entry('2', { instanceUrl: 'https://acme.my.salesforce.com', loginUrl: 'https://test.salesforce.com' }),
        entry('3', { isScratch: true }),
        entry('4', { isDevHub: true, isSandbox: true }),
        entry('5', { instanceUrl: 'https://na1.salesforce.com', loginUrl: 'https://login.salesforce.com' }),
        entry('6', { instanceUrl: 'https://me.develop.my.salesforce.com' }),
        entry('7', { instanceUrl: 'not a url', loginUrl: null }),
      ],
      scratchOrgs: [entry('8', { isExpired: true, expirationDate: '2020-01-01', status: 'Expired' })],
    });
    expect(Object.fromEntries(kinds.map((o) => [o.username, o.kind]))).toEqual({
      '1': 'sandbox',
      '2': 'sandbox',
      '3': 'scratch',
      '4': 'devhub',
      '5': 'production',
      '6': 'production',
      '7': 'other',
      '8': 'scratch',
    });
    expect(kinds.find((o) => o.username === '8')).toMatchObject({ isExpired: true, connectedStatus: 'Expired' });
  });

  it('rejects a result that is not an org list', () => {
    for (const bad of [null, [], 'x', { nonScratchOrgs: [] }, { nonScratchOrgs: {}, scratchOrgs: [] }]) {
      expect(() => parseOrgList(bad)).toThrow(expect.objectContaining({ code: 'cli/bad_output' }));
    }
  });
});
