/**
 * Every OAuth token of an org, for its admins: the `OauthToken` object over the REST API (SOQL, paged with
 * `nextRecordsUrl`), whose visibility Salesforce decides (a user with Customize Application or Manage Users sees
 * every user's tokens, anyone else only their own: `UserPermissionAccess` says which), revocation of a row by its
 * `DeleteToken` at the revocation endpoint, and the listing as CSV. Every REST call goes through the one token
 * lifecycle (`withAuthRetry`). DeleteTokens stay here: the window names a row by its record Id.
 */
import type { Handlers } from '../../preload/contract';
import type { OrgOauthToken, OrgTokenPage, OrgTokenRevocation, OrgTokenVisibility } from '../../preload/contract-admin';
import { AppError, isAppError } from '../errors';
import { sanitizeServerText } from '../net/server-text';
import { requestRevocation } from '../oauth/revoke';
import { DEFAULT_API_VERSION } from '../salesforce/api-console';
import { getJson } from '../salesforce/http';
import type { OrgContext, OrgServiceDeps } from './org-context';

/** The fields the listing asks for, as Setup's Connected Apps OAuth Usage shows them. */
const OAUTH_TOKEN_QUERY =
  'SELECT Id, AppName, AppMenuItemId, UserId, User.Name, User.Username, CreatedDate, LastUsedDate, UseCount, DeleteToken FROM OauthToken';
const PERMISSION_QUERY = 'SELECT PermissionsCustomizeApplication, PermissionsManageUsers FROM UserPermissionAccess';
/** Rows a page asks for (`Sforce-Query-Options: batchSize`, 200 to 2000; Salesforce may send fewer). */
const PAGE_SIZE = 500;
const NEXT_PAGE = /^\/services\/data\/v\d+\.\d+\/query\/[A-Za-z0-9]+-\d+$/;

/** One org's listing: the rows so far, their DeleteTokens, and where the next page is. */
interface Listing {
  rows: Map<string, OrgOauthToken>;
  deleteTokens: Map<string, string>;
  next: string | null;
  totalSize: number;
  visibility: OrgTokenVisibility;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
/** Salesforce's dateTime (`2026-12-02T07:00:00.000+0000`) as epoch ms; null when absent or unreadable. */
function dateOf(v: unknown): number | null {
  const s = str(v);
  if (s === null) return null;
  const t = Date.parse(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(t) ? null : t;
}
const sameUser = (a: string | null, b: string | null): boolean =>
  a !== null && b !== null && a.slice(0, 15) === b.slice(0, 15);

function badAnswer(what: string): AppError {
  return new AppError(
    'sf/api_error',
    `Salesforce's answer to ${what} was not a query result. Check the instance URL, then list the tokens again.`,
  );
}

/** A query answer's records, `totalSize` and `nextRecordsUrl`, checked. */
function queryResult(body: unknown, what: string): { records: unknown[]; totalSize: number; next: string | null } {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { records?: unknown }).records))
    throw badAnswer(what);
  const b = body as { records: unknown[]; totalSize?: unknown; nextRecordsUrl?: unknown; done?: unknown };
  const next = b.done === true ? null : str(b.nextRecordsUrl);
  if (next !== null && !NEXT_PAGE.test(next))
    throw new AppError(
      'sf/api_error',
      `Salesforce pointed to a next page outside the query API. List the tokens again.`,
    );
  return {
    records: b.records,
    totalSize: typeof b.totalSize === 'number' ? b.totalSize : b.records.length,
    next,
  };
}

/** One OauthToken record as the window shows it, with its DeleteToken apart; null when it has no Id. */
function tokenOf(r: unknown): { row: OrgOauthToken; deleteToken: string | null } | null {
  if (typeof r !== 'object' || r === null) return null;
  const o = r as Record<string, unknown>;
  const id = str(o['Id']);
  if (id === null || !/^[A-Za-z0-9]{15,18}$/.test(id)) return null;
  const user = typeof o['User'] === 'object' && o['User'] !== null ? (o['User'] as Record<string, unknown>) : {};
  const deleteToken = str(o['DeleteToken']);
  const uses = o['UseCount'];
  return {
    row: {
      id,
      appName: sanitizeServerText(str(o['AppName']) ?? '(no app name)', 120),
      appMenuItemId: str(o['AppMenuItemId']),
      userId: str(o['UserId']),
      userName: str(user['Name']) === null ? null : sanitizeServerText(String(user['Name']), 120),
      username: str(user['Username']) === null ? null : sanitizeServerText(String(user['Username']), 120),
      createdAt: dateOf(o['CreatedDate']),
      lastUsedAt: dateOf(o['LastUsedDate']),
      useCount: typeof uses === 'number' && Number.isFinite(uses) ? uses : null,
      revocable: deleteToken !== null,
    },
    deleteToken,
  };
}

