import type { OrgListItem } from '../../preload/contract';
import { fuzzyMatch } from './fuzzy';

/** How an org matched a search: its score, and what to highlight in its label and username. */
export interface OrgMatch {
  score: number;
  label: number[];
  username: number[];
  /** Another field that matched better than label and username ("org ID", "My Domain", "group"), shown as such. */
  via: string | null;
}

/**
 * The one matching rule of the palette (Ctrl/Cmd+K) and the sidebar filter: fuzzy over label, username,
 * My Domain, org ID (15 and 18 characters) and group. Null when nothing matches.
 */
export function matchOrg(query: string, org: OrgListItem): OrgMatch | null {
  const label = fuzzyMatch(query, org.label);
  const username = org.username ? fuzzyMatch(query, org.username) : null;
  let best = Math.max(label?.score ?? -Infinity, username?.score ?? -Infinity);
  let via: string | null = null;
  const others: [string, string | null][] = [
    ['My Domain', org.myDomain],
    ['org ID', org.orgId18],
    ['org ID', org.orgId],
    ['group', org.group],
  ];
  for (const [name, value] of others) {
    const m = value ? fuzzyMatch(query, value) : null;
    if (m && m.score > best) {
      best = m.score;
      via = name;
    }
  }
  if (best === -Infinity) return null;
  return { score: best, label: label?.positions ?? [], username: username?.positions ?? [], via };
}
