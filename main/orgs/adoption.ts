import type * as oauth from 'oauth4webapi';
import type { OrgGrant } from '../../preload/contract';
import { AppError } from '../errors';
import { isSalesforceHost } from '../oauth/authorization-server';
import type { HttpOptions } from '../net/bounded-fetch';
import { orgTypeFromHost } from '../oauth/login-host';
import type { TokenSet } from '../oauth/token-set';
import { fetchIdentity, identityFromIdToken, type Identity } from '../salesforce/identity';
import { fetchOrganization } from '../salesforce/organization';
import type { AppProfileRecord, OrgRecord } from '../vault/records';
import type { Vault } from '../vault/vault';
import type { TokenLifecycle } from './token-lifecycle';

/** Fresh tokens and what to file them under. */
export interface Adoption {
  set: TokenSet;
  /** null: the app the tokens were issued to is not known (an access token the Salesforce CLI holds). */
  profile: AppProfileRecord | null;
  as: oauth.AuthorizationServer;
  loginHost: string;
  /** Update this org in place (re-authentication, an attached token). */
  orgRef: string | null;
  label: string | null;
  grant: OrgGrant;
  /** JWT bearer: the `aud` the user chose, kept for renewals. */
  audience?: string | null;
  /** Where tokens the app did not get itself came from, for the org's history. */
  source?: 'salesforce_cli' | 'sfdx_auth_url' | 'pasted_token';
  /** Refuse tokens of another org or user than `orgRef`'s (attaching a token, not re-authenticating). */
  sameIdentity?: boolean;
  signal?: AbortSignal;
}

export type Adopt = (adoption: Adoption) => Promise<OrgRecord>;

/**
 * Turns fresh tokens into an org: identity from the identity URL (or userinfo), the same org updated in
 * place when it is already known (same org and user, or `orgRef`), tokens stored encrypted.
 */
