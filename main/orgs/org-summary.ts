import type { OrgSummary, TokenSummary } from '../../preload/contract';
import { to18 } from '../tokens/org-id';
import type { Vault } from '../vault/vault';
import { orgStatusAt, tokenStatusAt } from '../../preload/token-status';
import { renewsWithoutRefreshToken } from './token-lifecycle';

/** What the window shows of an org: its record, and each token's status now. */
export function summarizeOrg(vault: Vault, id: string, now: number): OrgSummary {
  const { record, tokens } = vault.requireOrg(id);
  const summaries: TokenSummary[] = tokens.map((m) => ({ ...m, status: tokenStatusAt(m, now) }));
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
    renewsByGrant: renewsWithoutRefreshToken(record),
    tokens: summaries,
    addedAt: record.addedAt,
    updatedAt: record.updatedAt,
  };
}