/** Salesforce refuses the object to users who may not query it: say so, and what to do. */
function explainRefusal(e: unknown): unknown {
  if (isAppError(e, 'sf/api_error') && /INVALID_TYPE|INSUFFICIENT_ACCESS/.test(e.message))
    return new AppError(
      'sf/forbidden',
      `Salesforce would not let this user query OAuth tokens (${sanitizeServerText(e.message, 200)}). The user needs API Enabled; to see every user's tokens, Customize Application or Manage Users. Sign in as an admin, or ask one to grant these.`,
      { cause: e },
    );
  return e;
}

/** A CSV cell (RFC 4180). A cell starting with = + - @ is prefixed with ' so that a spreadsheet shows it as text. */
const cell = (v: string): string => {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const iso = (t: number | null): string => (t === null ? '' : new Date(t).toISOString());

/** The rows as CSV: a header, then one token a line, without DeleteTokens. */
function tokensCsv(rows: readonly OrgOauthToken[]): string {
  const header = 'app,user,username,user id,created,last used,use count,token id,app menu item id';
  const lines = rows.map((r) =>
    [
      r.appName,
      r.userName ?? '',
      r.username ?? '',
      r.userId ?? '',
      iso(r.createdAt),
      iso(r.lastUsedAt),
      r.useCount === null ? '' : String(r.useCount),
      r.id,
      r.appMenuItemId ?? '',
    ]
      .map(cell)
      .join(','),
  );
  return `${[header, ...lines].join('\r\n')}\r\n`;
}

export function createOrgTokenHandlers(
  ctx: OrgContext,
  deps: OrgServiceDeps,
): Pick<Handlers, 'listOrgTokens' | 'revokeOrgTokens' | 'exportOrgTokens'> {
  const { vault, tokens, clients, http } = ctx;
  const listings = new Map<string, Listing>();

  function instanceOf(id: string): string {
    const { record } = vault.requireOrg(id);
    if (!record.instanceUrl)
      throw new AppError('sf/api_error', 'This org has no instance URL for listing its tokens. Re-authenticate it.');
    return record.instanceUrl;
  }

  /** A GET of the query API through the one token lifecycle. */
  async function get(id: string, url: URL, what: string, signal: AbortSignal) {
    const headers = { 'Sforce-Query-Options': `batchSize=${PAGE_SIZE}` };
    try {
      return await tokens.withAuthRetry(id, (token) => getJson(url.href, token, http, what, { signal, headers }));
    } catch (e) {
      throw explainRefusal(e);
    }
  }

  /**
   * Whose tokens the listing shows. Salesforce's own answer first: the user's permissions. When it will not
   * say, the rows: every row the user's own means Salesforce may be answering only theirs.
   */
  async function visibilityOf(
    id: string,
    instance: string,
    rows: readonly OrgOauthToken[],
    signal: AbortSignal,
  ): Promise<OrgTokenVisibility> {
    const { record } = vault.requireOrg(id);
    const who = record.username ?? 'the signed-in user';
    const own = (why: string): OrgTokenVisibility => ({
      scope: 'own',
      evidence: 'permissions',
      reason: `Salesforce lists only your own tokens: ${who} has neither Customize Application nor Manage Users, ${why} To see every user's tokens, sign in to this org as an admin, or ask one to give this user Customize Application (in a permission set).`,
    });
    const url = new URL(`/services/data/v${DEFAULT_API_VERSION}/query`, instance);
    url.searchParams.set('q', PERMISSION_QUERY);
    try {
      const { value } = await get(id, url, "the user's permissions", signal);
      const [perm] = queryResult(value, "the user's permissions").records as Record<string, unknown>[];
      if (perm && typeof perm['PermissionsCustomizeApplication'] === 'boolean') {
        return perm['PermissionsCustomizeApplication'] === true || perm['PermissionsManageUsers'] === true
          ? {
              scope: 'all',
              evidence: 'permissions',
              reason: `${who} has Customize Application or Manage Users, so Salesforce lists every user's tokens.`,
            }
          : own('which seeing other users’ OAuth tokens takes (Salesforce said so: UserPermissionAccess).');
      }
    } catch (e) {
      if (signal.aborted || isAppError(e, 'oauth/network')) throw e;
      // Salesforce would not say (an older API, a restricted user): the rows tell what they can.
    }
    const mine = rows.every((r) => sameUser(r.userId, record.userId));
    return mine
      ? {
          scope: 'own',
          evidence: 'rows',
          reason: `Every token listed is yours. Salesforce lists other users' tokens only to users with Customize Application or Manage Users, and would not say whether ${who} has them. To see every user's tokens, sign in as an admin.`,
        }
      : { scope: 'all', evidence: 'rows', reason: "Salesforce listed other users' tokens too." };
  }

  function take(listing: Listing, records: unknown[]): OrgOauthToken[] {
    const page: OrgOauthToken[] = [];
    for (const r of records) {
      const t = tokenOf(r);
      if (!t) continue;
      listing.rows.set(t.row.id, t.row);
      if (t.deleteToken) listing.deleteTokens.set(t.row.id, t.deleteToken);
      page.push(t.row);
    }
    return page;
  }

  function requireListing(id: string): Listing {
    const listing = listings.get(id);
    if (!listing) throw new AppError('ipc/bad_argument', "List the org's tokens first.");
    return listing;
  }

  return {
    listOrgTokens: ({ id, more, flowId }) =>
      ctx.operations.run(flowId, async (signal): Promise<OrgTokenPage> => {
        const instance = instanceOf(id);
        const { record } = vault.requireOrg(id);
        const before = listings.get(id);
        if (more && !before?.next) throw new AppError('ipc/bad_argument', 'There are no more tokens to load.');
        const url = more
          ? new URL(before!.next!, instance)
          : new URL(`/services/data/v${DEFAULT_API_VERSION}/query`, instance);
        if (!more) url.searchParams.set('q', OAUTH_TOKEN_QUERY);
        const { value, refreshed } = await get(id, url, "listing the org's OAuth tokens", signal);
        const result = queryResult(value, "listing the org's OAuth tokens");
        const listing: Listing =
          more && before
            ? before
            : {
                rows: new Map(),
                deleteTokens: new Map(),
                next: null,
                totalSize: 0,
                visibility: { scope: 'all', evidence: 'rows', reason: '' },
              };
        const page = take(listing, result.records);
        listing.next = result.next;
        listing.totalSize = result.totalSize;
        if (!more) {
          listing.visibility = await visibilityOf(id, instance, page, signal);
          listings.set(id, listing);
        }
        return {
          tokens: page,
          totalSize: listing.totalSize,
          loaded: listing.rows.size,
          more: listing.next !== null,
          visibility: listing.visibility,
          userId: record.userId,
          refreshed,
        };
      }),

    revokeOrgTokens: ({ id, tokenIds, flowId }) =>
      ctx.operations.run(flowId, async (signal) => {
        const { record } = vault.requireOrg(id);
        const listing = requireListing(id);
        const as = await clients.serverFor(record.loginHost);
        const results: OrgTokenRevocation[] = [];
        for (const tokenId of tokenIds) {
          const deleteToken = listing.deleteTokens.get(tokenId);
          if (signal.aborted) {
            results.push({ id: tokenId, outcome: 'cancelled', message: 'Not sent: cancelled.' });
            continue;
          }
          if (deleteToken === undefined) {
            results.push({
              id: tokenId,
              outcome: 'failed',
              message: listing.rows.has(tokenId)
                ? 'Salesforce sent no DeleteToken for this token, so it cannot be revoked from here: revoke it in Setup → Connected Apps OAuth Usage.'
                : 'This token is not in the last listing: list the tokens again.',
            });
            continue;
          }
          try {
            // Salesforce's revocation endpoint takes the DeleteToken as `token` and authenticates no client; the
            // hint names what it revokes: the grant's refresh token, with every access token issued from it.
            await requestRevocation({ as, clientId: null, token: deleteToken, hint: 'refresh_token', http, signal });
            results.push({
              id: tokenId,
              outcome: 'revoked',
              message: 'Revoked: the app must be authorized again to get a new token.',
            });
            listing.rows.delete(tokenId);
            listing.deleteTokens.delete(tokenId);
          } catch (e) {
            if (signal.aborted) {
              results.push({
                id: tokenId,
                outcome: 'cancelled',
                message: 'Cancelled before Salesforce answered: list the tokens again to see whether it was revoked.',
              });
            } else if (isAppError(e, 'oauth/invalid_grant')) {
              results.push({
                id: tokenId,
                outcome: 'gone',
                message: 'Salesforce no longer knows this token: it was already revoked or has expired.',
              });
              listing.rows.delete(tokenId);
              listing.deleteTokens.delete(tokenId);
            } else if (e instanceof AppError) {
              results.push({ id: tokenId, outcome: 'failed', message: `Not revoked: ${e.message}` });
            } else throw e;
          }
        }
        return results;
      }),

    exportOrgTokens: async ({ id, tokenIds }) => {
      const { record } = vault.requireOrg(id);
      const listing = requireListing(id);
      const rows = tokenIds.map((t) => listing.rows.get(t)).filter((r): r is OrgOauthToken => r !== undefined);
      if (rows.length === 0) throw new AppError('ipc/bad_argument', 'None of these tokens is listed: list them again.');
      const path = await deps.dialogs.saveFile(
        `${record.label.replace(/[^\w.-]+/g, '-')}-oauth-tokens.csv`,
        tokensCsv(rows),
      );
      return { path, tokens: rows.length };
    },
  };
}
