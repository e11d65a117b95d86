/** The org-wide token listing's state with a fake bridge: pages, search, grouping, sorting, revoking in batches, cancel. */
import { describe, expect, it } from 'vitest';
import type { Api } from '../../preload/contract';
import type { OrgOauthToken, OrgTokenPage } from '../../preload/contract-admin';
import { AdminTokensState } from '../../renderer/state/admin-tokens.svelte';
import { Notices } from '../../renderer/state/notices.svelte';
import { deferred, fail, ok } from './support';

const t = (n: number, extra: Partial<OrgOauthToken> = {}): OrgOauthToken => ({
  id: `0CR00000000${String(n).padStart(4, '0')}`,
  appName: n % 2 ? 'Data Loader' : 'Workbench',
  appMenuItemId: null,
  userId: `00500000000${n % 3}`,
  userName: ['Ada Admin', 'Bob Builder', 'Cy Clerk'][n % 3]!,
  username: ['ada@x.example', 'bob@x.example', 'cy@x.example'][n % 3]!,
  createdAt: 1_000 * n,
  lastUsedAt: n === 3 ? null : 2_000 * n,
  useCount: n,
  revocable: true,
  ...extra,
});
const ALL = Array.from({ length: 12 }, (_, i) => t(i + 1));
const page = (tokens: OrgOauthToken[], loaded: number, more: boolean): OrgTokenPage => ({
  tokens,
  totalSize: ALL.length,
  loaded,
  more,
  visibility: { scope: 'all', evidence: 'permissions', reason: 'admin' },
  userId: '005000000001',
  refreshed: false,
});

/** A bridge serving ALL in pages of 5, recording the revocations and cancels. */
function stateWith(overrides: Partial<Pick<Api, 'listOrgTokens' | 'revokeOrgTokens'>> = {}) {
  let served = 0;
  const revoked: string[][] = [];
  const cancelled: string[] = [];
  const exported: string[][] = [];
  let changed = 0;
  const api: Pick<Api, 'listOrgTokens' | 'revokeOrgTokens' | 'exportOrgTokens' | 'cancelSignIn'> = {
    listOrgTokens: async ({ more }) => {
      if (!more) served = 0;
      const next = ALL.slice(served, served + 5);
      served += next.length;
      return ok(page(next, served, served < ALL.length));
    },
    revokeOrgTokens: async ({ tokenIds }) => (
      revoked.push(tokenIds),
      ok(
        tokenIds.map(
          (id) =>
            ({
              id,
              outcome: id.endsWith('12') ? 'failed' : 'revoked',
              message: id.endsWith('12') ? 'Not revoked: x' : 'Revoked',
            }) as const,
        ),
      )
    ),
    exportOrgTokens: async ({ tokenIds }) => (
      exported.push(tokenIds),
      ok({ path: '/tmp/x.csv', tokens: tokenIds.length })
    ),
    cancelSignIn: async ({ flowId }) => (cancelled.push(flowId), ok(null)),
    ...overrides,
  };
  const notices = new Notices();
  const state = new AdminTokensState(api, notices, 'org', async () => void changed++);
  return { state, revoked, cancelled, exported, notices, changed: () => changed };
}

