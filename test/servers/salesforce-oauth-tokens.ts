/**
 * The `OauthToken` object of the Salesforce double (a fixture, not product code). Each grant of an org (a
 * refresh token with the access tokens issued from it) is a row: `Id`, `AppName`, `AppMenuItemId`, `UserId`,
 * `User.Name`, `User.Username`, `CreatedDate`, `LastUsedDate`, `UseCount`, `DeleteToken`. A user with
 * `admin` (Customize Application / Manage Users) gets every user's rows; anyone else only their own, as
 * Salesforce answers. `UserPermissionAccess` answers the signed-in user's permissions. A row's `DeleteToken`
 * sent to the revocation endpoint revokes the grant: its refresh token and every access token issued from it.
 * The data API (test/servers/salesforce-data-api.ts) pages the rows through `nextRecordsUrl` like any query.
 */
import { createHash, randomBytes } from 'node:crypto';
import { to18 } from '../../main/tokens/org-id';
import type { DoubleApp, DoubleOrg, DoubleUser } from './salesforce-double';

/** A refresh token the double holds (the double's own record has these fields). */
interface Grant {
  kind: 'refresh';
  org: DoubleOrg;
  user: DoubleUser;
  app: DoubleApp;
  scopes: string[];
  issuedAt: number;
  revoked: boolean;
}
/** An access token the double holds, and the refresh token it came from. */
interface Use {
  kind: 'access';
  refresh: string | null;
  issuedAt: number;
  revoked: boolean;
}

/** A query error, sent as `[{message, errorCode}]` like the data API's own. */
export class SoqlError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** Grants made up for a test: `count` refresh tokens of one user for one app, used as given. */
export interface SeededGrants {
  /** The org (default: the double's first). */
  orgId?: string;
  /** The app (default: the double's first). */
  clientId?: string;
  username: string;
  count?: number;
  /** Created this long before now (default one day). */
  createdAgoMs?: number;
  /** Last used this long before now; null: never used. */
  usedAgoMs?: number | null;
  useCount?: number;
}

const FIELDS = [
  'Id',
  'AppName',
  'AppMenuItemId',
  'UserId',
  'User.Name',
  'User.Username',
  'CreatedDate',
  'LastUsedDate',
  'UseCount',
  'DeleteToken',
] as const;
const PERMISSIONS = [
  'PermissionsCustomizeApplication',
  'PermissionsManageUsers',
  'PermissionsModifyAllData',
  'PermissionsApiEnabled',
] as const;

type Row = Record<string, unknown>;
interface Table {
  rows(viewer: DoubleUser): Row[];
}
const tables = new WeakMap<DoubleOrg, Table>();

/** Salesforce's dateTime form in query results: `2026-12-02T07:00:00.000+0000`. */
const sfDate = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toISOString().replace('Z', '+0000');

