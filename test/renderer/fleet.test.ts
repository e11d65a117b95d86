/**
 * The fleet's state with a fake bridge: filter and sort, selection (ranges, all shown), and the bulk runs:
 * bounded concurrency, progress, Cancel reaching what is in flight, and re-authenticating one org after another.
 */
import { describe, expect, it } from 'vitest';
import type { Api, OrgCheckResult, OrgSummary, Result, SignInRequest, TokenSummary } from '../../preload/contract';
import { NO_EVIDENCE } from '../../preload/token-status';
import { FLEET_CONCURRENCY, FleetState } from '../../renderer/state/fleet.svelte';
import { appState, deferred, fail, fakeApi, ok, org } from './support';

const token = (kind: 'access' | 'refresh', revokedAt: number | null): TokenSummary => ({
  kind,
  format: 'opaque',
  scopes: [],
  issuedAt: null,
  expiresAt: kind === 'access' ? Date.now() + 3_600_000 : null,
  status: 'active',
  lastCheckedAt: null,
  hint: '…abcd',
  evidence: { ...NO_EVIDENCE, revoked: revokedAt === null ? null : { at: revokedAt, by: 'self' } },
  previousReplacedAt: null,
});

/** An org whose tokens say it is connected, or (`revoked`) that this app revoked them; the list recomputes it. */
const signedIn = (id: string, extra: Partial<OrgSummary> = {}): OrgSummary => {
  const revokedAt = extra.status === 'revoked' ? 1 : null;
  return org(id, { tokens: [token('access', revokedAt), token('refresh', revokedAt)], ...extra });
};

const orgs = (n: number) =>
  Array.from({ length: n }, (_, i) => signedIn(`o${i}`, { label: `Org ${String(i).padStart(2, '0')}` }));

async function fleetOf(list: OrgSummary[], overrides: Partial<Api> = {}) {
  const api = fakeApi({ listOrgs: async () => ok(list), ...overrides });
  const state = appState(api);
  await state.orgList.load();
  return { ...state, fleet: new FleetState(api, state.notices, state.orgList, state.signIn) };
}

const checked = (o: OrgSummary, summary: string): OrgCheckResult => ({
  org: o,
  checks: [{ kind: 'access', method: 'introspection', outcome: 'active', detail: 'Introspection says active.' }],
  at: 1,
  summary,
});

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('FleetState: the table', () => {
  it('filters with the palette rule and sorts by a column, the same column again reversing it', async () => {
    const { fleet } = await fleetOf([
      signedIn('a', { label: 'Acme production', orgType: 'production', username: 'ada@acme.example' }),
      signedIn('b', { label: 'Globex UAT', orgType: 'sandbox', username: 'gus@globex.example' }),
      signedIn('c', {
        label: 'Acme UAT',
        orgType: 'sandbox',
        username: 'ada@acme.example.uat',
        status: 'needs-sign-in',
      }),
    ]);
    expect(fleet.rows.map((o) => o.id)).toEqual(['a', 'c', 'b']);
    fleet.query = 'acme';
    expect(fleet.rows.map((o) => o.id)).toEqual(['a', 'c']);
    expect(fleet.matchFor('a')?.label).toEqual([0, 1, 2, 3]);
    expect(fleet.matchFor('b')).toBeUndefined();
    // Typing on narrows the last matches; deleting a character widens again over the whole list.
    fleet.query = 'acme ua';
    expect(fleet.rows.map((o) => o.id)).toEqual(['c']);
    fleet.query = 'acme';
    expect(fleet.rows.map((o) => o.id)).toEqual(['a', 'c']);
    fleet.query = '';
    fleet.sortBy('status');
    expect(fleet.rows[0]!.id).toBe('c');
    fleet.sortBy('label');
    fleet.sortBy('label');
    expect(fleet.sort).toEqual({ key: 'label', dir: 'desc' });
    expect(fleet.rows.map((o) => o.id)).toEqual(['b', 'c', 'a']);
  });

  it('selects a range with shift from the row toggled last, and all shown rows, keeping hidden ones', async () => {
    const { fleet } = await fleetOf(orgs(6));
    fleet.toggle('o1');
    fleet.toggle('o4', true);
    expect([...fleet.selected].sort()).toEqual(['o1', 'o2', 'o3', 'o4']);
    fleet.setSelected('o2', false, true);
    expect([...fleet.selected].sort()).toEqual(['o1']);
    fleet.query = 'Org 05';
    fleet.toggleAllShown();
    expect(fleet.allShownSelected).toBe(true);
    expect(fleet.selectedOrgs.map((o) => o.id)).toEqual(['o1', 'o5']);
    fleet.toggleAllShown();
    expect(fleet.selectedOrgs.map((o) => o.id)).toEqual(['o1']);
    fleet.clearSelection();
    expect(fleet.selected.size).toBe(0);
  });
});

