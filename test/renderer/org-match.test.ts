import { describe, expect, it } from 'vitest';
import { matchOrg } from '../../renderer/lib/org-match';
import { org } from './support';

describe('one matching rule for the palette and the sidebar', () => {
  const acme = org('a', {
    label: 'Acme production',
    username: 'admin@acme.example',
    myDomain: 'acme-prod.my.salesforce.com',
    orgId: '00D5g000004XYZA',
    orgId18: '00D5g000004XYZAEA2',
    group: 'Client Acme',
  });

  it('matches label and username with what to highlight', () => {
    expect(matchOrg('acpr', acme)).toMatchObject({ label: [0, 1, 5, 6], via: null });
    expect(matchOrg('admin', acme)!.username).toEqual([0, 1, 2, 3, 4]);
  });

  it('names another field when it matched better, and refuses what matches nothing', () => {
    expect(matchOrg('00D5g000004', acme)!.via).toBe('org ID');
    expect(matchOrg('acme-prod.my', acme)!.via).toBe('My Domain');
    expect(matchOrg('zzz', acme)).toBeNull();
  });

  it('matches every org with an empty query', () => {
    expect(matchOrg('', org('b'))).toMatchObject({ score: 0, label: [] });
  });
});
