/**
 * The double's REST API (test/servers/salesforce-data-api.ts) answers as the REST API Developer Guide shows:
 * versions, resources, limits, sobjects, SOQL queries with paging, Sforce-Limit-Info, Salesforce's error bodies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAtDouble, startDoubleWorld, type DoubleWorld } from '../oauth/support';
import { ACCOUNT_COUNT } from './salesforce-data-api';
import { DEFAULT_ORG_ID, DEFAULT_USER } from './salesforce-double';

let world: DoubleWorld;
let instance: string;
let token: string;
beforeAll(async () => {
  world = await startDoubleWorld();
  const { tokens } = await signInAtDouble(world);
  instance = tokens.instanceUrl!;
  token = tokens.accessToken;
});
afterAll(() => world.close());

async function get(path: string, headers: Record<string, string> = {}, bearer = token) {
  const r = await fetch(new URL(path, instance), { headers: { Authorization: `Bearer ${bearer}`, ...headers } });
  return { status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> & unknown[] };
}
const query = (q: string, headers: Record<string, string> = {}) =>
  get(`/services/data/v62.0/query?q=${encodeURIComponent(q)}`, headers);
const usage = (h: Headers) => Number(/api-usage=(\d+)\/15000/.exec(h.get('sforce-limit-info') ?? '')?.[1]);

describe("the double's REST API", () => {
  it('lists versions and a version’s resources, limits and sobjects, counting each call in Sforce-Limit-Info', async () => {
    const versions = await get('/services/data/');
    expect(versions.body.map((v) => (v as { version: string }).version)).toEqual(['60.0', '61.0', '62.0']);
    const root = await get('/services/data/v62.0/');
    expect(root.body).toMatchObject({ sobjects: '/services/data/v62.0/sobjects', query: '/services/data/v62.0/query' });
    const limits = await get('/services/data/v62.0/limits');
    expect(limits.body['DailyApiRequests']).toEqual({ Max: 15000, Remaining: 14998 });
    const sobjects = await get('/services/data/v62.0/sobjects/');
    expect(sobjects.body).toMatchObject({ encoding: 'UTF-8', maxBatchSize: 200 });
    expect((sobjects.body['sobjects'] as { name: string }[]).map((o) => o.name)).toEqual([
      'Account',
      'Organization',
      'User',
    ]);
    const counts = [versions, root, limits, sobjects].map((r) => usage(r.headers));
    expect(counts).toEqual([counts[0]!, counts[0]! + 1, counts[0]! + 2, counts[0]! + 3]);
  });

  it('runs simple SOQL queries: records with attributes, WHERE Id, LIMIT, case-insensitive names', async () => {
    const accounts = await query('SELECT Id, Name FROM Account LIMIT 10');
    expect(accounts.status).toBe(200);
    expect(accounts.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
    expect(accounts.body).toMatchObject({ totalSize: 10, done: true });
    const records = accounts.body['records'] as { attributes: { type: string; url: string }; Id: string }[];
    expect(records).toHaveLength(10);
    expect(records[0]).toEqual({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${records[0]!.Id}` },
      Id: expect.stringMatching(/^001\w{15}$/),
      Name: 'Acme Holdings',
    });
    const one = await query(`select name from account where id = '${records[1]!.Id}'`);
    expect(one.body).toMatchObject({ totalSize: 1, records: [{ Name: 'Acme Customer 1' }] });
    const org = await query('SELECT Id, Name, IsSandbox FROM Organization');
    expect(org.body['records']).toEqual([expect.objectContaining({ Id: DEFAULT_ORG_ID, IsSandbox: false })]);
    const users = await query(`SELECT Username FROM User WHERE Id = '${DEFAULT_USER.userId}'`);
    expect(users.body['records']).toEqual([expect.objectContaining({ Username: DEFAULT_USER.username })]);
  });

  it('pages with nextRecordsUrl when the results are more than a batch (Sforce-Query-Options)', async () => {
    const first = await query('SELECT Id FROM Account', { 'Sforce-Query-Options': 'batchSize=200' });
    expect(first.body).toMatchObject({ totalSize: ACCOUNT_COUNT, done: false });
    expect(first.body['records']).toHaveLength(200);
    const next = String(first.body['nextRecordsUrl']);
    expect(next).toMatch(/^\/services\/data\/v62\.0\/query\/01g\w+-200$/);
    const second = await get(next);
    expect(second.body).toMatchObject({ totalSize: ACCOUNT_COUNT, done: true });
    expect(second.body['records']).toHaveLength(ACCOUNT_COUNT - 200);
    expect(second.body).not.toHaveProperty('nextRecordsUrl');
    // A locator is used once.
    expect((await get(next)).body).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
    expect((await query('SELECT Id FROM Account')).body).toMatchObject({ done: true, totalSize: ACCOUNT_COUNT });
  });

  it('answers bad queries, paths and sessions with Salesforce’s error bodies', async () => {
    const malformed = await query('SELECT Id FORM Account');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual([
      {
        message: "\nSELECT Id FORM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FORM'",
        errorCode: 'MALFORMED_QUERY',
      },
    ]);
    expect(usage(malformed.headers)).toBeGreaterThan(0);
    expect((await query('SELECT Id FROM Widget')).body).toEqual([
      expect.objectContaining({ errorCode: 'INVALID_TYPE', message: expect.stringMatching(/sObject type 'Widget'/) }),
    ]);
    expect((await query('SELECT Nope FROM Account')).body).toEqual([
      expect.objectContaining({ errorCode: 'INVALID_FIELD', message: expect.stringMatching(/No such column 'Nope'/) }),
    ]);
    expect((await get('/services/data/v62.0/query')).body).toEqual([
      { message: 'A query string has to be specified', errorCode: 'MALFORMED_QUERY' },
    ]);
    const unknown = await get('/services/data/v99.0/limits');
    expect([unknown.status, unknown.body]).toEqual([
      404,
      [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }],
    ]);
    const bad = await get('/services/data/v62.0/limits', {}, 'not-a-token');
    expect([bad.status, bad.body]).toEqual([
      401,
      [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
    ]);
  });
});
