/**
 * The REST API part of the Salesforce double (a fixture, not product code): what an org's instance answers under
 * `/services/data/` once the session is known good. It follows the REST API Developer Guide: the version list,
 * a version's resources, `limits`, `sobjects` (and one record, `sobjects/<Object>/<Id>`), and SOQL `query` for simple shapes (`SELECT fields FROM
 * User|Organization|Account [WHERE Id = '…'] [LIMIT n]`) with `totalSize`, `done`, `records` (each with
 * `attributes`) and `nextRecordsUrl` paging; `Sforce-Limit-Info` on every answer; errors as `[{message,
 * errorCode}]` (MALFORMED_QUERY, INVALID_TYPE, INVALID_FIELD, NOT_FOUND).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { to18 } from '../../main/tokens/org-id';
import type { DoubleOrg, DoubleUser } from './salesforce-double';
import { queryOauthTokens, SoqlError } from './salesforce-oauth-tokens';

export const API_VERSIONS = ['60.0', '61.0', '62.0'];
/** The daily API request allocation the double's orgs have. */
export const DAILY_API_REQUESTS = 15000;
/** How many Account records each org holds: more than one page at the smallest batch size (200). */
export const ACCOUNT_COUNT = 250;
const DEFAULT_BATCH = 2000;

type SfRecord = Record<string, unknown>;

interface OrgData {
  /** API requests counted today (every answered `/services/data` request). */
  used: number;
  /** Query locators of unfinished queries: the records still to send. */
  cursors: Map<string, { type: string; records: SfRecord[]; batch: number }>;
}

const dataOf = new WeakMap<DoubleOrg, OrgData>();
function orgData(org: DoubleOrg): OrgData {
  let d = dataOf.get(org);
  if (!d) dataOf.set(org, (d = { used: 0, cursors: new Map() }));
  return d;
}

class DataError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

const SOBJECTS = [
  { name: 'Account', label: 'Account', keyPrefix: '001' },
  { name: 'Organization', label: 'Organization', keyPrefix: '00D' },
  { name: 'User', label: 'User', keyPrefix: '005' },
];

/** Every record of an object in the org, with its fields by their API names. */
function table(type: string, org: DoubleOrg): SfRecord[] {
  if (type === 'Organization')
    return [
      {
        Id: org.orgId,
        Name: org.name,
        OrganizationType: 'Enterprise Edition',
        IsSandbox: !!org.sandbox,
        InstanceName: 'NA224',
        NamespacePrefix: null,
        // Set for trial and scratch orgs only.
        TrialExpirationDate: null,
      },
    ];
  if (type === 'User')
    return org.users.map((u: DoubleUser) => ({
      Id: u.userId,
      Name: u.displayName,
      Username: u.username,
      Email: u.email,
      IsActive: true,
    }));
  return Array.from({ length: ACCOUNT_COUNT }, (_, i) => ({
    Id: to18(`001${org.orgId.slice(3, 5)}0000${String(i + 1).padStart(6, '0')}`),
    Name: i === 0 ? `${org.name} Holdings` : `${org.name} Customer ${i}`,
    Industry: ['Technology', 'Finance', 'Retail', null][i % 4] ?? null,
    BillingCity: ['San Francisco', 'London', 'Paris', 'Tokyo', 'Sydney'][i % 5] ?? null,
  }));
}

/** Salesforce's query errors point at the spot: the query, a caret, the row and column, then the reason. */
function queryError(errorCode: string, query: string, column: number, reason: string): DataError {
  return new DataError(
    400,
    errorCode,
    `\n${query}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:1:Column:${column}\n${reason}`,
  );
}

const SHAPE = /^SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+Id\s*=\s*'([^']*)')?(?:\s+LIMIT\s+(\d+))?\s*$/i;

/** The first word that does not fit `SELECT a, b FROM Object [WHERE …] [LIMIT n]`, or `<EOF>`. */
function unexpectedToken(query: string): string {
  const w = query.split(/\s+/).filter(Boolean);
  if (w[0]?.toUpperCase() !== 'SELECT') return w[0] ?? '<EOF>';
  let i = 1;
  while (i < w.length && w[i]!.endsWith(',')) i++;
  i++;
  if (w[i]?.toUpperCase() !== 'FROM') return w[i] ?? '<EOF>';
  return w[i + 2] ?? '<EOF>';
}

/** Runs a query of the simple shapes the double knows; anything else is MALFORMED_QUERY as Salesforce says it. */
function runQuery(query: string, org: DoubleOrg): { type: string; records: SfRecord[] } {
  const m = SHAPE.exec(query);
  if (!m) {
    const bad = unexpectedToken(query);
    throw queryError('MALFORMED_QUERY', query, Math.max(1, query.indexOf(bad) + 1), `unexpected token: '${bad}'`);
  }
  const [, list = '', typed = '', id, limit] = m;
  const object = SOBJECTS.find((o) => o.name.toLowerCase() === typed.toLowerCase());
  if (!object)
    throw queryError(
      'INVALID_TYPE',
      query,
      query.indexOf(typed) + 1,
      `sObject type '${typed}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  const rows = table(object.name, org);
  const known = Object.keys(rows[0] ?? { Id: '' });
  const fields = list.split(',').map((f) => f.trim());
  const names = fields.map((f) => {
    const name = known.find((k) => k.toLowerCase() === f.toLowerCase());
    if (!name)
      throw queryError(
        'INVALID_FIELD',
        query,
        query.indexOf(f) + 1,
        `No such column '${f}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    return name;
  });
  let hits = id === undefined ? rows : rows.filter((r) => r['Id'] === id || String(r['Id']).slice(0, 15) === id);
  if (limit !== undefined) hits = hits.slice(0, Number(limit));
  return {
    type: object.name,
    records: hits.map((r) => Object.fromEntries(names.map((n) => [n, r[n] ?? null]))),
  };
}

