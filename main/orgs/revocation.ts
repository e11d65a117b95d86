import type { OrgType, RevocableTokenKind } from '../../preload/contract';
import type { OrgRecord } from '../vault/records';
import { TOKEN_NAMES } from './token-lifecycle';

const ORG_TYPE_NAMES: Record<OrgType, string> = {
  production: 'production org',
  sandbox: 'sandbox',
  developer: 'Developer Edition org',
  scratch: 'scratch org',
  unknown: 'unknown org type',
};

/** What the server said right after a revocation, if it could be asked. */
export interface RevocationFacts {
  kind: RevocableTokenKind;
  /** The revoked token's last characters. */
  hint: string;
  /** Introspection of the revoked token right after; null when the server offers none or it failed. */
  confirmed: { active: boolean } | null;
  /** For a refresh token: what became of the access token issued from it. */
  cascade: 'confirmed' | 'documented' | 'unknown' | 'none';
  /** Whether the org can still get a new access token without the user (an unrevoked refresh token, a grant). */
  canRenew: boolean;
  salesforce: boolean;
  /** The org came from the Salesforce CLI, which holds the same tokens. */
  fromCli: boolean;
}

/** The one wording of a revocation's result: which token of which org, what stopped, what still works. */
export function revocationSummary(record: OrgRecord, facts: RevocationFacts): string {
  const which = `the ${TOKEN_NAMES[facts.kind]} …${facts.hint} of ${record.label} (${ORG_TYPE_NAMES[record.orgType]})`;
  const proof =
    facts.confirmed === null
      ? 'The server offers no introspection, so it could not confirm.'
      : facts.confirmed.active
        ? 'Yet introspection right after still calls it active: check the token at the server.'
        : 'Introspection right after confirms it is inactive.';
  const stopped =
    facts.kind === 'access'
      ? ''
      : {
          confirmed: ' The access token issued from it stopped too (introspection says inactive).',
          documented: ` ${facts.salesforce ? 'Salesforce' : 'The server'} revokes the access tokens issued from it as well.`,
          unknown:
            ' Access tokens issued from it may keep working until they expire, unless the server revoked them with it (RFC 7009 §2.1).',
          none: '',
        }[facts.cascade];
  const next =
    facts.kind === 'access' && facts.canRenew
      ? 'The refresh token still works: Refresh gets a new access token.'
      : 'Re-authenticate to get new tokens.';
  const cli = !facts.fromCli
    ? ''
    : facts.kind === 'access'
      ? ' The Salesforce CLI holds the same tokens (the org was imported from it): sf gets a new access token with its refresh token.'
      : ' The Salesforce CLI held this same refresh token (the org was imported from it): sf needs "sf org login web" for this user again.';
  return `Revoked ${which}. ${proof}${stopped}${cli} ${next} Still valid: the ID token until its expiry (ID tokens cannot be revoked), sessions in the browser, and other apps' tokens for this user.`;
}
