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
