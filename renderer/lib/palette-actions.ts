import type { OrgListItem } from '../../preload/contract';

/** What the palette (Ctrl/Cmd+K) can do to an org, with the words it shows. */
export const PALETTE_ACTIONS = {
  open: 'Open',
  browser: 'Open in browser',
  refresh: 'Refresh the access token',
  reauthenticate: 'Re-authenticate',
  'inspect-access': 'Inspect the access token',
  'inspect-id': 'Inspect the ID token',
  'copy-curl': 'Copy the access token as a curl command',
  'copy-bearer': 'Copy the access token as an Authorization header',
} as const;
export type PaletteAction = keyof typeof PALETTE_ACTIONS;

/** The actions that can work for this org now: no refresh without a way to renew, no copy without a token. */
export function actionsFor(org: OrgListItem): PaletteAction[] {
  const has = (kind: 'access' | 'refresh' | 'id') => org.tokens.some((t) => t.kind === kind);
  const out: PaletteAction[] = ['open'];
  if (has('access') && org.instanceUrl) out.push('browser');
  if (has('refresh') || org.renewsByGrant) out.push('refresh');
  out.push('reauthenticate');
  if (has('access')) out.push('inspect-access');
  if (has('id')) out.push('inspect-id');
  if (has('access') && org.instanceUrl) out.push('copy-curl', 'copy-bearer');
  return out;
}
