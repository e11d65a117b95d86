/** What an org says of itself: its name and kind from the Organization query, at the double and from odd answers. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchOrganization, organizationFacts } from '../../main/salesforce/organization';
import { signInAtDouble, startDoubleWorld, type DoubleWorld } from '../oauth/support';

let world: DoubleWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const record = (fields: Record<string, unknown>) => ({ totalSize: 1, done: true, records: [fields] });

describe('organizationFacts', () => {
  it('tells production, sandbox, scratch and Developer Edition apart as the Salesforce CLI does', () => {
    expect(
      organizationFacts(record({ Name: 'Acme', IsSandbox: false, OrganizationType: 'Enterprise Edition' })),
    ).toEqual({
      name: 'Acme',
      orgType: 'production',
    });
    expect(organizationFacts(record({ Name: 'Acme', IsSandbox: true, TrialExpirationDate: null }))!.orgType).toBe(
      'sandbox',
    );
    expect(
      organizationFacts(
        record({ Name: 'Scratch', IsSandbox: true, TrialExpirationDate: '2026-12-09T00:00:00.000+0000' }),
      )!.orgType,
    ).toBe('scratch');
    expect(
      organizationFacts(record({ Name: 'Dev', IsSandbox: false, OrganizationType: 'Developer Edition' }))!.orgType,
    ).toBe('developer');
  });

  it('answers null for shapes it cannot trust', () => {
    expect(organizationFacts(null)).toBeNull();
    expect(organizationFacts({ records: [] })).toBeNull();
    expect(organizationFacts(record({ Name: 'Acme' }))).toBeNull();
    expect(organizationFacts(record({ Name: '  ', IsSandbox: false }))).toEqual({ name: null, orgType: 'production' });
  });
});

describe('fetchOrganization', () => {
  it('reads the name and kind of a production org and of a sandbox at the double', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    expect(await fetchOrganization(tokens.instanceUrl!, tokens.accessToken, {})).toEqual({
      name: expect.any(String),
      orgType: 'production',
    });
    expect(world.double.requests).toEqual(
      expect.arrayContaining(['GET /services/data/', expect.stringMatching(/^GET \/services\/data\/v62\.0\/query/)]),
    );
  });

  it('answers null, never throws, for a revoked token or a server that answers HTML', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    world.double.advance(2 * 3600_000 + 1);
    expect(await fetchOrganization(tokens.instanceUrl!, tokens.accessToken, {})).toBeNull();
    const html = createServer((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>hi</html>'),
    );
    await new Promise<void>((r) => html.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(html.address() as AddressInfo).port}`;
      expect(await fetchOrganization(url, 'token', {})).toBeNull();
    } finally {
      await new Promise((r) => html.close(r));
    }
  });
});
