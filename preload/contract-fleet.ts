/**
 * The fleet: checking many orgs at once. A check asks each org's servers about its stored tokens now
 * (introspection, or an API call where the server offers no introspection) and writes what they said as the
 * tokens' evidence, so the org's status afterwards is what a server last said.
 */
import type { OrgSummary, RevocableTokenKind } from './contract-orgs';

/** How a token was checked: an RFC 7662 introspection, a REST API call with it, or not at all. */
export type CheckMethod = 'introspection' | 'api' | 'none';

/**
 * What the server said of one token: `active`; `inactive` (introspection said so); `refused` (the API
 * refused it); `unchecked` (it cannot be asked without using it up, e.g. a refresh token where the server
 * offers no introspection); `failed` (the server could not be asked: offline, an error page, no client).
 */
export type CheckOutcome = 'active' | 'inactive' | 'refused' | 'unchecked' | 'failed';

export interface TokenCheck {
  kind: RevocableTokenKind;
  method: CheckMethod;
  outcome: CheckOutcome;
  /** One sentence for the user: what was asked and what the server answered. */
  detail: string;
}

export interface OrgCheckResult {
  /** The org after the check, its status from the evidence just written. */
  org: OrgSummary;
  /** One entry per stored access or refresh token. */
  checks: TokenCheck[];
  /** Epoch milliseconds when the check ended. */
  at: number;
  /** One sentence: what the check found and what to do next. */
  summary: string;
}

/**
 * Health in the background (main/orgs/health-monitor.ts): how often every org is checked while the app runs,
 * in minutes; 0: never (the default).
 */
export const HEALTH_CHECK_MINUTES = [0, 15, 30, 60] as const;
export type HealthCheckMinutes = (typeof HEALTH_CHECK_MINUTES)[number];

/**
 * Why a desktop notification was shown, each said once per token: its access token expires within minutes
 * and nothing can renew it; a server said its access token no longer works and nothing can renew it; a
 * server said its refresh token no longer works (introspection, or the token endpoint refused it).
 */
export const NOTIFICATION_CAUSES = ['access-expiring', 'access-dead', 'refresh-dead'] as const;
export type NotificationCause = (typeof NOTIFICATION_CAUSES)[number];

/** One desktop notification as the history keeps it: never a token, only what was said, of which org, when. */
export interface NotificationEntry {
  /** Epoch milliseconds when it was shown. */
  at: number;
  orgId: string;
  /** The org's label when it was shown (the org may since be renamed or removed). */
  orgLabel: string;
  cause: NotificationCause;
  /** The sentence shown, e.g. "Acme Prod: the refresh token was revoked (…): re-authenticate." */
  text: string;
}
