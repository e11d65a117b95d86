/**
 * The fleet table's columns: which show at a width, and how each sorts. Everything here reads only the
 * summary fields the org list carries (see {@link FleetOrg}), so the fleet works on summaries alone.
 */
import type { OrgStatus, OrgListItem, OrgType, TokenBrief } from '../../preload/contract';

/** What the fleet may read of a token: never its scopes, hint, format or times of issue. */
export type FleetToken = Pick<TokenBrief, 'kind' | 'status' | 'expiresAt' | 'lastCheckedAt' | 'evidence'>;

/** What the fleet may read of an org. */
export type FleetOrg = Pick<
  OrgListItem,
  | 'id'
  | 'label'
  | 'orgId'
  | 'orgId18'
  | 'username'
  | 'displayName'
  | 'instanceUrl'
  | 'myDomain'
  | 'loginHost'
  | 'orgType'
  | 'status'
  | 'color'
  | 'group'
  | 'pinned'
  | 'grant'
  | 'renewsByGrant'
> & { tokens: readonly FleetToken[] };

export type FleetColumn = 'label' | 'type' | 'user' | 'orgId' | 'instance' | 'status' | 'expires' | 'checked';

interface ColumnDef {
  key: FleetColumn;
  title: string;
  /** What the column shows, when the title is short. */
  about?: string;
  /** Its width in the fixed table layout; none: it shares what is left. */
  width: string | null;
  /** It hides when the table is narrower than this (px), least important first. */
  hideBelow: number;
}

/** Left to right. The user column folds into the label's cell when it hides. */
const FLEET_COLUMNS: readonly ColumnDef[] = [
  { key: 'label', title: 'Org', width: null, hideBelow: 0 },
  { key: 'type', title: 'Type', width: '96px', hideBelow: 0 },
  { key: 'user', title: 'User', width: null, hideBelow: 600 },
  { key: 'orgId', title: 'Org ID', width: '158px', hideBelow: 1000 },
  { key: 'instance', title: 'Instance', width: null, hideBelow: 1120 },
  { key: 'status', title: 'Status and evidence', width: '34%', hideBelow: 0 },
  { key: 'expires', title: 'Expires', about: 'When the access token expires', width: '104px', hideBelow: 0 },
  {
    key: 'checked',
    title: 'Checked',
    about: 'When a server last answered about its tokens',
    width: '92px',
    hideBelow: 720,
  },
];

/** The columns that fit a table `width` px wide (0, not yet measured: all of them). */
export function columnsFor(width: number): ColumnDef[] {
  return FLEET_COLUMNS.filter((c) => width === 0 || width >= c.hideBelow);
}

export interface FleetSort {
  key: FleetColumn;
  dir: 'asc' | 'desc';
}

/** Worst first: what needs the user comes to the top when sorting by status. */
const STATUS_RANK: Record<OrgStatus, number> = {
  'needs-sign-in': 0,
  revoked: 1,
  'access-revoked': 2,
  expired: 3,
  expiring: 4,
  connected: 5,
};

/** Production first: the orgs where a mistake costs most. */
const TYPE_RANK: Record<OrgType, number> = { production: 0, sandbox: 1, developer: 2, scratch: 3, unknown: 4 };

/** When the access token expires (epoch ms), or null when there is none or its expiry is unknown. */
export function accessExpiry(org: FleetOrg): number | null {
  return org.tokens.find((t) => t.kind === 'access')?.expiresAt ?? null;
}

/**
 * When a server last answered about the org's access or refresh token (epoch ms): a check, an introspection
 * or a refusal; null when none has.
 */
export function lastCheck(org: FleetOrg): number | null {
  let at: number | null = null;
  for (const t of org.tokens) {
    if (t.kind === 'id') continue;
    for (const time of [t.lastCheckedAt, t.evidence.introspected?.at, t.evidence.refused?.at])
      if (typeof time === 'number') at = Math.max(at ?? 0, time);
  }
  return at;
}

/** The host of the instance URL ("acme.my.salesforce.com"), or null. */
export function instanceHost(org: FleetOrg): string | null {
  if (!org.instanceUrl) return null;
  try {
    return new URL(org.instanceUrl).host;
  } catch {
    return org.instanceUrl;
  }
}

type Key = string | number | null;

const KEY: Record<FleetColumn, (o: FleetOrg) => Key> = {
  label: (o) => o.label,
  type: (o) => TYPE_RANK[o.orgType],
  user: (o) => o.username,
  orgId: (o) => o.orgId18 ?? o.orgId,
  instance: instanceHost,
  status: (o) => STATUS_RANK[o.status],
  expires: accessExpiry,
  checked: lastCheck,
};

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function compareKeys(a: Key, b: Key): number {
  if (a === b) return 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/**
 * The orgs sorted by one column, a copy. Empty values (no user, no expiry) go last either way; ties keep the
 * label order. Each key is read once per org, not once per comparison.
 */
export function sortOrgs<O extends FleetOrg>(orgs: readonly O[], sort: FleetSort): O[] {
  const key = KEY[sort.key];
  const sign = sort.dir === 'asc' ? 1 : -1;
  const keyed = orgs.map((org) => ({ org, k: key(org) }));
  keyed.sort((x, y) => {
    if (x.k === null || y.k === null) {
      if (x.k !== y.k) return x.k === null ? 1 : -1;
    } else {
      const c = compareKeys(x.k, y.k);
      if (c !== 0) return c * sign;
    }
    return collator.compare(x.org.label, y.org.label) || (x.org.id === y.org.id ? 0 : x.org.id < y.org.id ? -1 : 1);
  });
  return keyed.map((k) => k.org);
}
