/**
 * The one token lifecycle (main/orgs/token-lifecycle.ts) over the real vault and the Salesforce double on
 * 127.0.0.1: renewals one at a time per org, a rotated refresh token stored before the new access token is
 * handed out, and 401 → retry once, with the token another caller already stored, or after one renewal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { createClients } from '../../main/orgs/clients';
import { createTokenLifecycle } from '../../main/orgs/token-lifecycle';
import { testToken } from '../../main/salesforce/rest';
import { AesGcmCipher } from '../support/aes-gcm-cipher';
import { signIn, startWorld, type World } from '../support/sign-in';
import { TEST_KEY } from '../support/vault';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** A second lifecycle over the app's own vault, the way org handlers build theirs. */
function lifecycleOf(w: World) {
  const clients = createClients(w.services.vault, {}, Date.now);
  return createTokenLifecycle(w.services.vault, clients, Date.now);
}

async function rotatingOrg() {
  world = await startWorld({ app: { rotateRefreshTokens: true } });
  const org = await signIn(world);
  return { w: world, org, lifecycle: lifecycleOf(world) };
}

describe('the token lifecycle', () => {
  it('renews once for parallel callers against a rotating server, and the stored refresh token works next time', async () => {
    const { w, org, lifecycle } = await rotatingOrg();
    const before = await w.services.vault.readToken(org.id, 'refresh');
    const [a, b] = await Promise.all([lifecycle.renew(org.id), lifecycle.renew(org.id)]);
    expect(a).toBe(b);
    expect(w.double.refreshGrants()).toBe(1);
    const stored = await w.services.vault.readToken(org.id, 'refresh');
    expect(stored).toBe(a.refreshToken);
    expect(stored).not.toBe(before);
    expect(w.double.isTokenActive(before!)).toBe(false);
    const next = await lifecycle.renew(org.id);
    expect(next.accessToken).not.toBe(a.accessToken);
    expect(w.double.refreshGrants()).toBe(2);
  });

  it('does not hand out the new access token when the rotated refresh token cannot be stored', async () => {
    const cipher = new (class extends AesGcmCipher {
      failing = false;
      override encrypt(plain: string) {
        return this.failing ? Promise.reject(new AppError('vault/io', 'The disk is full.')) : super.encrypt(plain);
      }
    })(TEST_KEY);
    world = await startWorld({ app: { rotateRefreshTokens: true }, cipher });
    const org = await signIn(world);
    const lifecycle = lifecycleOf(world);
    const seen: string[] = [];
    cipher.failing = true;
    const error = await lifecycle
      .withAuthRetry(org.id, async (token) => {
        seen.push(token);
        throw new AppError('sf/session_expired', 'expired');
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'vault/io' });
    // Only the old token was ever used; the renewal happened at the server but its tokens stayed unused.
    expect(seen).toHaveLength(1);
    expect(world.double.refreshGrants()).toBe(1);
  });

  it('on 401 renews once and retries once; parallel callers share the renewal', async () => {
    const { w, org, lifecycle } = await rotatingOrg();
    const instance = org.instanceUrl!;
    expect((await lifecycle.withAuthRetry(org.id, (t) => testToken(instance, t))).refreshed).toBe(false);
    // The session times out (2 hours by default): every call now gets 401 INVALID_SESSION_ID.
    w.double.advance(2 * 3600_000 + 1000);
    const results = await Promise.all(
      [1, 2, 3].map(() => lifecycle.withAuthRetry(org.id, (t) => testToken(instance, t))),
    );
    for (const r of results) expect(r).toMatchObject({ refreshed: true, value: { ok: true } });
    expect(w.double.refreshGrants()).toBe(1);
    expect(w.double.isTokenActive((await w.services.vault.readToken(org.id, 'refresh'))!)).toBe(true);
  });

  it('retries with the token another caller stored meanwhile instead of renewing again', async () => {
    const { w, org, lifecycle } = await rotatingOrg();
    const seen: string[] = [];
    const result = await lifecycle.withAuthRetry(org.id, async (token) => {
      seen.push(token);
      if (seen.length === 1) {
        // Another caller renews while this call is out; then the server refuses the old token.
        await lifecycle.renew(org.id);
        throw new AppError('sf/session_expired', 'expired');
      }
      return 'ok';
    });
    expect(result).toEqual({ value: 'ok', refreshed: true });
    expect(seen[1]).toBe(await w.services.vault.readToken(org.id, 'access'));
    expect(seen[1]).not.toBe(seen[0]);
    expect(w.double.refreshGrants()).toBe(1);
  });

  it('retries only once: a call that still gets 401 after the renewal fails with that error', async () => {
    const { w, org, lifecycle } = await rotatingOrg();
    let calls = 0;
    const error = await lifecycle
      .withAuthRetry(org.id, () => {
        calls++;
        return testToken(org.instanceUrl!, 'not-a-valid-token');
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'sf/session_expired' });
    expect(calls).toBe(2);
    expect(w.double.refreshGrants()).toBe(1);
  });

  it('does not renew for errors other than the ones it retries on', async () => {
    const { w, org, lifecycle } = await rotatingOrg();
    await expect(lifecycle.withAuthRetry(org.id, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const forbidden = lifecycle.withAuthRetry(org.id, () =>
      Promise.reject(new AppError('sf/forbidden', 'No permission.')),
    );
    await expect(forbidden).rejects.toMatchObject({ code: 'sf/forbidden' });
    expect(w.double.refreshGrants()).toBe(0);
  });

  it('a refused refresh token marks the org as needing sign-in, and says so', async () => {
    const { w, org, lifecycle } = await rotatingOrg();
    const refresh = (await w.services.vault.readToken(org.id, 'refresh'))!;
    await w.services.handlers.revokeToken({ id: org.id, kind: 'refresh' });
    expect(w.double.isTokenActive(refresh)).toBe(false);
    const error = await lifecycle.renew(org.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'oauth/invalid_grant' });
    const summary = (await w.services.handlers.listOrgs(undefined)).find((o) => o.id === org.id)!;
    expect(summary.status).toBe('needs-sign-in');
    expect(summary.tokens.find((t) => t.kind === 'refresh')!.status).toBe('revoked');
    // Kept as evidence: which server refused it, with the code and status it answered.
    expect(summary.tokens.find((t) => t.kind === 'refresh')!.evidence.refused).toMatchObject({
      by: 'token_endpoint',
      code: 'invalid_grant',
      httpStatus: 400,
    });
  });

  it('an empty 400 to the refresh token also moves the org to re-authenticate, with the status as evidence', async () => {
    const { w, org, lifecycle } = await rotatingOrg();
    w.double.setFault('token', { status: 400, body: 'empty' });
    expect(await lifecycle.renew(org.id).catch((e: unknown) => e)).toMatchObject({ code: 'oauth/invalid_grant' });
    const summary = (await w.services.handlers.listOrgs(undefined)).find((o) => o.id === org.id)!;
    expect(summary.status).toBe('needs-sign-in');
    expect(summary.tokens.find((t) => t.kind === 'refresh')!.evidence.refused).toMatchObject({
      code: null,
      httpStatus: 400,
    });
    expect((await w.services.handlers.getOrgHistory({ id: org.id }))[0]).toMatchObject({
      kind: 'refused',
      detail: 'the token endpoint refused the refresh token (HTTP 400)',
    });
  });
});
