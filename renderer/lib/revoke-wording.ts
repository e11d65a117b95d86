/**
 * What the revoke and sign-out confirmations say: which token of which org (its type and last characters),
 * what stops working, and what still works afterwards.
 */
import type { OrgSummary, RevocableTokenKind } from '../../preload/contract';
import { orgBlocks } from './org-actions';
import { GRANT_LABEL, ORG_TYPE_LABEL } from './org-labels';
import { clockTime } from './token-evidence';

export interface Confirmation {
  title: string;
  message: string;
  /** What still works afterwards, one sentence each. */
  points: string[];
  confirm: string;
}

const typeOf = (org: OrgSummary): string =>
  org.orgType === 'unknown' ? 'unknown org type' : `${ORG_TYPE_LABEL[org.orgType]} org`;

const UNTOUCHED = "Sessions in the browser and other apps' tokens for this user are not affected.";

function idTokenPoint(org: OrgSummary, now: number): string[] {
  const id = org.tokens.find((t) => t.kind === 'id');
  if (!id) return [];
  return [
    id.expiresAt === null
      ? 'The ID token stays valid until its expiry: ID tokens cannot be revoked.'
      : `The ID token stays valid until ${clockTime(id.expiresAt, now)}: ID tokens cannot be revoked.`,
  ];
}

/** The confirmation before revoking one token of `org`. */
export function revokeConfirmation(org: OrgSummary, kind: RevocableTokenKind, now: number): Confirmation {
  const token = org.tokens.find((t) => t.kind === kind);
  const which = `${token ? ` …${token.hint}` : ''} of ${org.label} (${typeOf(org)})`;
  if (kind === 'refresh') {
    return {
      title: `Revoke the refresh token${which}?`,
      message:
        'At Salesforce this also revokes every access token issued from it: anything using them stops working, and this app will need you to sign in again (Re-authenticate).',
      points: [...idTokenPoint(org, now), UNTOUCHED],
      confirm: 'Revoke refresh token',
    };
  }
  const hasRefresh = org.tokens.some((t) => t.kind === 'refresh');
  const canRenew = orgBlocks(org, now).renew === null;
  const after = !canRenew
    ? 'Nothing can renew it, so you will need to sign in again.'
    : hasRefresh && !org.renewsByGrant
      ? 'The refresh token stays valid, so Refresh can get a new one.'
      : GRANT_LABEL[org.grant].renews;
  return {
    title: `Revoke the access token${which}?`,
    message: `API calls with this access token stop working. ${after}`,
    points: [...(hasRefresh ? ['The refresh token keeps working.'] : []), ...idTokenPoint(org, now), UNTOUCHED],
    confirm: 'Revoke access token',
  };
}

/** The confirmation before signing out of `org` (revoking what it can and removing it from this app). */
export function signOutConfirmation(org: OrgSummary): Confirmation {
  const hasRefresh = org.tokens.some((t) => t.kind === 'refresh');
  return {
    title: `Sign out of ${org.label}?`,
    message: hasRefresh
      ? 'This revokes the refresh token at Salesforce, which also ends every access token issued from it, and removes the org from this app.'
      : 'This revokes the access token at Salesforce and removes the org from this app.',
    points: [],
    confirm: 'Revoke and sign out',
  };
}
