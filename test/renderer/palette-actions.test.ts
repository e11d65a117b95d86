import { describe, expect, it } from 'vitest';
import type { TokenSummary } from '../../preload/contract';
import { actionsFor } from '../../renderer/lib/palette-actions';
import { org } from './support';

const token = (kind: TokenSummary['kind']): TokenSummary => ({
  kind,
  format: 'opaque',
  scopes: [],
  issuedAt: null,
  expiresAt: null,
  status: 'active',
  lastCheckedAt: null,
  hint: '…abcd',
  evidence: { expirySource: null, introspected: null, revoked: null, refused: null },
  previousReplacedAt: null,
});

describe('palette actions offered for an org', () => {
  it('offers only what can work: no copy or browser without an access token and instance', () => {
    expect(actionsFor(org('a', { tokens: [] }))).toEqual(['open', 'reauthenticate']);
  });

  it('offers everything for a signed-in org with all three tokens', () => {
    const full = org('a', {
      instanceUrl: 'https://acme.my.salesforce.com',
      tokens: ['access', 'refresh', 'id'].map((k) => token(k as TokenSummary['kind'])),
    });
    expect(actionsFor(full)).toEqual([
      'open',
      'browser',
      'refresh',
      'reauthenticate',
      'inspect-access',
      'inspect-id',
      'copy-curl',
      'copy-bearer',
    ]);
  });

  it('offers refresh for a grant that renews by running again', () => {
    expect(actionsFor(org('a', { renewsByGrant: true, tokens: [token('access')] }))).toContain('refresh');
  });
});
