/**
 * Pages inside an org that `Open` can start at, as `sf org open --path` takes them (Lightning Setup paths).
 * A typed path must start with one `/`.
 */
export const ORG_PAGES = [
  { label: 'Home', path: null },
  { label: 'Setup', path: '/lightning/setup/SetupOneHome/home' },
  { label: 'Object Manager', path: '/lightning/setup/ObjectManager/home' },
  { label: 'Users', path: '/lightning/setup/ManageUsers/home' },
  { label: 'Connected Apps OAuth Usage', path: '/lightning/setup/ConnectedAppsUsage/home' },
  { label: 'App Manager', path: '/lightning/setup/NavigationMenus/home' },
  { label: 'Session Management', path: '/lightning/setup/SecuritySession/home' },
  { label: 'Login History', path: '/lightning/setup/OrgLoginHistory/home' },
] as const satisfies readonly { label: string; path: string | null }[];

/** Why a typed path cannot be opened, or null when it can (the bridge checks the same rule). */
export function orgPathProblem(path: string): string | null {
  const p = path.trim();
  if (p === '') return 'Type a path inside the org, such as /lightning/setup/SetupOneHome/home.';
  if (!p.startsWith('/') || p.startsWith('//'))
    return 'A path inside the org starts with one /, such as /lightning/o/Account/list (not a full URL).';
  if (/\s/.test(p)) return 'A path has no spaces.';
  return null;
}