describe('FleetState: runs', () => {
  it('checks at most FLEET_CONCURRENCY orgs at once, counts progress and puts each new summary in the list', async () => {
    const list = orgs(10);
    let inFlight = 0;
    let most = 0;
    const { fleet, orgList } = await fleetOf(list, {
      checkOrg: async ({ id }) => {
        most = Math.max(most, ++inFlight);
        await settle();
        inFlight--;
        const o = list.find((x) => x.id === id)!;
        if (id === 'o3') return fail('oauth/network', 'Could not reach the server.');
        return ok(checked(id === 'o7' ? signedIn(id, { status: 'revoked' }) : o, `${o.label} checked.`));
      },
    });
    const running = fleet.checkAll();
    expect(fleet.running).toBe(true);
    expect(fleet.run).toMatchObject({ action: 'check', total: 10, done: 0 });
    await running;
    expect(most).toBe(FLEET_CONCURRENCY);
    expect(fleet.run).toMatchObject({ total: 10, done: 10, failed: 1, finished: true, cancelled: false });
    expect(fleet.resultFor('o3')).toEqual({
      state: 'done',
      tone: 'bad',
      text: 'Could not reach the server.',
      failed: true,
    });
    expect(fleet.resultFor('o0')).toMatchObject({ tone: 'ok', text: 'Org 00 checked.' });
    expect(fleet.resultFor('o7')).toMatchObject({ tone: 'bad', failed: false });
    expect(orgList.orgs.find((o) => o.id === 'o7')?.status).toBe('revoked');
    fleet.dismissRun();
    expect(fleet.run).toBeNull();
  });

  it('counts a check whose every token could not be asked as failed', async () => {
    const { fleet } = await fleetOf([org('a')], {
      checkOrg: async () =>
        ok({
          ...checked(org('a'), 'a could not be checked: offline.'),
          checks: [{ kind: 'access', method: 'none', outcome: 'failed', detail: 'offline' }],
        }),
    });
    await fleet.check(['a']);
    expect(fleet.run).toMatchObject({ done: 1, failed: 1 });
  });

  it('Cancel starts nothing more and cancels each check in flight by its flowId', async () => {
    const list = orgs(9);
    const waits = new Map<string, (r: Result<OrgCheckResult>) => void>();
    const cancelled: string[] = [];
    const { fleet } = await fleetOf(list, {
      checkOrg: ({ flowId }) => new Promise((resolve) => waits.set(flowId!, resolve)),
      cancelSignIn: async ({ flowId }) => {
        cancelled.push(flowId);
        waits.get(flowId)?.(fail('oauth/cancelled', 'Cancelled.'));
        return ok(null);
      },
    });
    const running = fleet.check(list.map((o) => o.id));
    await settle();
    // One finishes; the next starts in its place.
    const [first] = waits.keys();
    waits.get(first!)!(ok(checked(list[0]!, 'Org 00 checked.')));
    await settle();
    expect(waits.size).toBe(FLEET_CONCURRENCY + 1);
    expect(fleet.resultFor('o4')).toEqual({ state: 'running' });
    expect(fleet.resultFor('o5')).toEqual({ state: 'queued' });
    await fleet.cancel();
    await running;
    expect(cancelled).toHaveLength(FLEET_CONCURRENCY);
    expect(cancelled).not.toContain(first);
    expect(fleet.run).toMatchObject({ done: 5, failed: 0, stopped: 4, cancelled: true, finished: true });
    expect(fleet.resultFor('o4')).toMatchObject({ text: 'Cancelled.' });
    expect(fleet.resultFor('o8')).toMatchObject({ text: 'Not run: cancelled.' });
    // A second run cannot start while one runs, and nothing starts for no orgs.
    await fleet.check([]);
    expect(fleet.run?.total).toBe(9);
  });

  it('refreshes each org and signs out after the list reloads, saying how many', async () => {
    let list = orgs(3);
    const { fleet, orgList, notices } = await fleetOf(list, {
      listOrgs: async () => ok(list),
      refreshOrg: async ({ id }) =>
        id === 'o1' ? fail('org/needs_sign_in', 'Re-authenticate o1.') : ok({ ...org(id), label: `${id} renewed` }),
      signOut: async ({ id }) => {
        list = list.filter((o) => o.id !== id);
        return ok({ revoked: 'refresh', summary: `Signed out of ${id}.`, confirmed: null });
      },
    });
    await fleet.refresh(['o0', 'o1']);
    expect(fleet.resultFor('o0')).toMatchObject({ tone: 'ok', text: 'Got a new access token.' });
    expect(fleet.resultFor('o1')).toMatchObject({ tone: 'bad', text: 'Re-authenticate o1.', failed: true });
    expect(orgList.orgs.find((o) => o.id === 'o0')?.label).toBe('o0 renewed');
    // A new run's rows show its own results only.
    await fleet.refresh(['o2']);
    expect(fleet.resultFor('o1')).toBeUndefined();
    expect(fleet.resultFor('o2')).toMatchObject({ text: 'Got a new access token.' });
    fleet.toggle('o0');
    fleet.toggle('o2');
    await fleet.signOut(['o0', 'o2']);
    expect(orgList.orgs.map((o) => o.id)).toEqual(['o1']);
    expect(fleet.selected.size).toBe(0);
    expect(notices.current).toEqual({ kind: 'success', text: 'Signed out of 2 orgs.' });
  });

  it('re-authenticates only the orgs that need it, one at a time in place; Skip goes on, Cancel stops', async () => {
    const list = [
      signedIn('a', { label: 'Alpha', status: 'needs-sign-in', loginHost: 'sandbox' }),
      signedIn('b', { label: 'Beta' }),
      signedIn('c', { label: 'Gamma', status: 'revoked' }),
      signedIn('d', { label: 'Delta', status: 'revoked', profileId: null }),
      signedIn('e', { label: 'Epsilon', status: 'revoked' }),
    ];
    const requests: SignInRequest[] = [];
    let pending = deferred<Result<OrgSummary>>();
    const { fleet } = await fleetOf(list, {
      beginSignIn: async (request) => {
        requests.push(request);
        return ok({
          flowId: `f-${request.orgRef}`,
          method: 'authorization_code',
          authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize?x',
          redirectUri: 'http://localhost:1717/OauthRedirect',
          expiresAt: Date.now() + 300_000,
        });
      },
      awaitSignIn: () => pending.promise,
      cancelSignIn: async () => {
        const waiting = pending;
        pending = deferred();
        waiting.resolve(fail('oauth/cancelled', 'Cancelled.'));
        return ok(null);
      },
    });
    const running = fleet.reauthenticate(['a', 'b', 'c', 'd', 'e']);
    await settle();
    expect(fleet.run).toMatchObject({ action: 'reauthenticate', total: 4 });
    expect(fleet.run?.waiting).toEqual({ id: 'a', label: 'Alpha', index: 1 });
    expect(requests).toEqual([{ profileId: 'p', loginHost: 'sandbox', orgRef: 'a', method: 'authorization_code' }]);
    const signedInAlpha = pending;
    pending = deferred();
    signedInAlpha.resolve(ok(signedIn('a', { label: 'Alpha' })));
    await settle();
    expect(fleet.resultFor('a')).toMatchObject({ tone: 'ok', text: 'Signed in again.' });
    expect(fleet.run?.waiting?.label).toBe('Gamma');
    await fleet.skip();
    await settle();
    expect(fleet.resultFor('c')).toMatchObject({ text: 'Skipped.' });
    // Delta has no app profile to sign in with: said, and the next one waits.
    expect(fleet.resultFor('d')).toMatchObject({ tone: 'bad', failed: true });
    expect(fleet.run?.waiting?.label).toBe('Epsilon');
    await fleet.cancel();
    await running;
    expect(fleet.resultFor('e')).toMatchObject({ text: 'Cancelled.' });
    expect(fleet.resultFor('b')).toBeUndefined();
    expect(fleet.run).toMatchObject({ done: 4, failed: 1, stopped: 2, cancelled: true, finished: true, waiting: null });
  });

  it('shows a sign-in that failed as the row result', async () => {
    const { fleet } = await fleetOf([signedIn('a', { status: 'revoked' })], {
      awaitSignIn: async () => fail('oauth/access_denied', 'You denied access in the browser.'),
    });
    await fleet.reauthenticate(['a']);
    expect(fleet.resultFor('a')).toMatchObject({ tone: 'bad', text: 'You denied access in the browser.' });
  });
});