/** One page of query results, and a locator for the rest when there is more. */
function page(
  d: OrgData,
  version: string,
  type: string,
  records: SfRecord[],
  total: number,
  batch: number,
): Record<string, unknown> {
  const now = records.slice(0, batch);
  const rest = records.slice(batch);
  const out: Record<string, unknown> = {
    totalSize: total,
    done: rest.length === 0,
    records: now.map((r) => ({
      attributes: { type, url: `/services/data/v${version}/sobjects/${type}/${String(r['Id'] ?? '')}` },
      ...r,
    })),
  };
  if (rest.length) {
    const locator = `01g${randomBytes(6).toString('hex').slice(0, 12)}`;
    const sent = total - rest.length;
    d.cursors.set(`${locator}-${sent}`, { type, records: rest, batch });
    out['nextRecordsUrl'] = `/services/data/v${version}/query/${locator}-${sent}`;
  }
  return out;
}

/** `Sforce-Query-Options: batchSize=n`: 200 to 2000 records a page (default 2000). */
function batchOf(headers: IncomingHttpHeaders): number {
  const m = /batchSize=(\d+)/i.exec(String(headers['sforce-query-options'] ?? ''));
  return m ? Math.min(2000, Math.max(200, Number(m[1]))) : DEFAULT_BATCH;
}

function answer(org: DoubleOrg, url: URL, headers: IncomingHttpHeaders, user: DoubleUser): unknown {
  const path = url.pathname.replace(/\/+$/, '');
  const d = orgData(org);
  if (path === '/services/data')
    return API_VERSIONS.map((v) => ({ label: `Release ${v}`, url: `/services/data/v${v}`, version: v }));
  const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
  const version = m?.[1];
  if (!version || Number(version) > Number(API_VERSIONS.at(-1)) || Number(version) < 20)
    throw new DataError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const rest = m[2] ?? '';
  const base = `/services/data/v${version}`;
  if (rest === '')
    return Object.fromEntries(
      ['sobjects', 'query', 'limits', 'search', 'recent', 'tooling'].map((r) => [r, `${base}/${r}`]),
    );
  if (rest === '/limits')
    return {
      DailyApiRequests: { Max: DAILY_API_REQUESTS, Remaining: 14998 },
      DataStorageMB: { Max: 1024, Remaining: 1020 },
      FileStorageMB: { Max: 2048, Remaining: 2047 },
      DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
    };
  if (rest === '/sobjects')
    return {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: SOBJECTS.map((o) => ({
        ...o,
        labelPlural: `${o.label}s`,
        queryable: true,
        retrieveable: true,
        urls: {
          sobject: `${base}/sobjects/${o.name}`,
          describe: `${base}/sobjects/${o.name}/describe`,
          rowTemplate: `${base}/sobjects/${o.name}/{ID}`,
        },
      })),
    };
  if (rest === '/query') {
    const q = url.searchParams.get('q');
    if (q === null || q.trim() === '')
      throw new DataError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    // OauthToken and UserPermissionAccess: test/servers/salesforce-oauth-tokens.ts.
    const { type, records } = queryOauthTokens(q.trim(), org, user, version) ?? runQuery(q.trim(), org);
    return page(d, version, type, records, records.length, batchOf(headers));
  }
  const one = /^\/sobjects\/(\w+)\/(\w+)$/.exec(rest);
  if (one) return sobjectRecord(org, base, one[1]!, one[2]!);
  const next = /^\/query\/(01g\w+-\d+)$/.exec(rest);
  if (next) {
    const cursor = d.cursors.get(next[1]!);
    if (!cursor) throw new DataError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    d.cursors.delete(next[1]!);
    const total = Number(next[1]!.split('-')[1]) + cursor.records.length;
    return page(d, version, cursor.type, cursor.records, total, cursor.batch);
  }
  throw new DataError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

/**
 * `GET …/sobjects/<Object>/<Id>`: every field of one record (by its 15- or 18-character Id) with its
 * `attributes`, as the Salesforce CLI reads `User` after each login for the `Username`.
 */
function sobjectRecord(org: DoubleOrg, base: string, typed: string, id: string): unknown {
  const object = SOBJECTS.find((o) => o.name.toLowerCase() === typed.toLowerCase());
  const record =
    object && (id.length === 15 || id.length === 18)
      ? table(object.name, org).find((r) => String(r['Id']).slice(0, id.length) === id)
      : undefined;
  if (!object || !record) throw new DataError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return {
    attributes: { type: object.name, url: `${base}/sobjects/${object.name}/${String(record['Id'])}` },
    ...record,
  };
}

/** Answers a `/services/data…` GET with a good session of `org`, counting it against the org's API usage. */
/** Answers a `/services/data…` GET with a good session of `user` in `org`, counting it against the org's API usage. */
export function serveDataApi(
  res: ServerResponse,
  org: DoubleOrg,
  url: URL,
  headers: IncomingHttpHeaders,
  user: DoubleUser,
): void {
  const d = orgData(org);
  d.used++;
  let status = 200;
  let body: unknown;
  try {
    body = answer(org, url, headers, user);
  } catch (e) {
    if (!(e instanceof DataError || e instanceof SoqlError)) throw e;
    status = e.status;
    body = [{ message: e.message, errorCode: e.errorCode }];
  }
  res
    .writeHead(status, {
      'Content-Type': 'application/json;charset=UTF-8',
      'Cache-Control': 'no-store',
      'Sforce-Limit-Info': `api-usage=${d.used}/${DAILY_API_REQUESTS}`,
    })
    .end(JSON.stringify(body));
}
