/**
 * An org with many OAuth tokens for the org-wide token listing (the browser story and its scene): three users
 * (Ada is an admin unless `admin: false`), four apps, and more tokens than one page of the listing holds.
 */
import type { OrgSummary } from '../../preload/contract';
import { DEFAULT_ORG_ID, DEFAULT_USER, type DoubleUser } from '../servers/salesforce-double';
import { signIn, startWorld, type World } from './sign-in';

export const BOB: DoubleUser = {
  userId: '0055g00000BobBoAAA',
  username: 'bob@acme.example',
  password: 'bob password 1',
  displayName: 'Bob Builder',
  email: 'bob@acme.example',
};
export const CY: DoubleUser = {
  userId: '0055g00000CyClkAAA',
  username: 'cy@acme.example',
  password: 'cy password 1',
  displayName: 'Cy Clerk',
  email: 'cy@acme.example',
};
const APPS = [
  { clientId: '3MVG9data.loader', name: 'Data Loader' },
  { clientId: '3MVG9workbench', name: 'Workbench' },
  { clientId: 'PlatformCLI', name: 'Salesforce CLI' },
].map((a) => ({ ...a, callbackUrls: ['http://localhost:1717/OauthRedirect'] }));

const HOUR = 3_600_000;

export async function adminTokensWorld(
  options: { admin?: boolean } = {},
): Promise<{ world: World; org: OrgSummary; close: () => Promise<void> }> {
  const admin = options.admin ?? true;
  const world = await startWorld({
    app: { name: 'SF Token Inspector' },
    double: {
      orgs: [{ orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [{ ...DEFAULT_USER, admin }, BOB, CY] }],
    },
  });
  world.double.apps.push(...APPS);
  const seed = world.double.seedGrants;
  seed({
    clientId: 'PlatformCLI',
    username: BOB.username,
    count: 510,
    createdAgoMs: 30 * 24 * HOUR,
    usedAgoMs: 5 * HOUR,
    useCount: 3,
  });
  seed({ clientId: '3MVG9data.loader', username: BOB.username, count: 3, createdAgoMs: 9 * 24 * HOUR, useCount: 41 });
  seed({
    clientId: '3MVG9data.loader',
    username: CY.username,
    count: 2,
    createdAgoMs: 2 * 24 * HOUR,
    usedAgoMs: null,
    useCount: 0,
  });
  seed({
    clientId: '3MVG9workbench',
    username: CY.username,
    count: 1,
    createdAgoMs: 60 * 24 * HOUR,
    usedAgoMs: 20 * 24 * HOUR,
    useCount: 7,
  });
  seed({
    clientId: '3MVG9workbench',
    username: DEFAULT_USER.username,
    count: 1,
    createdAgoMs: 3 * HOUR,
    usedAgoMs: 2 * HOUR,
    useCount: 2,
  });
  const org = await signIn(world, world.double.loginUrl, { label: 'Acme production' });
  return { world, org, close: () => world.close() };
}
