/**
 * Health in the background (main/orgs/health-monitor.ts) through the bridge handlers: the real vault, the
 * Salesforce double on 127.0.0.1 on the same clock as the app, and timers the test drives (no test waits
 * for minutes to pass).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OrgSummary } from '../../preload/contract';
import { CHECK_CONCURRENCY, REFRESH_AHEAD_MS } from '../../main/orgs/health-monitor';
import { ManualScheduler, recordingNotifier } from '../support/manual-scheduler';
import { signIn, startWorld, type World } from '../support/sign-in';
import { testHandlers } from '../support/test-services';
import { tempDir } from '../support/vault';
import { DEFAULT_ORG_ID, DEFAULT_USER, type DoubleUser } from '../servers/salesforce-double';

const MINUTE = 60_000;
/** A time of day as the machine's locale writes it: 10:42, or 10:42 AM. */
const TIME = String.raw`\d{1,2}:\d\d(?:\s?[AP]M)?`;
const INTROSPECT = 'POST /services/oauth2/introspect';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** A world whose app and double share the scheduler's clock; `fetch` stands between the app and the double. */
async function drivenWorld(
  options: { sessionTimeoutSeconds?: number; users?: DoubleUser[]; fetch?: typeof fetch } = {},
): Promise<{ w: World; scheduler: ManualScheduler; notifier: ReturnType<typeof recordingNotifier> }> {
  const scheduler = new ManualScheduler();
  const notifier = recordingNotifier();
  world = await startWorld({
    double: {
      now: scheduler.now,
      orgs: [
        {
          orgId: DEFAULT_ORG_ID,
          name: 'Acme',
          myDomain: 'acme',
          users: options.users ?? [DEFAULT_USER],
          ...(options.sessionTimeoutSeconds ? { sessionTimeoutSeconds: options.sessionTimeoutSeconds } : {}),
        },
      ],
    },
    services: {
      now: scheduler.now,
      scheduler,
      notifier,
      ...(options.fetch ? { http: { fetch: options.fetch } } : {}),
    },
  });
  return { w: world, scheduler, notifier };
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

const refreshOf = async (w: World, org: OrgSummary) =>
  (await w.services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
const introspections = (w: World) => w.double.requests.filter((r) => r === INTROSPECT).length;

describe('the periodic check', () => {
  it('is off by default: nothing asks a server however long the app runs', async () => {
    const { w, scheduler } = await drivenWorld();
    await signIn(w);
    expect((await w.services.handlers.getSettings(undefined)).healthCheckMinutes).toBe(0);
    const before = w.double.requests.length;
    await scheduler.advance(3 * 60 * MINUTE);
    expect(w.double.requests.length).toBe(before);
    // Only the look at the vault is armed (every minute), never a check.
    expect(scheduler.pending()).toEqual([MINUTE]);
  });

  it('finds a refresh token revoked at the server, notifies once, and keeps it in the history', async () => {
    const { w, scheduler, notifier } = await drivenWorld();
    const org = await signIn(w, w.double.loginUrl, { label: 'Acme Prod' });
    await w.services.handlers.saveSettings({ healthCheckMinutes: 15 });
    await revokeAtServer(w, await refreshOf(w, org));

    await scheduler.advance(14 * MINUTE);
    expect(notifier.shown).toEqual([]);
    const before = introspections(w);
    await scheduler.advance(MINUTE);
    expect(introspections(w)).toBe(before + 2);
    expect(notifier.shown).toEqual([
      {
        title: 'Acme Prod',
        orgId: org.id,
        body: expect.stringMatching(
          new RegExp(
            String.raw`^the refresh token was revoked \(introspection said inactive at ${TIME}\): re-authenticate\.$`,
          ),
        ) as string,
      },
    ]);
    const [entry, ...rest] = await w.services.handlers.listNotifications(undefined);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ orgId: org.id, orgLabel: 'Acme Prod', cause: 'refresh-dead', at: scheduler.now() });
    expect(entry!.text).toBe(`Acme Prod: ${notifier.shown[0]!.body}`);

    // The next periods ask again and hear the same: nothing is said twice.
    await scheduler.advance(45 * MINUTE);
    expect(introspections(w)).toBe(before + 8);
    expect(notifier.shown).toHaveLength(1);
    // Clearing the history does not make the app say it again.
    await w.services.handlers.clearNotifications(undefined);
    expect(await w.services.handlers.listNotifications(undefined)).toEqual([]);
    await scheduler.advance(15 * MINUTE);
    expect(notifier.shown).toHaveLength(1);
  });

  it('says nothing when notifications are off, yet still records what the server said', async () => {
    const { w, scheduler, notifier } = await drivenWorld();
    const org = await signIn(w);
    await w.services.handlers.saveSettings({ healthCheckMinutes: 30, notifications: false });
    await revokeAtServer(w, await refreshOf(w, org));
    await scheduler.advance(30 * MINUTE);
    expect(notifier.shown).toEqual([]);
    expect(await w.services.handlers.listNotifications(undefined)).toEqual([]);
    const [after] = await w.services.handlers.listOrgs(undefined);
    expect(after!.tokens.find((t) => t.kind === 'refresh')?.evidence.introspected?.active).toBe(false);
  });

  it(`asks at most ${CHECK_CONCURRENCY} orgs at once, and never runs two checks at once`, async () => {
    let inFlight = 0;
    let most = 0;
    let gate: Promise<void> = Promise.resolve();
    const counting: typeof fetch = async (input, init) => {
      if (!String(input instanceof Request ? input.url : input).endsWith('/services/oauth2/introspect'))
        return fetch(input, init);
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        await gate;
        // Long enough that every org the check may start at once has started.
        await new Promise((r) => setTimeout(r, 30));
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const users = Array.from({ length: 7 }, (_, i) => ({
      ...DEFAULT_USER,
      userId: `0055g00000AbCd${i}AAV`,
      username: `user${i}@acme.example`,
    }));
    const { w, scheduler } = await drivenWorld({ users, fetch: counting });
    for (const user of users) {
      w.browser.username = user.username;
      await signIn(w);
    }
    expect(await w.services.handlers.listOrgs(undefined)).toHaveLength(7);
    most = 0;
    await w.services.handlers.saveSettings({ healthCheckMinutes: 15 });
    const before = introspections(w);

    let open!: () => void;
    gate = new Promise((r) => (open = r));
    const running = scheduler.advance(15 * MINUTE);
    await expect.poll(() => inFlight).toBe(CHECK_CONCURRENCY);
    // While it runs no second check is armed, not even by changing the interval.
    await w.services.handlers.saveSettings({ healthCheckMinutes: 15 });
    expect(scheduler.pending()).not.toContain(15 * MINUTE);
    open();
    await running;
    expect(most).toBe(CHECK_CONCURRENCY);
    // Each org's refresh and access token, once each.
    expect(introspections(w) - before).toBe(14);
    expect(scheduler.pending()).toEqual([MINUTE, 15 * MINUTE]);
  });

  it('keeps its settings across a restart, and the next interval follows a change', async () => {
    const data = await tempDir();
    try {
      const scheduler = new ManualScheduler();
      const first = await testHandlers({ dataDir: data.dir, scheduler, now: scheduler.now });
      const saved = await first.handlers.saveSettings({ healthCheckMinutes: 30, notifications: false });
      expect(saved).toMatchObject({ healthCheckMinutes: 30, notifications: false });
      expect(scheduler.pending()).toEqual([MINUTE, 30 * MINUTE]);
      await first.handlers.saveSettings({ healthCheckMinutes: 60 });
      expect(scheduler.pending()).toEqual([MINUTE, 60 * MINUTE]);
      await first.close();

      const again = new ManualScheduler();
      const second = await testHandlers({ dataDir: data.dir, scheduler: again, now: again.now });
      expect(await second.handlers.getSettings(undefined)).toMatchObject({
        healthCheckMinutes: 60,
        notifications: false,
      });
      expect(again.pending()).toEqual([MINUTE, 60 * MINUTE]);
      await second.handlers.saveSettings({ healthCheckMinutes: 0 });
      expect(again.pending()).toEqual([MINUTE]);
      await second.close();
    } finally {
      await data.cleanup();
    }
  });

  it('stops every timer and cancels a running check on quit', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let heldRequests = 0;
    let holding = false;
    const hold: typeof fetch = async (input, init) => {
      if (holding && String(input instanceof Request ? input.url : input).endsWith('/services/oauth2/introspect')) {
        heldRequests++;
        // Held until the quit; the request's own signal is what ends it.
        await Promise.race([
          held,
          new Promise((_, no) => init?.signal?.addEventListener('abort', () => no(new Error('aborted')))),
        ]);
      }
      return fetch(input, init);
    };
    const { w, scheduler } = await drivenWorld({ fetch: hold });
    await signIn(w);
    holding = true;
    const before = heldRequests;
    await w.services.handlers.saveSettings({ healthCheckMinutes: 15 });
    const running = scheduler.advance(15 * MINUTE);
    await expect.poll(() => heldRequests).toBe(before + 1);
    // What quitting does (main/index.ts, before-quit): the handlers close, then the vault.
    const quitting = w.services.close();
    await running;
    await quitting;
    release();
    expect(scheduler.pending()).toEqual([]);
    // The cancelled check asked no further token; nothing runs afterwards.
    expect(heldRequests).toBe(before + 1);
    const requests = w.double.requests.length;
    await scheduler.advance(120 * MINUTE);
    expect(w.double.requests.length).toBe(requests);
  });
});

