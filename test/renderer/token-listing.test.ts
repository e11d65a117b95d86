/** The org-wide token listing's text work (renderer/lib/token-listing.ts): search, groups, usage, the confirmation. */
import { describe, expect, it } from 'vitest';
import type { OrgOauthToken } from '../../preload/contract-admin';
import { grouped, matching, revokeWording, shortDate, usageByApp } from '../../renderer/lib/token-listing';

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
describe('listing helpers', () => {
  it('matches every word of a search against app, user name, username and Ids', () => {
    expect(matching(ALL, 'loader bob').map((x) => x.id)).toEqual(
      ALL.filter((x) => x.appName === 'Data Loader' && x.userName === 'Bob Builder').map((x) => x.id),
    );
    expect(matching(ALL, '  ')).toHaveLength(12);
    expect(matching(ALL, 'CY@X')).toHaveLength(4);
  });

  it('groups by app or user with names in order, and sorts inside (missing values smallest)', () => {
    const byApp = grouped(ALL, 'app', 'lastUsed', 'descending');
    expect(byApp.map((g) => [g.label, g.tokens.length])).toEqual([
      ['Data Loader', 6],
      ['Workbench', 6],
    ]);
    expect(byApp[0]!.tokens.map((x) => x.lastUsedAt)).toEqual([22_000, 18_000, 14_000, 10_000, 2_000, null]);
    const byUser = grouped(ALL, 'user', 'uses', 'ascending');
    expect(byUser.map((g) => [g.label, g.detail])).toEqual([
      ['Ada Admin', 'ada@x.example'],
      ['Bob Builder', 'bob@x.example'],
      ['Cy Clerk', 'cy@x.example'],
    ]);
    expect(byUser[0]!.tokens.map((x) => x.useCount)).toEqual([3, 6, 9, 12]);
    expect(grouped(ALL, 'none', 'app', 'ascending')).toHaveLength(1);
    expect(grouped([], 'none', 'app', 'ascending')).toEqual([]);
  });

  it('sums usage per app: users, tokens, uses and the last use', () => {
    expect(usageByApp(ALL)).toEqual([
      { appName: 'Data Loader', users: 3, tokens: 6, useCount: 36, lastUsedAt: 22_000 },
      { appName: 'Workbench', users: 3, tokens: 6, useCount: 42, lastUsedAt: 24_000 },
    ]);
  });
});

describe('revokeWording', () => {
  const own = (x: OrgOauthToken) => x.username === 'ada@x.example';
  it("names the app and the user of one token, and warns when it is the user's own", () => {
    const w = revokeWording([ALL[0]!], { kind: 'token' }, own, 0);
    expect(w.title).toBe('Revoke this OAuth token?');
    expect(w.message).toBe(
      "Revoke Data Loader's token for Bob Builder (bob@x.example)? The app loses its access, and Bob Builder must authorize it again to use it.",
    );
    expect(w.confirm).toBe('Revoke the token');
    expect(revokeWording([ALL[2]!], { kind: 'token' }, own, 0).points[0]).toMatch(
      /^It is your own: if one is the token/,
    );
  });

  it('names the apps and users of many, a few then how many more, and what a group leaves out', () => {
    const sel = revokeWording(ALL, { kind: 'selection' }, own, 0);
    expect(sel.title).toBe('Revoke 12 OAuth tokens?');
    expect(sel.message).toBe(
      'Revoke 12 tokens of 2 apps: Data Loader, Workbench, for 3 users: Bob Builder (bob@x.example), Cy Clerk (cy@x.example), Ada Admin (ada@x.example)? Each user must authorize the apps again.',
    );
    expect(sel.points[0]).toMatch(/^4 of them are your own/);
    const loaders = ALL.filter((x) => x.appName === 'Data Loader');
    const app = revokeWording(loaders, { kind: 'app', label: 'Data Loader' }, () => false, 30);
    expect(app.message).toMatch(/^Revoke all 6 tokens of Data Loader, for 3 users: /);
    expect(app.points[0]).toBe(
      "Only the tokens loaded here: 30 more of the org's tokens are not loaded yet. Load all first to include them.",
    );
    const many = Array.from({ length: 6 }, (_, i) =>
      t(i, { appName: `App ${i}`, userId: '1', username: 'u@x', userName: 'U' }),
    );
    expect(revokeWording(many, { kind: 'user', label: 'U' }, () => false, 0).message).toBe(
      'Revoke all 6 tokens of U, for 6 apps: App 0, App 1, App 2, App 3 and 2 more? The user must authorize each app again.',
    );
  });
});

describe('shortDate', () => {
  it('is the local date and time in one width, and a dash for none', () => {
    const at = new Date(2026, 0, 5, 7, 3).getTime();
    expect(shortDate(at)).toBe('2026-01-05 07:03');
    expect(shortDate(null)).toBe('—');
    expect(shortDate(Number.NaN)).toBe('—');
  });
});
