/** The one wording of a revocation's result (main/orgs/revocation.ts): which token, what stopped, what still works. */
import { describe, expect, it } from 'vitest';
import { revocationSummary, type RevocationFacts } from '../../main/orgs/revocation';
import { sampleOrg } from '../support/vault';

const org = sampleOrg('o1', { label: 'Acme UAT', orgType: 'sandbox' });
const facts = (extra: Partial<RevocationFacts>): RevocationFacts => ({
  kind: 'access',
  hint: 'AbCd',
  confirmed: { active: false },
  cascade: 'none',
  canRenew: true,
  salesforce: true,
  fromCli: false,
  ...extra,
});

describe('revocationSummary', () => {
  it('names the token, the org and its type, the proof, and the way to a new token', () => {
    const text = revocationSummary(org, facts({}));
    expect(text).toContain('the access token …AbCd of Acme UAT (sandbox)');
    expect(text).toContain('Introspection right after confirms it is inactive.');
    expect(text).toContain('The refresh token still works: Refresh gets a new access token.');
    expect(text).toContain('the ID token until its expiry');
  });

  it('says when the server could not confirm, or still calls the token active', () => {
    expect(revocationSummary(org, facts({ confirmed: null }))).toContain('could not confirm');
    expect(revocationSummary(org, facts({ confirmed: { active: true } }))).toContain('still calls it active');
  });

  it('for a refresh token, says what became of its access tokens, and to re-authenticate', () => {
    const refresh = (cascade: RevocationFacts['cascade'], salesforce = true) =>
      revocationSummary(org, facts({ kind: 'refresh', cascade, salesforce, canRenew: false }));
    expect(refresh('confirmed')).toContain('The access token issued from it stopped too');
    expect(refresh('documented')).toContain('Salesforce revokes the access tokens issued from it');
    expect(refresh('unknown', false)).toContain('may keep working until they expire');
    expect(refresh('confirmed')).toContain('Re-authenticate to get new tokens.');
  });

  it('says what the Salesforce CLI, which holds the same tokens, keeps or loses', () => {
    expect(revocationSummary(org, facts({ fromCli: true }))).toContain('sf gets a new access token');
    expect(revocationSummary(org, facts({ kind: 'refresh', fromCli: true, canRenew: false }))).toContain(
      'sf needs "sf org login web"',
    );
    expect(revocationSummary(org, facts({}))).not.toContain('Salesforce CLI');
  });
});
