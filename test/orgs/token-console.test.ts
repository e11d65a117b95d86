/**
 * "Copy as" and the API console through the bridge handlers (main/orgs/token-console.ts): real vault, the
 * recorded clipboard of the test services, the Salesforce double on 127.0.0.1, a real POSIX shell for the
 * copied commands.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrgSummary } from '../../preload/contract';
import { COPY_FORMATS } from '../../preload/contract-tools';
import { startLoopback } from '../net/loopback';
import { failureOf } from '../support/failure';
import { signIn, startWorld, type World } from '../support/sign-in';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

async function signedIn(): Promise<{ w: World; org: OrgSummary; token: string }> {
  world = await startWorld();
  const org = await signIn(world);
  const token = (await world.services.handlers.revealToken({ id: org.id, kind: 'access' })).token;
  return { w: world, org, token };
}

const sh = promisify(execFile);
/** The words sh hands to `curl` (a stand-in that prints them) when it runs `command`. */
async function curlArgs(command: string): Promise<string[]> {
  const { stdout } = await sh('sh', ['-c', `curl() { printf '%s\\n' "$@"; }\n${command}`]);
  return stdout.replace(/\n$/, '').split('\n');
}

describe('copy as', () => {
  it('puts each form on the clipboard and returns only a preview with the last four characters', async () => {
    const { w, org, token } = await signedIn();
    const hint = `…${token.slice(-4)}`;
    for (const format of COPY_FORMATS) {
      const result = await w.services.handlers.copyTokenAs({ id: org.id, format });
      const copied = w.services.clipboard.at(-1)!;
      expect(result.format).toBe(format);
      expect(copied).toContain(token);
      expect(result.preview).not.toContain(token);
      expect(result.preview).toBe(copied.replace(token, hint));
    }
    expect(w.services.clipboard.slice(0, 2)).toEqual([
      `Authorization: Bearer ${token}`,
      `curl -H 'Authorization: Bearer ${token}' '${org.instanceUrl}/services/data/v62.0/'`,
    ]);
    expect(w.services.clipboard.at(-2)).toBe(
      `export SF_ACCESS_TOKEN='${token}'\nexport SF_INSTANCE_URL='${org.instanceUrl}'`,
    );
  });

  it('copies a curl command that works: sh hands curl the header and URL, and the org answers them', async () => {
    const { w, org } = await signedIn();
    await w.services.handlers.copyTokenAs({ id: org.id, format: 'curl' });
    const [flag, header, url] = await curlArgs(w.services.clipboard[0]!);
    expect(flag).toBe('-H');
    const [name, value] = header!.split(': ');
    const r = await fetch(url!, { headers: { [name!]: value! } });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ query: '/services/data/v62.0/query' });
  });

  it('quotes an odd token so that the shell reads it back exactly', async () => {
    const { w, org } = await signedIn();
    const odd = `00D5g!AQ'it"s $HOME \`id\` ‘x’`;
    const meta = w.services.vault.requireOrg(org.id).tokens.find((t) => t.kind === 'access')!;
    await w.services.vault.saveTokens(org.id, [{ meta, value: odd }]);
    await w.services.handlers.copyTokenAs({ id: org.id, format: 'env-posix' });
    const { stdout } = await sh('sh', ['-c', `${w.services.clipboard[0]!}\nprintf '%s' "$SF_ACCESS_TOKEN"`]);
    expect(stdout).toBe(odd);
    const ps = await w.services.handlers.copyTokenAs({ id: org.id, format: 'env-powershell' });
    expect(w.services.clipboard[1]).toContain(`$env:SF_ACCESS_TOKEN = '00D5g!AQ''it"s $HOME \`id\` ‘‘x’’'`);
    expect(ps.preview).toContain("$env:SF_ACCESS_TOKEN = '… ‘‘x’’'");
  });

  it('refuses a token the app knows is revoked or expired, and an org without an instance URL, saying why', async () => {
    const { w, org } = await signedIn();
    const { handlers, vault } = w.services;
    await vault.updateTokenMeta(org.id, 'access', { expiresAt: Date.now() - 5 * 60_000 - 1000 });
    expect(await failureOf(handlers.copyTokenAs({ id: org.id, format: 'curl' }))).toMatchObject({
      code: 'sf/session_expired',
      message:
        'The access token expired 5 min ago, so it was not copied: it would not work. Refresh gets a new access token. Then copy it again.',
    });
    await handlers.refreshOrg({ id: org.id });
    await handlers.revokeToken({ id: org.id, kind: 'access' });
    expect(await failureOf(handlers.copyTokenAs({ id: org.id, format: 'bearer-header' }))).toMatchObject({
      code: 'token/revoked',
      message: expect.stringMatching(/^The access token was revoked in this app at \d\d:\d\d, so it was not copied/),
    });
    await handlers.refreshOrg({ id: org.id });
    await vault.saveOrg({ ...vault.requireOrg(org.id).record, instanceUrl: null });
    expect(await failureOf(handlers.copyTokenAs({ id: org.id, format: 'httpie' }))).toMatchObject({
      code: 'sf/api_error',
      message: 'This org has no instance URL for an HTTPie command. Re-authenticate it.',
    });
    // The bare header needs no instance.
    await handlers.copyTokenAs({ id: org.id, format: 'bearer-header' });
    expect(w.services.clipboard).toHaveLength(1);
  });
});

