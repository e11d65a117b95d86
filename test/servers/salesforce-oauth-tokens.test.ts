/**
 * The double's OauthToken object (test/servers/salesforce-oauth-tokens.ts): every grant of the org for a user
 * with Customize Application, only their own for anyone else; paging through `nextRecordsUrl`; a DeleteToken at
 * the revocation endpoint revokes the grant (the refresh token and its access tokens stop working);
 * UserPermissionAccess; and "Introspect all tokens".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAtDouble, startDoubleWorld, type DoubleWorld } from '../oauth/support';
import { DEFAULT_CLIENT_ID, DEFAULT_ORG_ID, DEFAULT_USER, type DoubleUser } from './salesforce-double';

const ADMIN: DoubleUser = { ...DEFAULT_USER, admin: true };
const BOB: DoubleUser = {
  userId: '0055g00000BobBoAAA',
  username: 'bob@acme.example',
  password: 'bob password 1',
  displayName: 'Bob Builder',
  email: 'bob@acme.example',
};
const OTHER_APP = { clientId: '3MVG9other.app', name: 'Data Loader', callbackUrls: ['http://localhost:1/cb'] };
const SELECT =
  'SELECT Id, AppName, AppMenuItemId, UserId, User.Name, User.Username, CreatedDate, LastUsedDate, UseCount, DeleteToken FROM OauthToken';

interface Row {
  Id: string;
  AppName: string;
  UserId: string;
  User: { attributes: { type: string }; Name: string; Username: string };
  CreatedDate: string;
  LastUsedDate: string | null;
  UseCount: number;
  DeleteToken: string;
}

let world: DoubleWorld;
let instance: string;
let adminToken: string;
let bobToken: string;

beforeAll(async () => {
  world = await startDoubleWorld({
    app: { name: 'SF Token Inspector' },
    double: {
      orgs: [{ orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [ADMIN, BOB] }],
    },
  });
  world.double.apps.push(OTHER_APP);
  const admin = await signInAtDouble(world);
  instance = admin.tokens.instanceUrl!;
  adminToken = admin.tokens.accessToken;
  const bob = await signInAtDouble(world, { browser: { username: BOB.username, password: BOB.password } });
  bobToken = bob.tokens.accessToken;
});
afterAll(() => world.close());

async function get(path: string, bearer: string, headers: Record<string, string> = {}) {
  const r = await fetch(new URL(path, instance), { headers: { Authorization: `Bearer ${bearer}`, ...headers } });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> & unknown[] };
}
const query = (q: string, bearer: string, headers: Record<string, string> = {}) =>
  get(`/services/data/v62.0/query?q=${encodeURIComponent(q)}`, bearer, headers);
const revoke = (token: string) =>
  fetch(`${world.double.loginUrl}/services/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token }) });
const rowsOf = (body: Record<string, unknown>) => body['records'] as Row[];

describe("the double's OauthToken object", () => {
  it('answers an admin every grant of the org, with the User fields nested as Salesforce nests them', async () => {
    const r = await query(SELECT, adminToken);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ totalSize: 2, done: true });
    const rows = rowsOf(r.body);
    expect(rows.map((x) => x.User.Username).sort()).toEqual([ADMIN.username, BOB.username]);
    const mine = rows.find((x) => x.UserId === ADMIN.userId)!;
    expect(mine).toMatchObject({
      attributes: { type: 'OauthToken', url: `/services/data/v62.0/sobjects/OauthToken/${mine.Id}` },
      Id: expect.stringMatching(/^0CR\w{15}$/),
      AppName: 'SF Token Inspector',
      AppMenuItemId: expect.stringMatching(/^0DS\w{15}$/),
      User: { attributes: { type: 'User' }, Name: 'Ada Admin', Username: ADMIN.username },
      CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      UseCount: 1,
    });
    // The access token issued at sign-in was the grant's last use.
    expect(mine.LastUsedDate).not.toBeNull();
    expect(mine.DeleteToken.length).toBeGreaterThan(20);
  });

  it('answers anyone else only their own grants, and UserPermissionAccess says why', async () => {
    const r = await query(SELECT, bobToken);
    expect(rowsOf(r.body).map((x) => x.User.Username)).toEqual([BOB.username]);
    const perms = await query(
      'SELECT PermissionsCustomizeApplication, PermissionsManageUsers FROM UserPermissionAccess',
      bobToken,
    );
    expect(rowsOf(perms.body)[0]).toMatchObject({
      PermissionsCustomizeApplication: false,
      PermissionsManageUsers: false,
    });
    const adminPerms = await query('SELECT PermissionsCustomizeApplication FROM UserPermissionAccess', adminToken);
    expect(rowsOf(adminPerms.body)[0]).toMatchObject({ PermissionsCustomizeApplication: true });
  });

  it('refuses unknown fields with INVALID_FIELD, filters with WHERE and sorts with ORDER BY', async () => {
    const bad = await query('SELECT Id, Secret FROM OauthToken', adminToken);
    expect(bad.status).toBe(400);
    expect(bad.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD' });
    world.double.seedGrants({ clientId: OTHER_APP.clientId, username: BOB.username, count: 3, useCount: 7 });
    const some = await query(`SELECT Id, AppName, UseCount FROM OauthToken WHERE AppName = 'Data Loader'`, adminToken);
    expect(rowsOf(some.body)).toHaveLength(3);
    expect(rowsOf(some.body).every((x) => x.UseCount === 7)).toBe(true);
    const sorted = await query('SELECT Id, CreatedDate FROM OauthToken ORDER BY CreatedDate DESC LIMIT 2', adminToken);
    const dates = rowsOf(sorted.body).map((x) => x.CreatedDate);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(dates).toHaveLength(2);
  });

  it('pages the rows through nextRecordsUrl at the batch size asked for', async () => {
    world.double.seedGrants({ username: ADMIN.username, count: 450 });
    const first = await query('SELECT Id FROM OauthToken', adminToken, { 'Sforce-Query-Options': 'batchSize=200' });
    expect(first.body).toMatchObject({ totalSize: 455, done: false });
    expect(rowsOf(first.body)).toHaveLength(200);
    const ids = new Set(rowsOf(first.body).map((x) => x.Id));
    let next = first.body['nextRecordsUrl'] as string | undefined;
    expect(next).toMatch(/^\/services\/data\/v62\.0\/query\/01g\w+-200$/);
    while (next) {
      const page = await get(next, adminToken);
      for (const x of rowsOf(page.body)) ids.add(x.Id);
      next = page.body['nextRecordsUrl'] as string | undefined;
    }
    expect(ids.size).toBe(455);
    // The same row keeps its Id from one query to the next.
    const again = await query('SELECT Id FROM OauthToken', adminToken);
    expect(rowsOf(again.body).every((x) => ids.has(x.Id))).toBe(true);
  });

  it('revokes a grant by its DeleteToken: its refresh token and access token stop working', async () => {
    const rows = rowsOf((await query(SELECT, adminToken)).body);
    const bobs = rows.find((x) => x.UserId === BOB.userId && x.AppName === 'SF Token Inspector')!;
    expect((await revoke(bobs.DeleteToken)).status).toBe(200);
    expect((await get('/services/data/v62.0/limits', bobToken)).status).toBe(401);
    expect(world.double.isTokenActive(bobToken)).toBe(false);
    const after = rowsOf((await query(SELECT, adminToken)).body);
    expect(after.some((x) => x.Id === bobs.Id)).toBe(false);
    // A DeleteToken works once: again, it is an unknown token.
    const twice = await revoke(bobs.DeleteToken);
    expect(twice.status).toBe(400);
    expect(await twice.json()).toEqual({ error: 'invalid_token', error_description: 'invalid token' });
  });

  it('revokes a made-up grant: its refresh token is refused at the token endpoint', async () => {
    const [refresh] = world.double.seedGrants({ clientId: DEFAULT_CLIENT_ID, username: BOB.username });
    const refreshGrant = () =>
      fetch(`${world.double.loginUrl}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refresh!,
          client_id: DEFAULT_CLIENT_ID,
        }),
      });
    expect((await refreshGrant()).status).toBe(200);
    const rows = rowsOf((await query(SELECT, adminToken)).body).filter((x) => x.UserId === BOB.userId);
    for (const row of rows) expect((await revoke(row.DeleteToken)).status).toBe(200);
    expect(await (await refreshGrant()).json()).toEqual({
      error: 'invalid_grant',
      error_description: 'expired access/refresh token',
    });
  });

  it('introspects another app’s token only for an app with "Introspect all tokens"', async () => {
    const introspect = (clientId: string) =>
      fetch(`${world.double.loginUrl}/services/oauth2/introspect`, {
        method: 'POST',
        body: new URLSearchParams({ token: adminToken, client_id: clientId }),
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(await introspect(OTHER_APP.clientId)).toEqual({ active: false });
    world.double.apps.find((a) => a.clientId === OTHER_APP.clientId)!.introspectAllTokens = true;
    expect(await introspect(OTHER_APP.clientId)).toMatchObject({ active: true, client_id: DEFAULT_CLIENT_ID });
  });
});