describe('refresh ahead of expiry', () => {
  it('renews the access token a few minutes before its known expiry, only for an org that asks', async () => {
    const { w, scheduler } = await drivenWorld({ sessionTimeoutSeconds: 30 * 60 });
    const org = await signIn(w);
    const expiresAt = org.tokens.find((t) => t.kind === 'access')!.expiresAt!;
    expect(expiresAt).toBe(scheduler.now() + 30 * MINUTE - (scheduler.now() % 1000));

    await scheduler.advance(expiresAt - scheduler.now() - 3 * MINUTE);
    expect(w.double.refreshGrants()).toBe(0);

    const updated = await w.services.handlers.updateOrg({ id: org.id, refreshAhead: true });
    expect(updated.refreshAhead).toBe(true);
    await scheduler.advance(MINUTE);
    expect(w.double.refreshGrants()).toBe(1);
    const [after] = await w.services.handlers.listOrgs(undefined);
    const access = after!.tokens.find((t) => t.kind === 'access')!;
    // Renewed before the old one died, through the one lifecycle (the history says so).
    expect(scheduler.now()).toBeLessThan(expiresAt);
    expect(access.expiresAt).toBeGreaterThan(expiresAt);
    const history = await w.services.handlers.getOrgHistory({ id: org.id });
    expect(history[0]).toMatchObject({ kind: 'refreshed' });

    // The new token is not renewed again until its own expiry comes near.
    await scheduler.advance(20 * MINUTE);
    expect(w.double.refreshGrants()).toBe(1);
    await scheduler.advance(access.expiresAt! - scheduler.now() - REFRESH_AHEAD_MS + MINUTE);
    expect(w.double.refreshGrants()).toBe(2);
  });

  it('never renews with a refresh token a server said is revoked, and says so once', async () => {
    const { w, scheduler, notifier } = await drivenWorld({ sessionTimeoutSeconds: 30 * 60 });
    const org = await signIn(w, w.double.loginUrl, { label: 'Acme UAT' });
    await w.services.handlers.updateOrg({ id: org.id, refreshAhead: true });
    await revokeAtServer(w, await refreshOf(w, org));
    await w.services.handlers.checkOrg({ id: org.id });
    await scheduler.advance(40 * MINUTE);
    expect(w.double.refreshGrants()).toBe(0);
    expect(w.double.lastTokenRequest()?.grantType).toBe('authorization_code');
    expect(notifier.shown.map((n) => n.body)).toEqual([expect.stringMatching(/refresh token was revoked/)]);
  });

  it('says when the token endpoint refuses the renewal, once', async () => {
    const { w, scheduler, notifier } = await drivenWorld({ sessionTimeoutSeconds: 30 * 60 });
    const org = await signIn(w, w.double.loginUrl, { label: 'Acme Dev' });
    await w.services.handlers.updateOrg({ id: org.id, refreshAhead: true });
    // Revoked behind the app's back, and nothing has asked the server since.
    await revokeAtServer(w, await refreshOf(w, org));
    await scheduler.advance(30 * MINUTE);
    expect(w.double.lastTokenRequest()?.grantType).toBe('refresh_token');
    expect(notifier.shown.map((n) => n.body)).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^the refresh token no longer works \(the token endpoint refused it at ${TIME}: invalid_grant, HTTP 400\): re-authenticate\.$`,
        ),
      ),
    ]);
    const [after] = await w.services.handlers.listOrgs(undefined);
    expect(after!.status).toBe('needs-sign-in');
  });
});
