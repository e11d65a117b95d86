/**
 * What the evidence says must be told (main/orgs/notifications.ts `dueNotice`), and that each cause is told
 * once, kept in the real vault's history (bounded), and never repeated after a restart or a cleared history.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NO_EVIDENCE } from '../../preload/token-status';
import { createNotifications, dueNotice, EXPIRY_WARNING_MS } from '../../main/orgs/notifications';
import { NOTIFICATION_HISTORY_LIMIT, type TokenMeta } from '../../main/vault/records';
import type { Vault } from '../../main/vault/vault';
import { recordingNotifier } from '../support/manual-scheduler';
import { openTestVault, reopenTestVault, sampleMeta, sampleOrg, tempDir } from '../support/vault';

const NOW = Date.UTC(2026, 11, 2, 10, 42);
const MINUTE = 60_000;

const access = (extra: Partial<TokenMeta> = {}) =>
  sampleMeta('access', {
    hint: 'acc1',
    issuedAt: NOW - 2 * 60 * MINUTE,
    expiresAt: NOW + 4 * MINUTE,
    evidence: { ...NO_EVIDENCE, expirySource: 'introspection' },
    ...extra,
  });
const refresh = (extra: Partial<TokenMeta> = {}) => sampleMeta('refresh', { hint: 'ref1', ...extra });
const inactive = { ...NO_EVIDENCE, introspected: { at: NOW - MINUTE, active: false } };

describe('dueNotice', () => {
  const org = sampleOrg('o1', { label: 'Acme UAT' });

  it('warns of an access token about to expire that nothing can renew', () => {
    const n = dueNotice(org, [access()], NOW);
    expect(n).toMatchObject({ cause: 'access-expiring', orgId: 'o1', label: 'Acme UAT' });
    expect(n?.body).toMatch(/^the access token expires in 4 minutes \(at .+\) and nothing can renew it/);
    // Too early, already past, or an expiry nobody stated: nothing.
    expect(dueNotice(org, [access({ expiresAt: NOW + EXPIRY_WARNING_MS + MINUTE })], NOW)).toBeNull();
    expect(dueNotice(org, [access({ expiresAt: NOW - 1 })], NOW)).toBeNull();
    expect(dueNotice(org, [access({ evidence: NO_EVIDENCE })], NOW)).toBeNull();
  });

  it('is quiet about an expiry a live refresh token or the grant itself renews', () => {
    expect(dueNotice(org, [access(), refresh()], NOW)).toBeNull();
    expect(dueNotice(sampleOrg('o2', { grant: 'client_credentials' }), [access()], NOW)).toBeNull();
    // An org that already needs a sign-in has nothing to renew it.
    expect(dueNotice({ ...org, needsSignIn: true }, [access(), refresh()], NOW)?.cause).toBe('access-expiring');
  });

  it('says a refresh token is dead when introspection or the token endpoint said so', () => {
    const introspected = dueNotice(org, [access(), refresh({ evidence: inactive })], NOW);
    expect(introspected).toMatchObject({ cause: 'refresh-dead', key: `o1:refresh-dead:ref1:1` });
    expect(introspected?.body).toMatch(
      /^the refresh token was revoked \(introspection said inactive at .+\): re-authenticate\.$/,
    );
    const refused = dueNotice(
      org,
      [
        refresh({
          evidence: {
            ...NO_EVIDENCE,
            refused: { at: NOW, by: 'token_endpoint', code: 'invalid_grant', httpStatus: 400 },
          },
        }),
      ],
      NOW,
    );
    expect(refused?.body).toMatch(/token endpoint refused it at .+: invalid_grant, HTTP 400\)/);
  });

  it('says nothing of a token this app revoked: the user asked for it', () => {
    const revoked = { ...NO_EVIDENCE, revoked: { at: NOW, by: 'self' as const } };
    const cascade = {
      ...NO_EVIDENCE,
      expirySource: 'introspection' as const,
      revoked: { at: NOW, by: 'refresh_token' as const },
    };
    expect(
      dueNotice(org, [access({ evidence: cascade }), refresh({ evidence: revoked, status: 'revoked' })], NOW),
    ).toBeNull();
  });

  it('says an access token is dead when a server said so and nothing can renew it', () => {
    const refused = { ...NO_EVIDENCE, refused: { at: NOW, by: 'api' as const, code: null, httpStatus: 401 } };
    const n = dueNotice(org, [access({ evidence: refused })], NOW);
    expect(n?.cause).toBe('access-dead');
    expect(n?.body).toMatch(/an API refused it at .+ with HTTP 401\) and nothing can renew it/);
    expect(dueNotice(org, [access({ evidence: refused }), refresh()], NOW)).toBeNull();
  });
});

describe('createNotifications', () => {
  let vault: Vault | null = null;
  let cleanup: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await vault?.close();
    await cleanup?.();
    vault = null;
  });

  it('tells each cause once, keeps it across a restart and a cleared history, and follows the setting', async () => {
    const dir = await tempDir();
    cleanup = dir.cleanup;
    vault = await openTestVault(dir.dir);
    await vault.saveOrg(sampleOrg('o1', { label: 'Acme Prod' }));
    await vault.saveTokens('o1', [
      { meta: access(), value: 'a-token' },
      { meta: refresh({ evidence: inactive }), value: 'r-token' },
    ]);
    const notifier = recordingNotifier();
    const first = createNotifications(vault, notifier, () => NOW);
    await first.tellDue();
    await first.tellDue();
    expect(notifier.shown).toHaveLength(1);
    expect(first.list()).toEqual([
      expect.objectContaining({ orgId: 'o1', orgLabel: 'Acme Prod', cause: 'refresh-dead', at: NOW }),
    ]);

    vault = await reopenTestVault(vault, dir.dir);
    const second = createNotifications(vault, notifier, () => NOW + MINUTE);
    expect(second.list()).toHaveLength(1);
    await second.clear();
    expect(second.list()).toEqual([]);
    await second.tellDue();
    expect(notifier.shown).toHaveLength(1);

    // A new refresh token (the user re-authenticated) that dies again is a new cause.
    await vault.saveTokens('o1', [{ meta: refresh({ hint: 'ref2', evidence: inactive }), value: 'r2' }]);
    await vault.setSettings({ notifications: false });
    await second.tellDue();
    expect(notifier.shown).toHaveLength(1);
    await vault.setSettings({ notifications: true });
    await second.tellDue();
    expect(notifier.shown).toHaveLength(2);
  });

  it(`keeps the last ${NOTIFICATION_HISTORY_LIMIT} notifications`, async () => {
    const dir = await tempDir();
    cleanup = dir.cleanup;
    vault = await openTestVault(dir.dir);
    for (let i = 0; i < NOTIFICATION_HISTORY_LIMIT + 5; i++)
      await vault.noteNotification({ at: i, orgId: 'o1', orgLabel: 'A', cause: 'access-dead', text: `n${i}` }, `k${i}`);
    vault = await reopenTestVault(vault, dir.dir);
    const list = createNotifications(vault, null, () => NOW).list();
    expect(list).toHaveLength(NOTIFICATION_HISTORY_LIMIT);
    expect(list[0]!.text).toBe(`n${NOTIFICATION_HISTORY_LIMIT + 4}`);
    expect(vault.notifications.said).toContain('k0');
  });
});
