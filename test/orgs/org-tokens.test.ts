/**
 * Every OAuth token of an org (main/orgs/org-tokens.ts) through the bridge handlers, against the Salesforce
 * double's OauthToken object: pages through `nextRecordsUrl`, who sees what and how the app knows, revocation by
 * DeleteToken with a result per token (and cancel), the 401 retry of the one token lifecycle, and the CSV.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OrgSummary } from '../../preload/contract';
import { DEFAULT_ORG_ID, DEFAULT_USER, type DoubleUser } from '../servers/salesforce-double';
import { startLoopback, type Loopback } from '../net/loopback';
import { failureOf } from '../support/failure';
import { signIn, startWorld, type World } from '../support/sign-in';

const ADMIN: DoubleUser = { ...DEFAULT_USER, admin: true };
const BOB: DoubleUser = {
  userId: '0055g00000BobBoAAA',
  username: 'bob@acme.example',
  password: 'bob password 1',
  displayName: 'Bob Builder',
  email: 'bob@acme.example',
};
const LOADER = { clientId: '3MVG9data.loader', name: '=Data Loader', callbackUrls: ['http://localhost:1/cb'] };

let world: World | null = null;
let fake: Loopback | null = null;
afterEach(async () => {
  await world?.close();
  await fake?.close();
  world = fake = null;
});

async function orgOf(username = ADMIN.username): Promise<{ w: World; org: OrgSummary }> {
  world = await startWorld({
    app: { name: 'SF Token Inspector' },
    double: { orgs: [{ orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [ADMIN, BOB] }] },
  });
  world.double.apps.push(LOADER);
  world.browser.username = username;
  world.browser.password = username === BOB.username ? BOB.password : ADMIN.password;
  return { w: world, org: await signIn(world, world.double.loginUrl, { label: 'Acme prod' }) };
}

/** The DeleteTokens Salesforce holds for the org, read straight from the double as an admin would. */
async function deleteTokens(w: World, org: OrgSummary): Promise<Map<string, string>> {
  const token = (await w.services.handlers.revealToken({ id: org.id, kind: 'access' })).token;
  const q = encodeURIComponent('SELECT Id, DeleteToken FROM OauthToken');
  const r = await fetch(`${org.instanceUrl}/services/data/v62.0/query?q=${q}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const { records } = (await r.json()) as { records: { Id: string; DeleteToken: string }[] };
  return new Map(records.map((x) => [x.Id, x.DeleteToken]));
}

describe('org-wide OAuth tokens', () => {
  it('lists every token of the org to an admin, page by page, and never sends a DeleteToken to the window', async () => {
    const { w, org } = await orgOf();
    w.double.seedGrants({ username: BOB.username, count: 1000 });
    w.double.seedGrants({ clientId: LOADER.clientId, username: BOB.username, count: 100, useCount: 12 });
    const h = w.services.handlers;
    const first = await h.listOrgTokens({ id: org.id });
    expect(first).toMatchObject({ totalSize: 1101, loaded: 500, more: true, refreshed: false, userId: org.userId });
    expect(first.visibility).toEqual({
      scope: 'all',
      evidence: 'permissions',
      reason: `${ADMIN.username} has Customize Application or Manage Users, so Salesforce lists every user's tokens.`,
    });
    const second = await h.listOrgTokens({ id: org.id, more: true });
    const third = await h.listOrgTokens({ id: org.id, more: true });
    expect([second.loaded, third.loaded, third.more]).toEqual([1000, 1101, false]);
    const all = [...first.tokens, ...second.tokens, ...third.tokens];
    expect(new Set(all.map((t) => t.id)).size).toBe(1101);
    const mine = all.find((t) => t.username === ADMIN.username)!;
    expect(mine).toMatchObject({
      appName: 'SF Token Inspector',
      userName: 'Ada Admin',
      userId: ADMIN.userId,
      useCount: 1,
      revocable: true,
    });
    expect(mine.createdAt).toBeGreaterThan(Date.now() - 60_000);
    expect(all.filter((t) => t.appName === '=Data Loader').every((t) => t.useCount === 12)).toBe(true);
    expect(await failureOf(h.listOrgTokens({ id: org.id, more: true }))).toMatchObject({ code: 'ipc/bad_argument' });

    const secrets = [...(await deleteTokens(w, org)).values()];
    const sent = JSON.stringify([first, second, third]);
    expect(secrets.length).toBe(1101);
    expect(secrets.some((s) => sent.includes(s))).toBe(false);
    expect(sent).not.toMatch(/deleteToken/i);
  });

  it('says a user without Customize Application sees only their own tokens, and why', async () => {
    const { w, org } = await orgOf(BOB.username);
    w.double.seedGrants({ username: ADMIN.username, count: 3 });
    const page = await w.services.handlers.listOrgTokens({ id: org.id });
    expect(page.tokens.map((t) => t.username)).toEqual([BOB.username]);
    expect(page.visibility.scope).toBe('own');
    expect(page.visibility.evidence).toBe('permissions');
    expect(page.visibility.reason).toMatch(
      /^Salesforce lists only your own tokens: bob@acme\.example has neither Customize Application nor Manage Users, .*ask one to give this user Customize Application/,
    );
  });

  it('revokes tokens by their DeleteToken with a result each; the grant stops working at Salesforce', async () => {
    const { w, org } = await orgOf();
    const [bobRefresh] = w.double.seedGrants({ username: BOB.username });
    const loader = w.double.seedGrants({ clientId: LOADER.clientId, username: BOB.username, count: 2 });
    const h = w.services.handlers;
    const { tokens } = await h.listOrgTokens({ id: org.id });
    const bobs = tokens.find((t) => t.username === BOB.username && t.appName === 'SF Token Inspector')!;
    const loaders = tokens.filter((t) => t.appName === '=Data Loader');

    // Another admin revoked one of the loader's tokens meanwhile: Salesforce no longer knows it.
    const before = await deleteTokens(w, org);
    await fetch(`${w.double.loginUrl}/services/oauth2/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: before.get(loaders[1]!.id)! }),
    });
    const results = await h.revokeOrgTokens({ id: org.id, tokenIds: [bobs.id, ...loaders.map((t) => t.id)] });
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      [bobs.id, 'revoked'],
      [loaders[0]!.id, 'revoked'],
      [loaders[1]!.id, 'gone'],
    ]);
    expect(results[2]!.message).toBe('Salesforce no longer knows this token: it was already revoked or has expired.');
    expect([bobRefresh!, ...loader].map((t) => w.double.isTokenActive(t))).toEqual([false, false, false]);
    // The org's own grant still works, and a revoked token is no longer in the listing.
    expect((await h.testToken({ id: org.id })).ok).toBe(true);
    const again = await h.revokeOrgTokens({ id: org.id, tokenIds: [bobs.id] });
    expect(again[0]).toMatchObject({
      outcome: 'failed',
      message: 'This token is not in the last listing: list the tokens again.',
    });
    expect((await h.listOrgTokens({ id: org.id })).tokens.map((t) => t.username)).toEqual([ADMIN.username]);
  });

  it('cancels revoking many: the one waiting for Salesforce may or may not be revoked, the rest are not sent', async () => {
    const { w, org } = await orgOf();
    w.double.seedGrants({ username: BOB.username, count: 3 });
    const h = w.services.handlers;
    const ids = (await h.listOrgTokens({ id: org.id })).tokens
      .filter((t) => t.username === BOB.username)
      .map((t) => t.id);
    w.double.setFault('revoke', 'hang');
    const running = h.revokeOrgTokens({ id: org.id, tokenIds: ids, flowId: 'revoke-1' });
    await expect.poll(() => w.double.requests.filter((r) => r === 'POST /services/oauth2/revoke').length).toBe(1);
    await h.cancelSignIn({ flowId: 'revoke-1' });
    const results = await running;
    expect(results.map((r) => r.outcome)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(results[0]!.message).toBe(
      'Cancelled before Salesforce answered: list the tokens again to see whether it was revoked.',
    );
    expect(results[1]!.message).toBe('Not sent: cancelled.');
    expect(w.double.requests.filter((r) => r === 'POST /services/oauth2/revoke')).toHaveLength(1);
  });

  it('renews an access token the API refuses (HTTP 401) through the one token lifecycle, and lists', async () => {
    const { w, org } = await orgOf();
    w.double.advance(3 * 3600_000);
    const refreshes = w.double.refreshGrants();
    const page = await w.services.handlers.listOrgTokens({ id: org.id });
    expect(page.refreshed).toBe(true);
    expect(w.double.refreshGrants()).toBe(refreshes + 1);
    expect(page.tokens.length).toBeGreaterThan(0);
  });

  it('exports the listed tokens as CSV in the order asked, with no DeleteToken, formulas kept as text', async () => {
    const { w, org } = await orgOf();
    w.double.seedGrants({ clientId: LOADER.clientId, username: BOB.username, useCount: 4, usedAgoMs: null });
    const h = w.services.handlers;
    expect(await failureOf(h.exportOrgTokens({ id: org.id, tokenIds: ['0CR000000000001'] }))).toMatchObject({
      code: 'ipc/bad_argument',
      message: "List the org's tokens first.",
    });
    const { tokens } = await h.listOrgTokens({ id: org.id });
    const order = [...tokens].sort((a, b) => a.appName.localeCompare(b.appName)).map((t) => t.id);
    expect(await h.exportOrgTokens({ id: org.id, tokenIds: order })).toEqual({
      path: '/tmp/Acme-prod-oauth-tokens.csv',
      tokens: 2,
    });
    const { name, content } = w.services.exported.at(-1)!;
    expect(name).toBe('Acme-prod-oauth-tokens.csv');
    const lines = content.split('\r\n');
    expect(lines[0]).toBe('app,user,username,user id,created,last used,use count,token id,app menu item id');
    expect(lines[1]).toMatch(
      new RegExp(
        `^'=Data Loader,Bob Builder,bob@acme\\.example,${BOB.userId},\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z,,4,${order[0]},0DS\\w{15}$`,
      ),
    );
    expect(lines[2]).toMatch(/^SF Token Inspector,Ada Admin,admin@acme\.example,/);
    expect(lines[3]).toBe('');
    for (const secret of (await deleteTokens(w, org)).values()) expect(content).not.toContain(secret);
  });

  /** The org's API at a stand-in that answers queries as `answer` says (the token is the org's real one). */
  async function orgAt(answer: (q: string, path: string) => { status: number; body: string }) {
    const { w, org } = await orgOf();
    fake = await startLoopback((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const { status, body } = answer(url.searchParams.get('q') ?? '', url.pathname);
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
    });
    const { record } = w.services.vault.requireOrg(org.id);
    await w.services.vault.saveOrg({ ...record, instanceUrl: fake.origin });
    return { h: w.services.handlers, org };
  }

  it("judges from the rows when Salesforce will not say the user's permissions", async () => {
    const own = { Id: '0CR5g000000AbCdEAA', AppName: 'X', UserId: ADMIN.userId, User: { Name: 'Ada', Username: 'a' } };
    const { h, org } = await orgAt((q) =>
      q.includes('UserPermissionAccess')
        ? { status: 400, body: JSON.stringify([{ errorCode: 'INVALID_TYPE', message: 'not supported' }]) }
        : { status: 200, body: JSON.stringify({ totalSize: 1, done: true, records: [own] }) },
    );
    const page = await h.listOrgTokens({ id: org.id });
    expect(page.visibility).toMatchObject({ scope: 'own', evidence: 'rows' });
    expect(page.visibility.reason).toMatch(/^Every token listed is yours\. Salesforce lists other users' tokens only/);
    // No DeleteToken in the row: listed, not revocable, and revoking it says where to go instead.
    expect(page.tokens[0]).toMatchObject({ revocable: false, lastUsedAt: null, useCount: null });
    const [result] = await h.revokeOrgTokens({ id: org.id, tokenIds: [own.Id] });
    expect(result).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/Connected Apps OAuth Usage/) });
  });

  it('refuses answers that are not query results, a next page off the query API, and says why a user may not query', async () => {
    let body = '<html>maintenance</html>';
    let status = 200;
    const { h, org } = await orgAt(() => ({ status, body }));
    expect(await failureOf(h.listOrgTokens({ id: org.id }))).toMatchObject({
      code: 'sf/api_error',
      message: expect.stringMatching(/was not JSON/),
    });
    body = JSON.stringify({ records: 'none' });
    expect(await failureOf(h.listOrgTokens({ id: org.id }))).toMatchObject({
      code: 'sf/api_error',
      message: expect.stringMatching(/was not a query result/),
    });
    body = JSON.stringify({ totalSize: 9, done: false, records: [], nextRecordsUrl: 'https://evil.example/x' });
    expect(await failureOf(h.listOrgTokens({ id: org.id }))).toMatchObject({
      code: 'sf/api_error',
      message: expect.stringMatching(/next page outside the query API/),
    });
    status = 400;
    body = JSON.stringify([{ errorCode: 'INVALID_TYPE', message: "sObject type 'OauthToken' is not supported." }]);
    expect(await failureOf(h.listOrgTokens({ id: org.id }))).toMatchObject({
      code: 'sf/forbidden',
      message: expect.stringMatching(
        /would not let this user query OAuth tokens .*Customize Application or Manage Users/,
      ),
    });
  });
});
