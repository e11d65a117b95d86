import type { OrgCheckResult, OrgSummary, RevocableTokenKind, TokenCheck } from '../../preload/contract';
import { AppError } from '../errors';
import { withSignal } from '../net/bounded-fetch';
import { requestIntrospection } from '../oauth/introspect';
import { testToken } from '../salesforce/rest';
import type { OrgRecord } from '../vault/records';
import type { OrgContext } from './org-context';
import { createTokenEvidence } from './token-evidence';
import { TOKEN_NAMES } from './token-lifecycle';

/** Refresh first: what it says decides whether the access token's answer matters for long. */
const CHECKED_KINDS: readonly RevocableTokenKind[] = ['refresh', 'access'];

/** What a finished check says about the org, in one sentence. */
function summaryOf(org: OrgSummary, checks: readonly TokenCheck[]): string {
  const failed = checks.filter((c) => c.outcome === 'failed');
  if (checks.length === 0) return `${org.label} has no stored token to check. Re-authenticate it.`;
  if (failed.length === checks.length) return `${org.label} could not be checked: ${failed[0]!.detail}`;
  switch (org.status) {
    case 'connected':
    case 'expiring':
      return `${org.label}: the server says its tokens work.`;
    case 'expired':
      return `${org.label}: the access token has expired or an API refused it. Refresh gets a new one.`;
    case 'access-revoked':
      return `${org.label}: the access token no longer works. Refresh gets a new one.`;
    case 'needs-sign-in':
    case 'revoked':
      return `${org.label}: the server no longer accepts its tokens. Re-authenticate it.`;
  }
}

/**
 * The health check of one org (`checkOrg`): each stored refresh and access token is put to its server now,
 * by introspection where the server offers it, else (an access token) by a REST API call with it. Nothing is
 * renewed: a check reports, it does not repair. Every answer is written as the token's evidence.
 */
export function createHealthCheck(ctx: OrgContext) {
  const { vault, clients, tokens, now } = ctx;
  const evidence = createTokenEvidence(ctx);

  async function checkToken(record: OrgRecord, kind: RevocableTokenKind, signal: AbortSignal): Promise<TokenCheck> {
    const name = TOKEN_NAMES[kind];
    const token = await tokens.requireToken(record.id, kind);
    const about = await clients.aboutToken(record, kind, token);
    let introspectionFailed: AppError | null = null;
    if (about.as.introspection_endpoint) {
      try {
        const view = await requestIntrospection({ ...about, http: withSignal(about.http, signal) });
        await evidence.noteIntrospection(record.id, kind, view, 'health check');
        return {
          kind,
          method: 'introspection',
          outcome: view.active ? 'active' : 'inactive',
          detail: `Introspection says the ${name} is ${view.active ? 'active' : 'not active'}.`,
        };
      } catch (e) {
        // A public client may not introspect, or the endpoint failed: an access token can still be tried.
        if (signal.aborted || !(e instanceof AppError)) throw e;
        introspectionFailed = e;
      }
    }
    if (kind === 'refresh' || !record.instanceUrl)
      return introspectionFailed
        ? { kind, method: 'introspection', outcome: 'failed', detail: introspectionFailed.message }
        : {
            kind,
            method: 'none',
            outcome: 'unchecked',
            detail: `The server offers no introspection, so the ${name} cannot be checked without using it.`,
          };
    try {
      await testToken(record.instanceUrl, token, withSignal(ctx.http, signal));
      await tokens.noteApiAnswer(record.id, null);
      return { kind, method: 'api', outcome: 'active', detail: `The REST API accepted the ${name}.` };
    } catch (e) {
      if (!(e instanceof AppError && (e.code === 'sf/session_expired' || e.code === 'sf/forbidden'))) throw e;
      const httpStatus = await tokens.noteApiAnswer(record.id, e);
      return {
        kind,
        method: 'api',
        outcome: 'refused',
        detail: `The REST API refused the ${name} (HTTP ${httpStatus}).`,
      };
    }
  }

  /** Checks every stored access and refresh token of org `id`; `signal` cancels it. */
  async function checkOrg(id: string, signal: AbortSignal): Promise<OrgCheckResult> {
    const { record, tokens: stored } = vault.requireOrg(id);
    const checks: TokenCheck[] = [];
    for (const kind of CHECKED_KINDS) {
      if (!stored.some((t) => t.kind === kind)) continue;
      try {
        checks.push(await checkToken(record, kind, signal));
      } catch (e) {
        // A cancelled check stops here; any other failure is that token's result, and the next is still asked.
        if (signal.aborted || !(e instanceof AppError)) throw e;
        checks.push({ kind, method: 'none', outcome: 'failed', detail: e.message });
      }
    }
    const org = ctx.summarize(id);
    return { org, checks, at: now(), summary: summaryOf(org, checks) };
  }

  return { checkOrg };
}
