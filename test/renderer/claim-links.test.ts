import { describe, expect, it } from 'vitest';
import type { AppProfile } from '../../preload/contract';
import { linksOf } from '../../renderer/lib/claim-links';
import { org } from './support';

const profile = (id: string, consumerKey: string): AppProfile => ({
  id,
  name: `App ${id}`,
  kind: 'connected-app',
  consumerKey,
  hasSecret: false,
  hasPrivateKey: false,
  callbackUrl: 'http://localhost:1717/OauthRedirect',
  scopes: [],
  resource: null,
  audience: null,
});

describe('IDs in claims tied to what the app knows', () => {
  const orgs = [
    org('a', {
      label: 'Acme production',
      orgId: '00D5g000004XYZA',
      orgId18: '00D5g000004XYZAEA4',
      userId: '0055g00000AbCdE',
      profileId: 'p1',
    }),
    org('b', { label: 'Globex', orgId18: '00D7F000001uatBUAQ', userId: '0057F000002uatAQAQ', profileId: 'p2' }),
  ];
  const profiles = [profile('p1', '3MVG9test.consumer.key'), profile('p2', 'other')];

  it('finds the stored org by org ID or user ID, 15 or 18 characters', () => {
    expect(linksOf({ kind: 'org', value: '00D5g000004XYZAEA4' }, orgs, profiles)).toEqual([
      { kind: 'org', id: 'a', label: 'Acme production' },
    ]);
    expect(linksOf({ kind: 'user', value: '0055g00000AbCdEAAV' }, orgs, profiles)).toEqual([
      { kind: 'org', id: 'a', label: 'Acme production' },
    ]);
    expect(linksOf({ kind: 'user', value: '0055g00000ZZZZZAAV' }, orgs, profiles)).toEqual([]);
    expect(linksOf({ kind: 'org', value: 'short' }, orgs, profiles)).toEqual([]);
  });

  it('finds the app profile by consumer key, and the orgs signed in with it', () => {
    expect(linksOf({ kind: 'client', value: '3MVG9test.consumer.key' }, orgs, profiles)).toEqual([
      { kind: 'profile', id: 'p1', label: 'App p1' },
      { kind: 'org', id: 'a', label: 'Acme production' },
    ]);
    expect(linksOf({ kind: 'client', value: 'unknown' }, orgs, profiles)).toEqual([]);
  });
});
