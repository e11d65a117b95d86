/**
 * What the app already knows about an ID a claim carries: the stored orgs with that org ID or user ID, the
 * app profiles with that consumer key (and the orgs signed in with them).
 */
import type { AppProfile, ClaimRef, OrgListItem } from '../../preload/contract';

export type ClaimLink = { kind: 'org'; id: string; label: string } | { kind: 'profile'; id: string; label: string };

/** Salesforce IDs compare on their first 15 characters (the 18-character form adds a case checksum). */
function sameSalesforceId(a: string | null, b: string): boolean {
  if (a === null || a.length < 15 || b.length < 15) return false;
  return a.slice(0, 15) === b.slice(0, 15);
}

/** The orgs and app profiles an ID names, in the sidebar's order; empty when the app knows none. */
export function linksOf(ref: ClaimRef, orgs: readonly OrgListItem[], profiles: readonly AppProfile[]): ClaimLink[] {
  const orgLink = (o: OrgListItem): ClaimLink => ({ kind: 'org', id: o.id, label: o.label });
  if (ref.kind === 'org') return orgs.filter((o) => sameSalesforceId(o.orgId18 ?? o.orgId, ref.value)).map(orgLink);
  if (ref.kind === 'user') return orgs.filter((o) => sameSalesforceId(o.userId, ref.value)).map(orgLink);
  const apps = profiles.filter((p) => p.consumerKey === ref.value);
  const ids = new Set(apps.map((p) => p.id));
  return [
    ...apps.map((p): ClaimLink => ({ kind: 'profile', id: p.id, label: p.name })),
    ...orgs.filter((o) => o.profileId !== null && ids.has(o.profileId)).map(orgLink),
  ];
}
