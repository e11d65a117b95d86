import type { IntrospectionView, RevocableTokenKind } from '../../preload/contract';
import { isSalesforceHost } from '../oauth/authorization-server';
import type { TokenAbout } from '../oauth/client';
import { requestIntrospection } from '../oauth/introspect';
import type { OrgRecord } from '../vault/records';
import { IMPORTED_FROM_CLI } from './adoption';
import type { OrgContext } from './org-context';
import { revocationSummary, type RevocationFacts } from './revocation';

/** An introspection answer as evidence: when it was asked, and whether the token was active. */
export type Confirmation = { at: number; active: boolean };

/**
 * What servers said of an org's stored tokens, written down the one way: introspection answers, revocations
 * and what a refresh token's revocation did to the access token. Used for a stored token whether the user
 * acted on it from its org or pasted a copy of it (`source` then says so in the history).
 */
export function createTokenEvidence(ctx: Pick<OrgContext, 'vault' | 'clients' | 'tokens' | 'now'>) {
  const { vault, clients, tokens, now } = ctx;
  const from = (source: string | undefined) => (source ? `${source}; ` : '');

  /** Introspection that never fails: null when the server offers none or could not answer. */
  async function introspectQuietly(about: TokenAbout): Promise<IntrospectionView | null> {
    if (!about.as.introspection_endpoint) return null;
    return requestIntrospection(about).catch(() => null);
  }

  /** Records an introspection answer: the token's status, and its expiry when an active access token's is new. */
  async function noteIntrospection(
    id: string,
    kind: RevocableTokenKind,
    view: IntrospectionView,
    source?: string,
  ): Promise<void> {
    const expMs = view.exp !== null ? view.exp * 1000 : null;
    const status = view.active ? 'active' : expMs !== null && expMs <= now() ? 'expired' : 'revoked';
    const learnt = view.active && expMs !== null && kind === 'access';
    await tokens.note(
      id,
      kind,
      {
        introspected: { at: view.checkedAt, active: view.active },
        ...(learnt ? { expirySource: 'introspection' as const } : {}),
      },
      { status, lastCheckedAt: view.checkedAt, ...(learnt ? { expiresAt: expMs } : {}) },
    );
    await tokens.history(id, 'introspected', kind, `${from(source)}${view.active ? 'active' : 'inactive'}`);
  }

  /**
   * What a refresh token's revocation did to the access token issued from it: confirmed by introspection,
   * or Salesforce's documented cascade where it cannot be asked; otherwise unknown, and the access token's
   * status is left to what servers say of it.
   */
  async function cascadeOf(record: OrgRecord, at: number): Promise<RevocationFacts['cascade']> {
    const access = await vault.readToken(record.id, 'access').catch(() => null);
    if (access === null) return 'none';
    const view = await introspectQuietly(await clients.aboutToken(record, 'access', access)).catch(() => null);
    if (view)
      await tokens.note(
        record.id,
        'access',
        { introspected: { at: view.checkedAt, active: view.active } },
        { lastCheckedAt: view.checkedAt },
      );
    const cascaded = view ? !view.active : isSalesforceHost(record.loginHost);
    if (cascaded)
      await tokens.note(record.id, 'access', { revoked: { at, by: 'refresh_token' } }, { status: 'revoked' });
    return view ? (view.active ? 'unknown' : 'confirmed') : cascaded ? 'documented' : 'unknown';
  }

  /**
   * Records that the revocation endpoint accepted a stored token's revocation at `at` (with the introspection
   * that confirms it, when there is one), follows a refresh token's cascade, and says in one summary what
   * stopped and what still works.
   */
  async function recordRevocation(
    record: OrgRecord,
    kind: RevocableTokenKind,
    hint: string,
    confirmed: Confirmation | null,
    at: number,
    source?: string,
  ): Promise<string> {
    const { id } = record;
    await tokens.note(id, kind, { revoked: { at, by: 'self' } }, { status: 'revoked', lastCheckedAt: at });
    if (confirmed) await tokens.note(id, kind, { introspected: confirmed }, { lastCheckedAt: confirmed.at });
    const cascade = kind === 'refresh' ? await cascadeOf(record, at) : 'none';
    await tokens.history(
      id,
      'revoked',
      kind,
      `${from(source)}${
        confirmed === null
          ? 'not confirmed: the server could not be asked by introspection'
          : confirmed.active
            ? 'introspection still calls it active'
            : 'introspection confirms it is inactive'
      }`,
    );
    return revocationSummary(record, {
      kind,
      hint,
      confirmed,
      cascade,
      canRenew: kind === 'access' && tokens.canRenew(id),
      salesforce: isSalesforceHost(record.loginHost),
      fromCli: vault.orgHistory(id).some((e) => e.kind === 'imported' && e.detail === IMPORTED_FROM_CLI),
    });
  }

  return { introspectQuietly, noteIntrospection, cascadeOf, recordRevocation };
}

export type TokenEvidence = ReturnType<typeof createTokenEvidence>;