/** An 18-character record Id with a key prefix, derived from a seed so that it stays the same. */
function recordId(prefix: string, seed: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(seed).digest('hex').slice(0, 12)}`)
    .toString(36)
    .padStart(12, '0')
    .slice(0, 12);
  return to18(`${prefix}${digits}`);
}

/**
 * The OauthToken rows of the double's orgs, read from the refresh tokens it holds (`tokens`, the double's own
 * map). Returns how the revocation endpoint takes a DeleteToken and how a test makes up grants.
 */
export function createOauthTokens(
  orgs: readonly DoubleOrg[],
  apps: readonly DoubleApp[],
  tokens: Map<string, Grant | Use>,
  now: () => number,
  newRefreshToken: () => string,
) {
  /** Per refresh token: its row's Id and DeleteToken (made when first listed). */
  const handles = new Map<string, { id: string; deleteToken: string }>();
  const byDeleteToken = new Map<string, string>();
  /** Usage of made-up grants, which no access token was issued from. */
  const seededUse = new Map<string, { useCount: number; lastUsed: number | null }>();

  function handleOf(refresh: string): { id: string; deleteToken: string } {
    let h = handles.get(refresh);
    if (!h) {
      h = { id: recordId('0CR', refresh), deleteToken: randomBytes(36).toString('base64') };
      handles.set(refresh, h);
      byDeleteToken.set(h.deleteToken, refresh);
    }
    return h;
  }

  function rowsOf(org: DoubleOrg, viewer: DoubleUser): Row[] {
    const rows: Row[] = [];
    for (const [token, rec] of tokens) {
      if (rec.kind !== 'refresh' || rec.revoked || rec.org !== org) continue;
      if (!viewer.admin && rec.user.userId !== viewer.userId) continue;
      let uses = seededUse.get(token);
      if (!uses) {
        const issued = [...tokens.values()].filter((t) => t.kind === 'access' && t.refresh === token);
        uses = { useCount: issued.length, lastUsed: issued.length ? Math.max(...issued.map((t) => t.issuedAt)) : null };
      }
      const { id, deleteToken } = handleOf(token);
      rows.push({
        Id: id,
        AppName: rec.app.name ?? rec.app.clientId,
        AppMenuItemId: recordId('0DS', rec.app.clientId),
        UserId: rec.user.userId,
        'User.Name': rec.user.displayName,
        'User.Username': rec.user.username,
        CreatedDate: sfDate(rec.issuedAt),
        LastUsedDate: sfDate(uses.lastUsed),
        UseCount: uses.useCount,
        DeleteToken: deleteToken,
      });
    }
    return rows;
  }

  for (const org of orgs) tables.set(org, { rows: (viewer) => rowsOf(org, viewer) });

  return {
    /** The revocation endpoint's part: true when `token` is a DeleteToken, whose grant is now revoked. */
    revoke(token: string): boolean {
      const refresh = byDeleteToken.get(token);
      if (refresh === undefined) return false;
      byDeleteToken.delete(token);
      const rec = tokens.get(refresh);
      if (rec) rec.revoked = true;
      for (const t of tokens.values()) if (t.kind === 'access' && t.refresh === refresh) t.revoked = true;
      return true;
    },

    /** Makes up grants (real refresh tokens of the double); returns the refresh tokens. */
    seed(s: SeededGrants): string[] {
      const org = s.orgId ? orgs.find((o) => o.orgId === s.orgId) : orgs[0];
      const app = s.clientId ? apps.find((a) => a.clientId === s.clientId) : apps[0];
      const user = org?.users.find((u) => u.username === s.username);
      if (!org || !app || !user) throw new Error(`No such org, app or user to seed grants for: ${s.username}`);
      const made: string[] = [];
      for (let i = 0; i < (s.count ?? 1); i++) {
        const refresh = newRefreshToken();
        const issuedAt = now() - (s.createdAgoMs ?? 86_400_000) - i * 60_000;
        tokens.set(refresh, {
          kind: 'refresh',
          org,
          user,
          app,
          scopes: ['api', 'refresh_token'],
          issuedAt,
          revoked: false,
        });
        const used = s.usedAgoMs === undefined ? 3_600_000 : s.usedAgoMs;
        seededUse.set(refresh, { useCount: s.useCount ?? 1, lastUsed: used === null ? null : now() - used - i * 1000 });
        made.push(refresh);
      }
      return made;
    },
  };
}

const SHAPE =
  /^SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+([\w.]+)\s*=\s*'([^']*)')?(?:\s+ORDER\s+BY\s+([\w.]+)(?:\s+(ASC|DESC))?)?(?:\s+LIMIT\s+(\d+))?\s*$/i;

function invalidField(query: string, field: string, object: string): SoqlError {
  const column = query.indexOf(field) + 1;
  return new SoqlError(
    400,
    'INVALID_FIELD',
    `\n${query}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:1:Column:${column}\nNo such column '${field}' on entity '${object}'.`,
  );
}

/** A row with its `User.*` fields as Salesforce nests them: `User: {attributes, Name, Username}`. */
function shaped(row: Row, fields: readonly string[], version: string): Row {
  const out: Row = {};
  for (const f of fields) {
    const [head = '', tail] = f.split('.');
    if (tail === undefined) out[head] = row[f] ?? null;
    else {
      const user = (out[head] ??= {
        attributes: { type: 'User', url: `/services/data/v${version}/sobjects/User/${String(row['UserId'])}` },
      }) as Row;
      user[tail] = row[f] ?? null;
    }
  }
  return out;
}

/**
 * A query of `OauthToken` (`SELECT fields FROM OauthToken [WHERE field = '…'] [ORDER BY field [ASC|DESC]]
 * [LIMIT n]`) or of `UserPermissionAccess`, as `viewer` may see it; null for any other object.
 */
export function queryOauthTokens(
  query: string,
  org: DoubleOrg,
  viewer: DoubleUser,
  version: string,
): { type: string; records: Row[] } | null {
  const m = SHAPE.exec(query);
  const object = m?.[2]?.toLowerCase();
  const table = tables.get(org);
  if (!m || !table || (object !== 'oauthtoken' && object !== 'userpermissionaccess')) return null;
  const [, list = '', , where, value, order, direction, limit] = m;
  const requested = list.split(',').map((f) => f.trim());
  if (object === 'userpermissionaccess') {
    const fields = requested.map((f) => {
      const name = PERMISSIONS.find((p) => p.toLowerCase() === f.toLowerCase());
      if (!name) throw invalidField(query, f, 'UserPermissionAccess');
      return name;
    });
    return {
      type: 'UserPermissionAccess',
      records: [Object.fromEntries(fields.map((f) => [f, f === 'PermissionsApiEnabled' || !!viewer.admin]))],
    };
  }
  const known = (f: string) => {
    const name = FIELDS.find((k) => k.toLowerCase() === f.toLowerCase());
    if (!name) throw invalidField(query, f, 'OauthToken');
    return name;
  };
  const fields = requested.map(known);
  let rows = table.rows(viewer);
  if (where !== undefined) {
    const w = known(where);
    rows = rows.filter(
      (r) => String(r[w] ?? '') === value || (w.endsWith('Id') && String(r[w]).slice(0, 15) === value),
    );
  }
  if (order !== undefined) {
    const o = known(order);
    const sign = direction?.toUpperCase() === 'DESC' ? -1 : 1;
    rows = [...rows].sort((a, b) => {
      const [x, y] = [a[o] ?? '', b[o] ?? ''];
      return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)));
    });
  }
  if (limit !== undefined) rows = rows.slice(0, Number(limit));
  return { type: 'OauthToken', records: rows.map((r) => shaped(r, fields, version)) };
}
