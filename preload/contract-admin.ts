/**
 * Org-wide OAuth tokens (part of the contract, see `preload/contract.ts`): the `OauthToken` rows of an org as an
 * admin sees them in Setup → Connected Apps OAuth Usage. A row's DeleteToken, which revokes it, stays in main.
 */

/** One OAuth grant of the org (a refresh token with its access tokens), as Salesforce's `OauthToken` lists it. */
export interface OrgOauthToken {
  /** The OauthToken record Id. */
  id: string;
  appName: string;
  appMenuItemId: string | null;
  userId: string | null;
  userName: string | null;
  username: string | null;
  createdAt: number | null;
  lastUsedAt: number | null;
  useCount: number | null;
  /** Salesforce sent its DeleteToken, so the app can revoke it. */
  revocable: boolean;
}

/** Whose tokens Salesforce lists to the signed-in user, and how the app knows. */
export interface OrgTokenVisibility {
  /** `all`: every user's tokens; `own`: only the signed-in user's. */
  scope: 'all' | 'own';
  /** `permissions`: the user's permissions as Salesforce said them (UserPermissionAccess); `rows`: the rows. */
  evidence: 'permissions' | 'rows';
  /** Why, in words, with what to do when it is only the user's own. */
  reason: string;
}

/** One page of the org's tokens. */
export interface OrgTokenPage {
  /** The rows of this page (the first page when the listing started again). */
  tokens: OrgOauthToken[];
  /** How many rows the query has in all, as Salesforce said. */
  totalSize: number;
  /** How many rows the listing holds after this page. */
  loaded: number;
  /** Salesforce has more pages (`nextRecordsUrl`). */
  more: boolean;
  visibility: OrgTokenVisibility;
  /** The signed-in user (the org's `userId`): their own rows are marked. */
  userId: string | null;
  /** The access token was renewed on the way (the API answered 401 first). */
  refreshed: boolean;
}

export const ORG_TOKEN_OUTCOMES = ['revoked', 'gone', 'failed', 'cancelled'] as const;
/**
 * What revoking one token did: `revoked` (Salesforce answered 200), `gone` (Salesforce no longer knew it),
 * `failed` (nothing was revoked: the message says why), `cancelled` (not sent, or no answer came).
 */
export type OrgTokenOutcome = (typeof ORG_TOKEN_OUTCOMES)[number];

export interface OrgTokenRevocation {
  id: string;
  outcome: OrgTokenOutcome;
  message: string;
}
