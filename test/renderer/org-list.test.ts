/** The sidebar's orgs, with a fake bridge. */
import { describe, expect, it } from 'vitest';
import type { OrgSummary, Result } from '../../preload/contract';
import { NO_EVIDENCE } from '../../preload/token-status';
import { Notices } from '../../renderer/state/notices.svelte';
import { OrgListState } from '../../renderer/state/org-list.svelte';
import { ProfilesState } from '../../renderer/state/profiles.svelte';
import { appState, deferred, fail, fakeApi, ok, org } from './support';

describe('OrgListState', () => {
  it('is loaded once the list answered, even when it failed', async () => {
    const { orgList, notices } = appState(fakeApi({ listOrgs: async () => fail('vault/io', 'No store.') }));
    expect(orgList.loaded).toBe(false);
    await orgList.load();
    expect(orgList.loaded).toBe(true);
    expect(orgList.orgs).toEqual([]);
    expect(notices.current).toEqual({ kind: 'error', text: 'No store.', code: 'vault/io' });
  });

  it('puts an edited org in place of the old one', async () => {
    const { orgList } = appState(
      fakeApi({
        listOrgs: async () => ok([org('a'), org('b')]),
        updateOrg: async (input) => ok(org(input.id, { label: input.label ?? input.id })),
      }),
    );
    await orgList.load();
    orgList.select('b');
    await orgList.update({ id: 'b', label: 'Beta' });
    expect(orgList.orgs.map((o) => o.label)).toEqual(['a', 'Beta']);
    expect(orgList.selected?.label).toBe('Beta');
  });

  it('imports a file, says what was skipped, and loads orgs and profiles again', async () => {
    let profileLists = 0;
    const { orgList, profiles, notices } = appState(
      fakeApi({
        importOrgs: async () => ok({ imported: 2, skipped: [{ index: 3, reason: 'Entry 3 has no login host.' }] }),
        listAppProfiles: async () => (
          profileLists++,
          ok([
            {
              id: 'p',
              name: 'App',
              kind: 'connected-app',
              consumerKey: 'k',
              hasSecret: false,
              hasPrivateKey: false,
              callbackUrl: 'http://localhost:1717/OauthRedirect',
              resource: null,
              audience: null,
              scopes: [],
            },
          ])
        ),
      }),
    );
    await orgList.importAll();
    expect(notices.current).toEqual({
      kind: 'info',
      text: 'Imported 2 entries; sign in to each imported org to get tokens. Skipped: Entry 3 has no login host.',
    });
    expect(orgList.orgs.map((o) => o.id)).toEqual(['a']);
    expect(profileLists).toBe(1);
    expect(profiles.profiles.map((p) => p.id)).toEqual(['p']);
  });

  it('recomputes statuses on its clock: an access token passing its expiry turns the badge Expired', async () => {
    const clock = { now: 1_000_000 };
    const access = {
      kind: 'access' as const,
      format: 'jwt' as const,
      scopes: [],
      issuedAt: 0,
      expiresAt: 1_000_000 + 3_600_000,
      status: 'active' as const,
      lastCheckedAt: null,
      hint: 'abcd',
      previousReplacedAt: null,
      evidence: { ...NO_EVIDENCE, expirySource: 'jwt_exp' as const },
    };
    const refresh = { ...access, kind: 'refresh' as const, expiresAt: null, status: 'unknown' as const };
    const api = fakeApi({ listOrgs: async () => ok([org('a', { tokens: [access, refresh] })]) });
    const notices = new Notices();
    const orgList = new OrgListState(api, notices, new ProfilesState(api, notices), clock);
    await orgList.load();
    await orgList.select('a');
    expect(orgList.orgs[0]?.status).toBe('connected');
    clock.now += 3_600_000;
    expect(orgList.orgs[0]?.status).toBe('expired');
    expect(orgList.selected?.tokens.map((t) => t.status)).toEqual(['expired', 'unknown']);
  });

  it('asks main for the selected org only, and a slower older answer never replaces a newer summary', async () => {
    const asked: string[] = [];
    const slow = deferred<Result<OrgSummary>>();
    const { orgList } = appState(
      fakeApi({
        listOrgs: async () => ok([org('a'), org('b')]),
        getOrg: async ({ id }) => {
          asked.push(id);
          return id === 'b' ? slow.promise : ok(org(id));
        },
      }),
    );
    await orgList.load();
    expect(asked).toEqual([]);
    await orgList.select('a');
    expect(orgList.selected?.id).toBe('a');
    const selecting = orgList.select('b');
    // Until its summary arrives, the page of the org before is not shown as this one's.
    expect(orgList.selected).toBeNull();
    orgList.upsert(org('b', { label: 'Beta (renamed)' }));
    slow.resolve(ok(org('b', { label: 'b (stale)' })));
    await selecting;
    expect(asked).toEqual(['a', 'b']);
    expect(orgList.selected?.label).toBe('Beta (renamed)');
    expect(orgList.orgs.map((o) => o.label)).toEqual(['a', 'Beta (renamed)']);
  });
});
