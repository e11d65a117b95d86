import type { OrgSummary, TokenSummary } from '../../preload/contract';
import { to18 } from '../tokens/org-id';
import type { Vault } from '../vault/vault';
import { orgStatusAt, tokenStatusAt } from '../../preload/token-status';
import { renewsWithoutRefreshToken } from './token-lifecycle';

/** What the window shows of an org: its record, and each token's status now. */
export function summarizeOrg(vault: Vault, id: string, now: number): OrgSummary {
  const { record, tokens } = vault.requireOrg(id);
  // Field by field: a token's validation record and its predecessor's claims are for the inspection only.
  const summaries: TokenSummary[] = tokens.map((m) => ({
    kind: m.kind,
    format: m.format,
    scopes: m.scopes,
    issuedAt: m.issuedAt,
    expiresAt: m.expiresAt,
    status: tokenStatusAt(m, now),
    lastCheckedAt: m.lastCheckedAt,
    hint: m.hint,
    evidence: m.evidence,
    previousReplacedAt: m.previous?.replacedAt ?? null,
  }));
  const orgId = record.orgId;
  return {
    id: record.id,
    label: record.label,
    orgId: orgId ? orgId.slice(0, 15) : null,
    orgId18: orgId ? (orgId.length === 15 ? to18(orgId) : orgId) : null,
    userId: record.userId,
    username: record.username,
    displayName: record.displayName,
    instanceUrl: record.instanceUrl,
    myDomain: record.myDomain,
    loginHost: record.loginHost,
    orgType: record.orgType,
    status: orgStatusAt(summaries, record.needsSignIn, now, renewsWithoutRefreshToken(record)),
    color: record.color,
    group: record.group,
    pinned: record.pinned,
    profileId: record.profileId,
    grant: record.grant,
    refreshAhead: record.refreshAhead ?? false,
    renewsByGrant: renewsWithoutRefreshToken(record),
    tokens: summaries,
    addedAt: record.addedAt,
    updatedAt: record.updatedAt,
  };
}