describe('AdminTokensState', () => {
  it('loads the first page, then more, then all the rest; the same column twice turns the sort round', async () => {
    const { state } = stateWith();
    await state.load();
    expect([state.tokens.length, state.more, state.totalSize, state.listed]).toEqual([5, true, 12, true]);
    await state.loadMore();
    expect(state.tokens.length).toBe(10);
    await state.loadAll();
    expect([state.tokens.length, state.more]).toEqual([12, false]);
    expect(state.usage.map((u) => u.tokens)).toEqual([6, 6]);
    expect([state.sortKey, state.sortDirection]).toEqual(['lastUsed', 'descending']);
    state.sortBy('lastUsed');
    expect(state.sortDirection).toBe('ascending');
    state.sortBy('app');
    expect([state.sortKey, state.sortDirection]).toEqual(['app', 'ascending']);
    state.search = 'workbench';
    expect(state.shown).toHaveLength(6);
    expect(state.isOwn(state.tokens[0]!)).toBe(true);
    expect(state.isOwn(state.tokens[1]!)).toBe(false);
  });

  it('cancels Load all: the page in flight is cancelled and the listing says how far it got', async () => {
    const gate = deferred<void>();
    let calls = 0;
    const { state, cancelled } = stateWith({
      listOrgTokens: async ({ more }) => {
        calls++;
        if (!more) return ok(page(ALL.slice(0, 5), 5, true));
        await gate.promise;
        return fail('oauth/cancelled', 'Cancelled.');
      },
    });
    const loading = state.loadAll();
    await expect.poll(() => calls).toBe(2);
    expect(state.loading).toEqual({ all: true });
    await state.cancel();
    gate.resolve();
    await loading;
    expect(cancelled).toHaveLength(1);
    expect(state.loading).toBeNull();
    expect(state.note).toBe('Stopped loading: 5 of 12 tokens are listed.');
    expect(state.error).toBeNull();
  });

  it('keeps a refused listing as the error', async () => {
    const { state, changed } = stateWith({ listOrgTokens: async () => fail('sf/session_expired', 'expired') });
    await state.load();
    expect(state.error).toEqual({ code: 'sf/session_expired', message: 'expired' });
    expect(state.listed).toBe(false);
    expect(changed()).toBe(1);
  });

  it('revokes in batches of five with progress; revoked tokens leave the listing, the others keep their result', async () => {
    const { state, revoked, changed } = stateWith();
    await state.loadAll();
    for (const x of state.tokens) state.selected.add(x.id);
    const ids = state.tokens.map((x) => x.id);
    await state.revoke(ids);
    expect(revoked.map((b) => b.length)).toEqual([5, 5, 2]);
    expect(state.run!.counts).toEqual({ revoked: 11, gone: 0, failed: 1, cancelled: 0 });
    expect(state.run!.results[0]!.token?.appName).toBe('Data Loader');
    expect(state.tokens.map((x) => x.id)).toEqual(['0CR000000000012']);
    expect(state.results.get('0CR000000000012')?.message).toBe('Not revoked: x');
    expect(state.selected.size).toBe(0);
    expect(state.totalSize).toBe(1);
    expect(changed()).toBe(1);
  });

  it('cancels revoking many: the batch in flight answers, the rest are not sent', async () => {
    const gate = deferred<void>();
    const sent: string[][] = [];
    const { state } = stateWith({
      revokeOrgTokens: async ({ tokenIds }) => {
        sent.push(tokenIds);
        await gate.promise;
        return ok(
          tokenIds.map((id) => ({
            id,
            outcome: 'cancelled' as const,
            message: 'Cancelled before Salesforce answered',
          })),
        );
      },
    });
    await state.loadAll();
    const running = state.revoke(state.tokens.map((x) => x.id));
    await expect.poll(() => state.revoking).toEqual({ done: 0, total: 12 });
    await state.cancel();
    gate.resolve();
    await running;
    expect(sent).toHaveLength(1);
    expect(state.run!.counts).toEqual({ revoked: 0, gone: 0, failed: 0, cancelled: 12 });
    expect(state.run!.results.at(-1)!.message).toBe('Not sent: cancelled.');
    expect(state.tokens).toHaveLength(12);
  });

  it('exports the tokens shown in the order shown, and says where they went', async () => {
    const { state, exported, notices } = stateWith();
    await state.loadAll();
    state.search = 'bob';
    state.sortBy('uses');
    await state.exportCsv();
    expect(exported[0]).toEqual(state.groups.flatMap((g) => g.tokens.map((x) => x.id)));
    expect(exported[0]).toHaveLength(4);
    expect(notices.current?.text).toBe('Wrote 4 tokens to /tmp/x.csv.');
  });
});
