/**
 * `sf org list --json`'s result, in the shape of salesforcecli/plugin-org (`schemas/org-list.json`), read
 * into typed records that keep no token.
 */
import { z } from 'zod';
import { orgTypeFromHost } from '../oauth/login-host';
import { instanceOrigin, optionalText as text, unexpectedShape } from './cli-output';

export type CliOrgKind = 'production' | 'sandbox' | 'scratch' | 'devhub' | 'other';

/** One org the Salesforce CLI is signed in to, as `sf org list` describes it. Holds no token. */
export interface CliOrg {
  username: string;
  alias: string | null;
  orgId: string | null;
  instanceUrl: string | null;
  loginUrl: string | null;
  kind: CliOrgKind;
  /** "Connected", an error text, or for scratch orgs their status ("Active"); null when skipped. */
  connectedStatus: string | null;
  isExpired: boolean;
  expirationDate: string | null;
  /** The CLI's default org (`target-org`). */
  isDefault: boolean;
}

const flag = z.boolean().nullish().catch(null);

/** The fields of an org-list entry this app uses. zod drops the rest, tokens included. */
const listEntrySchema = z.object({
  username: z.string().min(1),
  alias: text,
  orgId: text,
  instanceUrl: text,
  loginUrl: text,
  connectedStatus: text,
  status: text,
  isDevHub: flag,
  isSandbox: flag,
  isScratch: flag,
  isExpired: flag,
  expirationDate: text,
  isDefaultUsername: flag,
  defaultMarker: text,
});
type ListEntry = z.infer<typeof listEntrySchema>;

const entries = z.array(z.unknown());
const orgListSchema = z.object({
  nonScratchOrgs: entries,
  scratchOrgs: entries,
  // Newer CLIs split nonScratchOrgs into these (`regularOrgs` was renamed `other`).
  devHubs: entries.optional().catch(undefined),
  sandboxes: entries.optional().catch(undefined),
  other: entries.optional().catch(undefined),
  regularOrgs: entries.optional().catch(undefined),
});

/**
 * The orgs in `sf org list --json`'s result (plugin-org `OrgListResult`): `nonScratchOrgs` and
 * `scratchOrgs` (every version), plus the `devHubs`, `sandboxes` and `other` duplicates of newer ones,
 * merged and deduplicated by username (first seen wins). Entries without a username are skipped; tokens
 * are dropped. The default org comes first, then by alias or username.
 *
 * @throws AppError `cli/bad_output` when the result is not an org list.
 */
export function parseOrgList(result: unknown): CliOrg[] {
  const parsed = orgListSchema.safeParse(result);
  if (!parsed.success) throw unexpectedShape('sf org list', 'no nonScratchOrgs and scratchOrgs lists');
  const list = parsed.data;
  const byUsername = new Map<string, CliOrg>();
  const add = (raw: readonly unknown[] | undefined, fromScratchList: boolean) => {
    for (const item of raw ?? []) {
      const entry = listEntrySchema.safeParse(item);
      if (!entry.success || byUsername.has(entry.data.username)) continue;
      byUsername.set(entry.data.username, toCliOrg(entry.data, fromScratchList));
    }
  };
  add(list.scratchOrgs, true);
  add(list.nonScratchOrgs, false);
  add(list.devHubs, false);
  add(list.sandboxes, false);
  add(list.other, false);
  add(list.regularOrgs, false);
  return [...byUsername.values()].sort(
    (a, b) =>
      Number(b.isDefault) - Number(a.isDefault) ||
      (a.alias ?? a.username).localeCompare(b.alias ?? b.username, 'en', { sensitivity: 'base' }) ||
      a.username.localeCompare(b.username),
  );
}

function toCliOrg(e: ListEntry, fromScratchList: boolean): CliOrg {
  return {
    username: e.username,
    alias: e.alias || null,
    orgId: e.orgId || null,
    instanceUrl: e.instanceUrl ? instanceOrigin(e.instanceUrl) : null,
    loginUrl: e.loginUrl || null,
    kind: kindOf(e, fromScratchList),
    connectedStatus: e.connectedStatus || e.status || null,
    isExpired: e.isExpired === true,
    expirationDate: e.expirationDate || null,
    isDefault: e.isDefaultUsername === true || /\(U\)/.test(e.defaultMarker ?? ''),
  };
}

function kindOf(e: ListEntry, fromScratchList: boolean): CliOrgKind {
  if (fromScratchList || e.isScratch) return 'scratch';
  if (e.isDevHub) return 'devhub';
  const hostKinds = [e.instanceUrl, e.loginUrl].map(hostKind);
  if (e.isSandbox || hostKinds.includes('sandbox')) return 'sandbox';
  if (hostKinds.includes('scratch')) return 'scratch';
  if (hostKinds.includes('production') || hostKinds.includes('developer')) return 'production';
  return 'other';
}

function hostKind(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return orgTypeFromHost(url);
  } catch {
    return null;
  }
}