describe('the API console', () => {
  it('runs a REST GET: status, every header, API usage, and the JSON pretty-printed', async () => {
    const { w, org, token } = await signedIn();
    const r = await w.services.handlers.runApiRequest({
      id: org.id,
      request: { kind: 'rest', path: '/services/data/v62.0/limits' },
    });
    expect(r).toMatchObject({
      url: `${org.instanceUrl}/services/data/v62.0/limits`,
      status: 200,
      json: true,
      bodyTruncated: false,
      explanation: null,
      contentType: 'application/json;charset=UTF-8',
    });
    expect(r.limitInfo).toEqual({ used: expect.any(Number), max: 15000 });
    expect(r.headers).toContainEqual({ name: 'sforce-limit-info', value: expect.stringMatching(/^api-usage=/) });
    expect(r.body).toContain('\n  "DailyApiRequests": {\n    "Max": 15000');
    expect(JSON.stringify(r)).not.toContain(token);
  });

  it('runs SOQL at the newest version, learnt once from the version list', async () => {
    const { w, org } = await signedIn();
    const before = w.double.requests.length;
    const query = 'SELECT Id, Name FROM Account LIMIT 10';
    const r = await w.services.handlers.runApiRequest({ id: org.id, request: { kind: 'soql', query } });
    expect(r.url).toBe(`${org.instanceUrl}/services/data/v62.0/query?q=SELECT+Id%2C+Name+FROM+Account+LIMIT+10`);
    const body = JSON.parse(r.body) as { totalSize: number; records: { attributes: { type: string } }[] };
    expect(body.totalSize).toBe(10);
    expect(body.records[0]!.attributes.type).toBe('Account');
    await w.services.handlers.runApiRequest({ id: org.id, request: { kind: 'soql', query } });
    expect(w.double.requests.slice(before)).toEqual([
      'GET /services/data/',
      'GET /services/data/v62.0/query',
      'GET /services/data/v62.0/query',
    ]);
  });

  it('shows a malformed query as Salesforce answered it, explained', async () => {
    const { w, org } = await signedIn();
    const r = await w.services.handlers.runApiRequest({
      id: org.id,
      request: { kind: 'soql', query: 'SELECT Id FORM Account' },
    });
    expect(r.status).toBe(400);
    expect(r.body).toContain('"errorCode": "MALFORMED_QUERY"');
    expect(r.explanation).toMatch(/could not run this query \(HTTP 400\).*MALFORMED_QUERY.*unexpected token: 'FORM'/s);
  });

  it('refuses a path outside /services/data/ before sending anything', async () => {
    const { w, org } = await signedIn();
    const before = w.double.requests.length;
    for (const path of ['/services/oauth2/userinfo', '/services/data/../oauth2/token', 'https://evil.example/'])
      expect(
        await failureOf(w.services.handlers.runApiRequest({ id: org.id, request: { kind: 'rest', path } })),
      ).toMatchObject({ code: 'ipc/bad_argument' });
    expect(w.double.requests.length).toBe(before);
  });

  it('explains a 401 for a token revoked in this app, and does not renew it behind the user’s back', async () => {
    const { w, org } = await signedIn();
    await w.services.handlers.revokeToken({ id: org.id, kind: 'access' });
    const grants = w.double.refreshGrants();
    const r = await w.services.handlers.runApiRequest({
      id: org.id,
      request: { kind: 'rest', path: '/services/data/' },
    });
    expect(r.status).toBe(401);
    expect(r.explanation).toMatch(
      /^The access token was revoked in this app at \d\d:\d\d — Refresh gets a new access token\. Salesforce said: INVALID_SESSION_ID: Session expired or invalid\.$/,
    );
    expect(w.double.refreshGrants()).toBe(grants);
  });

  it('renews an expired session once, as Test token does, and says so', async () => {
    const { w, org } = await signedIn();
    w.double.advance(2 * 3600_000 + 1000);
    const r = await w.services.handlers.runApiRequest({
      id: org.id,
      request: { kind: 'rest', path: '/services/data/' },
    });
    expect(r.status).toBe(200);
    expect(r.explanation).toMatch(/refused the stored access token \(HTTP 401\), so the app renewed it/);
    expect(w.double.refreshGrants()).toBe(1);
  });

  it('explains a 401 it cannot renew: the refresh token revoked too', async () => {
    const { w, org } = await signedIn();
    await w.services.handlers.revokeToken({ id: org.id, kind: 'refresh' });
    const r = await w.services.handlers.runApiRequest({
      id: org.id,
      request: { kind: 'soql', query: 'SELECT Id FROM User' },
    });
    expect(r.status).toBe(401);
    expect(r.explanation).toMatch(
      /^The access token was revoked with its refresh token at \d\d:\d\d — Re-authenticate the org to get a new one\./,
    );
  });

  it('is cancelled with cancelSignIn while the instance does not answer', async () => {
    const { w, org } = await signedIn();
    let arrived!: () => void;
    const reached = new Promise<void>((ok) => (arrived = ok));
    const silent = await startLoopback(() => arrived());
    try {
      const { vault, handlers } = w.services;
      await vault.saveOrg({ ...vault.requireOrg(org.id).record, instanceUrl: silent.origin });
      const run = failureOf(
        handlers.runApiRequest({ id: org.id, request: { kind: 'rest', path: '/services/data/' }, flowId: 'f-1' }),
      );
      await reached;
      await handlers.cancelSignIn({ flowId: 'f-1' });
      expect(await run).toMatchObject({ code: 'oauth/cancelled' });
    } finally {
      await silent.close();
    }
  });
});
