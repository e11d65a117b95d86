import { describe, expect, it } from 'vitest';
import { RecentOrgs, type RecentStorage } from '../../renderer/state/recent-orgs.svelte';

function memory(initial: Record<string, string> = {}): RecentStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe('recently opened orgs', () => {
  it('keeps the newest first, once each, and remembers them across windows', () => {
    const storage = memory();
    const recent = new RecentOrgs(storage);
    recent.touch('a');
    recent.touch('b');
    recent.touch('a');
    expect(recent.ids).toEqual(['a', 'b']);
    expect(recent.rank('a')).toBe(0);
    expect(recent.rank('zz')).toBeNull();
    expect(new RecentOrgs(storage).ids).toEqual(['a', 'b']);
  });

  it('keeps at most 20 and survives a damaged or missing store', () => {
    const recent = new RecentOrgs(null);
    for (let i = 0; i < 25; i++) recent.touch(String(i));
    expect(recent.ids).toHaveLength(20);
    expect(recent.ids[0]).toBe('24');
    expect(new RecentOrgs(memory({ 'sfti.recentOrgs': '{not json' })).ids).toEqual([]);
    expect(new RecentOrgs(memory({ 'sfti.recentOrgs': '[1,"x",null]' })).ids).toEqual(['x']);
  });
});