export function createAdoption(vault: Vault, lifecycle: TokenLifecycle, http: HttpOptions, now: () => number): Adopt {
  async function identityOf(adoption: Adoption): Promise<Identity> {
    const { set, as, signal } = adoption;
    try {
      return await fetchIdentity(
        { identityUrl: set.identityUrl, userinfoUrl: as.userinfo_endpoint ?? null },
        set.accessToken,
        http,
        signal,
      );
    } catch (e) {
      // Without a Salesforce identity URL, an ID token still says who signed in.
      const fromIdToken = set.identityUrl === null ? identityFromIdToken(set.idToken) : null;
      if (fromIdToken) return fromIdToken;
      // A client credentials token of another OAuth server acts for no user (RFC 6749 §4.4): it has no
      // identity to read. Salesforce's act for the app's integration user, so there a failure is real.
      if (adoption.grant === 'client_credentials' && !isSalesforceHost(adoption.loginHost)) return NO_IDENTITY;
      throw e;
    }
  }

  return async (adoption) => {
    const { set, profile, loginHost, orgRef, label, grant } = adoption;
    const identity = await identityOf(adoption);
    const referenced = orgRef ? vault.getOrg(orgRef) : null;
    if (orgRef && !referenced) throw new AppError('org/not_found', 'This org is no longer in the app.');
    if (referenced && adoption.sameIdentity) checkSameIdentity(referenced.record, identity);
    const existing =
      referenced ??
      vault
        .listOrgs()
        .find(
          (o) => o.record.orgId !== null && o.record.orgId === identity.orgId && o.record.userId === identity.userId,
        ) ??
      null;
    const t = now();
    const instanceUrl = set.instanceUrl ?? identity.myDomainUrl ?? originOf(identity.urls['rest']);
    const myDomain =
      identity.myDomainUrl ??
      (instanceUrl && /\.my\.salesforce\.com$/.test(new URL(instanceUrl).hostname) ? instanceUrl : null);
    // A Salesforce org (its token came with an identity URL) says what it is; another server's tokens do not.
    const facts =
      set.identityUrl !== null && instanceUrl
        ? await fetchOrganization(instanceUrl, set.accessToken, http, adoption.signal)
        : null;
    const subdomain =
      myDomain && new URL(myDomain).hostname.endsWith('.salesforce.com')
        ? new URL(myDomain).hostname.split('.')[0]!
        : null;
    // The org's name ("Acme", with the sandbox's name from acme--uat); else the My Domain; else the username.
    const sandboxName = subdomain?.includes('--') ? subdomain.split('--')[1] : undefined;
    const defaultLabel = facts?.name
      ? sandboxName && facts.orgType !== 'production'
        ? `${facts.name} (${sandboxName})`
        : facts.name
      : (subdomain ?? identity.username ?? `${profile?.name ?? 'An org'} at ${new URL(loginHost).host}`);
    const record: OrgRecord = {
      id: existing?.record.id ?? vault.newId(),
      label: existing?.record.label ?? label ?? defaultLabel,
      orgId: identity.orgId,
      userId: identity.userId,
      username: identity.username,
      displayName: identity.displayName,
      instanceUrl,
      identityUrl: set.identityUrl ?? existing?.record.identityUrl ?? null,
      myDomain,
      loginHost,
      // What the org said of itself wins over what its host name suggests.
      orgType:
        facts?.orgType ??
        (existing?.record.orgType && existing.record.orgType !== 'unknown'
          ? existing.record.orgType
          : orgTypeFromHost(myDomain ?? loginHost)),
      color: existing?.record.color ?? null,
      group: existing?.record.group ?? null,
      pinned: existing?.record.pinned ?? false,
      profileId: profile?.id ?? null,
      needsSignIn: false,
      grant,
      audience: adoption.audience ?? null,
      addedAt: existing?.record.addedAt ?? t,
      updatedAt: t,
    };
    await vault.saveOrg(record);
    // Re-authentication replaces the whole token set; an attached token keeps the tokens it does not replace.
    await lifecycle.adopt(record, set, adoption.sameIdentity ? (existing?.tokens ?? []) : []);
    await lifecycle.history(
      record.id,
      adoption.source ? 'imported' : 'signed_in',
      null,
      adoption.source ? importedFrom(adoption.source) : `grant ${grant}`,
    );
    return record;
  };
}

const SOURCE_NAMES: Record<NonNullable<Adoption['source']>, string> = {
  salesforce_cli: 'the Salesforce CLI',
  sfdx_auth_url: 'an SFDX auth URL',
  pasted_token: 'a pasted token',
};

/** The history's word for where an org's tokens came from. */
const importedFrom = (source: NonNullable<Adoption['source']>) => `from ${SOURCE_NAMES[source]}`;

/** How the history records an org imported from the Salesforce CLI (which holds the same tokens). */
export const IMPORTED_FROM_CLI = importedFrom('salesforce_cli');

const NO_IDENTITY: Identity = {
  orgId: null,
  userId: null,
  username: null,
  displayName: null,
  email: null,
  myDomainUrl: null,
  urls: {},
};

function originOf(url: string | undefined): string | null {
  return url && URL.canParse(url) ? new URL(url).origin : null;
}

function checkSameIdentity(record: OrgRecord, identity: Identity): void {
  const sameOrg = !record.orgId || !identity.orgId || record.orgId.slice(0, 15) === identity.orgId.slice(0, 15);
  const sameUser = !record.userId || !identity.userId || record.userId.slice(0, 15) === identity.userId.slice(0, 15);
  if (!sameOrg || !sameUser) {
    throw new AppError(
      'token/wrong_org',
      `This token belongs to ${identity.username ?? 'another user'} in org ${identity.orgId?.slice(0, 15) ?? 'unknown'}, not to ${record.username ?? 'the user'} of "${record.label}". Add it as a new org instead.`,
    );
  }
}
