/**
 * The health check of one org (`checkOrg`, main/orgs/health-check.ts) through the bridge handlers: the real
 * vault and the Salesforce double on 127.0.0.1, whose tokens are revoked at the server behind the app's back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OrgSummary } from '../../preload/contract';
import { failureOf } from '../support/failure';
import { signIn, startWorld, type World } from '../support/sign-in';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

async function signedIn(): Promise<{ w: World; org: OrgSummary }> {
  world = await startWorld();
  return { w: world, org: await signIn(world) };
}

/** Revokes a token at the double's revocation endpoint, as an admin in Setup would: the app is not told. */
async function revokeAtServer(w: World, token: string): Promise<void> {
  const r = await fetch(`${w.double.loginUrl}/services/oauth2/revoke`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });
  expect(r.status).toBe(200);
}

describe('checkOrg', () => {
  it('asks introspection about both tokens and records the answers as evidence', async () => {
    const { w, org } = await signedIn();
    const before = Date.now();
    const result = await w.services.handlers.checkOrg({ id: org.id });
    expect(result.checks).toEqual([
      expect.objectContaining({ kind: 'refresh', method: 'introspection', outcome: 'active' }),
      expect.objectContaining({ kind: 'access', method: 'introspection', outcome: 'active' }),
    ]);
    expect(result.org.status).toBe('connected');
    expect(result.summary).toMatch(/tokens work/);
    for (const t of result.org.tokens.filter((t) => t.kind !== 'id')) {
      expect(t.evidence.introspected?.active).toBe(true);
      expect(t.lastCheckedAt).toBeGreaterThanOrEqual(before);
    }
    const history = await w.services.handlers.getOrgHistory({ id: org.id });
    expect(history.filter((e) => e.kind === 'introspected' && /health check/.test(e.detail))).toHaveLength(2);
  });

  it('finds a refresh token revoked in Setup, and says to re-authenticate', async () => {
    const { w, org } = await signedIn();
    const refresh = (await w.services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
    await revokeAtServer(w, refresh);
    const result = await w.services.handlers.checkOrg({ id: org.id });
    expect(result.checks.map((c) => [c.kind, c.outcome])).toEqual([
      ['refresh', 'inactive'],
      ['access', 'inactive'],
    ]);
    expect(['needs-sign-in', 'revoked']).toContain(result.org.status);
    expect(result.summary).toMatch(/Re-authenticate/);
    // A check reports; it does not renew.
    expect(w.double.refreshGrants()).toBe(0);
  });

  it('falls back to the REST API for the access token when introspection fails, and sees a refusal', async () => {
    const { w, org } = await signedIn();
    w.double.setFault('introspect', 'http500');
    const ok = await w.services.handlers.checkOrg({ id: org.id });
    expect(ok.checks).toEqual([
      expect.objectContaining({ kind: 'refresh', method: 'introspection', outcome: 'failed' }),
      expect.objectContaining({ kind: 'access', method: 'api', outcome: 'active' }),
    ]);
    const access = (await w.services.handlers.revealToken({ id: org.id, kind: 'access' })).token;
    await revokeAtServer(w, access);
    const refused = await w.services.handlers.checkOrg({ id: org.id });
    expect(refused.checks[1]).toMatchObject({ kind: 'access', method: 'api', outcome: 'refused' });
    expect(refused.checks[1]!.detail).toMatch(/HTTP 401/);
    // Salesforce answers 401 for an expired and a revoked session alike (preload/token-status.ts).
    expect(refused.org.status).toBe('expired');
    expect(refused.summary).toMatch(/Refresh gets a new one/);
    expect(w.double.refreshGrants()).toBe(0);
  });

  it('says why when the server cannot be asked at all, and keeps the org', async () => {
    const { w, org } = await signedIn();
    await w.double.close();
    const result = await w.services.handlers.checkOrg({ id: org.id });
    expect(result.checks.every((c) => c.outcome === 'failed')).toBe(true);
    expect(result.summary).toMatch(/could not be checked/);
    expect((await w.services.handlers.listOrgs(undefined)).map((o) => o.id)).toEqual([org.id]);
  });

  it('can be cancelled while the server does not answer', async () => {
    const { w, org } = await signedIn();
    w.double.setFault('introspect', 'hang');
    const running = w.services.handlers.checkOrg({ id: org.id, flowId: 'check-1' });
    await new Promise((r) => setTimeout(r, 50));
    await w.services.handlers.cancelSignIn({ flowId: 'check-1' });
    expect((await failureOf(running))?.code).toBe('oauth/cancelled');
  });

  it('refuses an unknown org', async () => {
    const { w } = await signedIn();
    expect((await failureOf(w.services.handlers.checkOrg({ id: 'nope' })))?.code).toBe('org/not_found');
  });
});
