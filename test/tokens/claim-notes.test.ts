/**
 * What Salesforce's ID token and asset token settings put in a token, read back from it
 * (main/tokens/claim-notes.ts), through the inspector that ships (inspectToken) and through an ID token the
 * Salesforce double issues for an app with custom attributes, custom permissions, more audiences and its
 * own validity.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaimRow, JwsInspection } from '../../preload/contract';
import { inspectToken } from '../../main/tokens/inspect-token';
import { signIn, startWorld, type World } from '../support/sign-in';

const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (payload: Record<string, unknown>) =>
  `${part({ alg: 'RS256', kid: 'k' })}.${part(payload)}.${'A'.repeat(342)}`;
const rowsOf = (token: string): Record<string, ClaimRow> => {
  const inspection = inspectToken(token) as JwsInspection;
  return Object.fromEntries(inspection.payload.map((r) => [r.name, r]));
};
const ID = {
  iss: 'https://acme.my.salesforce.com',
  sub: 'https://login.salesforce.com/id/00D/005',
  iat: 1_700_000_000,
};

describe('custom attributes and custom permissions', () => {
  it('are labelled groups of their members, in any token', () => {
    const rows = rowsOf(
      jwt({
        ...ID,
        aud: 'client',
        exp: ID.iat + 120,
        custom_attributes: { Region: 'EMEA', Tier: 'gold' },
        custom_permissions: { Approve_Refunds: true, See_Costs: false },
      }),
    );
    expect(rows['custom_attributes']).toMatchObject({
      format: 'custom-attributes',
      kind: 'object',
      entries: [
        { name: 'Region', display: 'EMEA' },
        { name: 'Tier', display: 'gold' },
      ],
      meaning: expect.stringMatching(/"Include Custom Attributes"/),
    });
    expect(rows['custom_permissions']).toMatchObject({
      format: 'custom-permissions',
      entries: [
        { name: 'Approve_Refunds', display: 'true' },
        { name: 'See_Costs', display: 'false' },
      ],
    });
  });

  it('stay plain values when they are not objects, and other objects stay ungrouped', () => {
    const rows = rowsOf(jwt({ ...ID, aud: 'c', custom_attributes: ['a'], custom_permissions: 'x', address: { a: 1 } }));
    expect(rows['custom_attributes']!.entries).toBeUndefined();
    expect(rows['custom_permissions']!.entries).toBeUndefined();
    expect(rows['address']!.entries).toBeUndefined();
  });
});

describe("an ID token's validity and audiences", () => {
  it('say how long it is valid, with the setting behind it', () => {
    const rows = rowsOf(jwt({ ...ID, aud: 'client', exp: ID.iat + 120 }));
    expect(rows['exp']!.note).toMatch(
      /^Valid for 2 minutes after it was issued \(exp − iat\)\. .*"ID Token Valid for": 1 to 720 minutes, 2 by default\.$/,
    );
    expect(rows['aud']!.note).toMatch(/^One audience: the consumer key .*"ID Token Audiences" adds more/);
    expect(rowsOf(jwt({ ...ID, aud: 'c', exp: ID.iat + 90 * 60 }))['exp']!.note).toMatch(
      /^Valid for 1 hour 30 minutes/,
    );
    expect(rowsOf(jwt({ ...ID, aud: 'c', exp: ID.iat + 12 * 3600 }))['exp']!.note).toMatch(/^Valid for 12 hours/);
  });

  it('say when the validity is outside what Salesforce allows, or does not follow iat', () => {
    expect(rowsOf(jwt({ ...ID, aud: 'c', exp: ID.iat + 45 }))['exp']!.note).toMatch(
      /^Valid for 45 seconds .*outside the 1 to 720 minutes/,
    );
    expect(rowsOf(jwt({ ...ID, aud: 'c', exp: ID.iat + 721 * 60 }))['exp']!.note).toMatch(/outside the 1 to 720/);
    expect(rowsOf(jwt({ ...ID, aud: 'c', exp: ID.iat - 5 }))['exp']!.note).toBe(
      'Expires before it was issued: "exp" is not after "iat".',
    );
    expect(rowsOf(jwt({ ...ID, aud: 'c', exp: '1700000120' }))['exp']!.note).toBeUndefined();
  });

  it('name the consumer key through azp among several audiences', () => {
    const rows = rowsOf(jwt({ ...ID, aud: ['3MVG9key', 'https://svc.example'], azp: '3MVG9key', exp: ID.iat + 60 }));
    expect(rows['aud']!.note).toMatch(
      /^2 audiences: "azp" names the consumer key of the app the token was issued to \(3MVG9key\); the others come from the app's ID token setting "ID Token Audiences"/,
    );
    const without = rowsOf(jwt({ ...ID, aud: ['a', 'b'], nonce: 'n' }));
    expect(without['aud']!.note).toMatch(/^2 audiences: one of them is the consumer key/);
  });

  it('are not added to other tokens', () => {
    const rows = rowsOf(
      jwt({ iss: ID.iss, sub: 'uid:005', aud: 'x', scp: ['api'], client_id: 'c', exp: ID.iat + 60, iat: ID.iat }),
    );
    expect(rows['exp']!.note).toBeUndefined();
    expect(rows['aud']!.note).toBeUndefined();
  });
});

describe('an ID token from an app with ID token settings', () => {
  let world: World | null = null;
  afterEach(async () => {
    await world?.close();
    world = null;
  });

  it('shows the custom attributes and permissions, the extra audience and the validity the app sets', async () => {
    world = await startWorld({
      app: {
        idToken: {
          validForMinutes: 10,
          audiences: ['https://orders.acme.example'],
          customAttributes: { Region: 'EMEA' },
          customPermissions: { Approve_Refunds: true },
        },
      },
    });
    const org = await signIn(world);
    const inspection = (await world.services.handlers.inspectOrgToken({ id: org.id, kind: 'id' })) as JwsInspection;
    const rows = Object.fromEntries(inspection.payload.map((r) => [r.name, r]));
    expect(rows['custom_attributes']!.entries).toEqual([{ name: 'Region', display: 'EMEA' }]);
    expect(rows['custom_permissions']!.entries).toEqual([{ name: 'Approve_Refunds', display: 'true' }]);
    expect(rows['exp']!.note).toMatch(/^Valid for 10 minutes/);
    expect(rows['aud']!.note).toContain(
      `"azp" names the consumer key of the app the token was issued to (${world.profile.consumerKey})`,
    );
    // The sign-in validated it: several audiences, with azp the client.
    const checks = Object.fromEntries(inspection.idTokenValidation!.checks.map((c) => [c.check, c.outcome]));
    expect(checks).toMatchObject({ aud: 'passed', azp: 'passed', signature: 'passed' });
  });
});
