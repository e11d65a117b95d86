import type {
  Api,
  FoundBrowser,
  IntrospectionView,
  OpenOrgsIn,
  Result,
  RevocableTokenKind,
  SignatureCheck,
  TokenInspection,
  TokenKind,
  TokenTestResult,
  UserInfoView,
} from '../../preload/contract';
import { orgBlocks } from '../lib/org-actions';
import type { Notices } from './notices.svelte';
import type { OrgListState } from './org-list.svelte';

type DetailApi = Pick<
  Api,
  | 'refreshOrg'
  | 'revokeToken'
  | 'signOut'
  | 'introspectToken'
  | 'testToken'
  | 'openOrgInBrowser'
  | 'inspectOrgToken'
  | 'verifyOrgToken'
  | 'getUserInfo'
  | 'copyToken'
  | 'revealToken'
  | 'listBrowsers'
  | 'getSettings'
>;

/** What an action reports: a sentence of success, or a notice of another kind. */
type Outcome = string | { kind: 'error' | 'info'; text: string };

/** Errors after which the org's tokens are no longer what the list shows: a refused refresh, a revoked token. */
const RELOAD_AFTER = new Set<string>([
  'org/needs_sign_in',
  'sf/session_expired',
  'oauth/invalid_grant',
  'token/revoked',
]);

/** The selected org's page: its token actions, what is running for it, and what they showed. */
export class OrgDetailState {
  #busy = $state<Record<string, string>>({});
  #introspection = $state<Record<string, IntrospectionView>>({});
  #tests = $state<Record<string, TokenTestResult>>({});
  #revealed = $state<{ id: string; kind: TokenKind; token: string } | null>(null);
  #verification = $state<{ id: string; kind: TokenKind; result: SignatureCheck } | null>(null);
  #userInfo = $state<{ id: string; info: UserInfoView } | null>(null);
  #inspected = $state<{ id: string; kind: TokenKind; inspection: TokenInspection } | null>(null);
  #browsers = $state<{ found: FoundBrowser[]; openOrgsIn: OpenOrgsIn } | null>(null);
  readonly #api: DetailApi;
  readonly #notices: Notices;
  readonly #list: OrgListState;

  constructor(api: DetailApi, notices: Notices, list: OrgListState) {
    this.#api = api;
    this.#notices = notices;
    this.#list = list;
  }

  /** What is running for an org (e.g. 'Revoking…'), or undefined. */
  busyFor(id: string): string | undefined {
    return this.#busy[id];
  }
  introspectionFor(id: string, kind: RevocableTokenKind): IntrospectionView | undefined {
    return this.#introspection[`${id}:${kind}`];
  }
  testFor(id: string): TokenTestResult | undefined {
    return this.#tests[id];
  }
  /** A raw token the user asked to see, until they hide it or leave the org. */
  get revealed(): { id: string; kind: TokenKind; token: string } | null {
    return this.#revealed;
  }
  get verification(): { id: string; kind: TokenKind; result: SignatureCheck } | null {
    return this.#verification;
  }
  get userInfo(): { id: string; info: UserInfoView } | null {
    return this.#userInfo;
  }
  /** The org token being shown decoded, if any. */
  get inspected(): { id: string; kind: TokenKind; inspection: TokenInspection } | null {
    return this.#inspected;
  }

  /** Selects an org to show; the decoded, revealed and verified token of the one before go away. */
  open(id: string): Promise<void> {
    this.#inspected = null;
    this.#revealed = null;
    this.#verification = null;
    return this.#list.select(id);
  }

  async copy(id: string, kind: TokenKind): Promise<void> {
    const r = await this.#api.copyToken({ id, kind });
    if (r.ok)
      this.#notices.show('success', `Copied the ${kind} token to the clipboard. Paste it only where you trust it.`);
    else this.#notices.fail(r.error);
  }

  async reveal(id: string, kind: TokenKind): Promise<void> {
    const r = await this.#api.revealToken({ id, kind });
    if (r.ok) this.#revealed = { id, kind, token: r.value.token };
    else this.#notices.fail(r.error);
  }

  hide(): void {
    this.#revealed = null;
  }

  async verify(id: string, kind: TokenKind): Promise<void> {
    const r = await this.#api.verifyOrgToken({ id, kind });
    if (r.ok) this.#verification = { id, kind, result: r.value };
    else this.#notices.fail(r.error);
  }

  async loadUserInfo(id: string): Promise<void> {
    const r = await this.#api.getUserInfo({ id });
    if (r.ok) this.#userInfo = { id, info: r.value };
    else this.#notices.fail(r.error);
  }

  async inspect(id: string, kind: TokenKind): Promise<void> {
    const r = await this.#api.inspectOrgToken({ id, kind });
    if (r.ok) {
      this.#inspected = { id, kind, inspection: r.value };
      this.#verification = null;
    } else this.#notices.fail(r.error);
  }

  closeInspection(): void {
    this.#inspected = null;
  }

  refresh(id: string): Promise<void> {
    return this.#run(
      id,
      'Refreshing…',
      () => this.#api.refreshOrg({ id }),
      (org) => {
        this.#forget(id, ['access', 'refresh'], false);
        this.#list.upsert(org);
        return 'Got a new access token.';
      },
    );
  }

  revoke(id: string, kind: RevocableTokenKind): Promise<void> {
    return this.#run(
      id,
      'Revoking…',
      () => this.#api.revokeToken({ id, kind }),
      async (r) => {
        // Revoking a refresh token takes its access tokens along (Salesforce's cascade).
        this.#forget(id, kind === 'refresh' ? ['access', 'refresh'] : [kind]);
        await this.#list.reload();
        if (r.revoked === null) return { kind: 'error' as const, text: r.summary };
        // What comes next is signing in again: not a success to show in green.
        const org = this.#list.orgs.find((o) => o.id === id);
        const renewable = org !== undefined && orgBlocks(org, Date.now()).renew === null;
        return r.revoked === 'refresh' || !renewable ? { kind: 'info' as const, text: r.summary } : r.summary;
      },
    );
  }

  /** What the screen showed of tokens that have since been revoked or replaced: it no longer holds. */
  #forget(id: string, kinds: readonly RevocableTokenKind[], revoked = true): void {
    const introspection = { ...this.#introspection };
    for (const kind of kinds) delete introspection[`${id}:${kind}`];
    this.#introspection = introspection;
    if (revoked) {
      // "The token works" no longer holds once it is revoked.
      const { [id]: _stale, ...tests } = this.#tests;
      this.#tests = tests;
    }
    if (this.#revealed?.id === id && (kinds as readonly TokenKind[]).includes(this.#revealed.kind))
      this.#revealed = null;
  }

  signOut(id: string): Promise<void> {
    return this.#run(
      id,
      'Signing out…',
      () => this.#api.signOut({ id }),
      async (r) => {
        if (this.#list.selectedId === id) this.#list.select(null);
        await this.#list.reload();
        // Removed without revoking: the summary says where to revoke, and must not read as a success.
        return r.revoked === null ? { kind: 'error' as const, text: r.summary } : r.summary;
      },
    );
  }

  introspect(id: string, kind: RevocableTokenKind): Promise<void> {
    return this.#run(
      id,
      'Asking the server…',
      () => this.#api.introspectToken({ id, kind }),
      async (view) => {
        this.#introspection = { ...this.#introspection, [`${id}:${kind}`]: view };
        await this.#list.reload();
        return view.active ? `The ${kind} token is active.` : `The server says the ${kind} token is not active.`;
      },
    );
  }

  test(id: string): Promise<void> {
    return this.#run(
      id,
      'Calling the API…',
      () => this.#api.testToken({ id }),
      async (t) => {
        this.#tests = { ...this.#tests, [id]: t };
        await this.#list.reload();
        return t.message;
      },
    );
  }

  /** The browsers installed and the one orgs open in (the setting "Open orgs in"); null until loaded. */
  get browsers(): { found: FoundBrowser[]; openOrgsIn: OpenOrgsIn } | null {
    return this.#browsers;
  }

  /** Asks main which browsers are installed and which one the setting names (again after the setting changed). */
  async loadBrowsers(): Promise<void> {
    const [found, settings] = await Promise.all([this.#api.listBrowsers(), this.#api.getSettings()]);
    if (!found.ok) this.#notices.fail(found.error);
    else if (!settings.ok) this.#notices.fail(settings.error);
    else this.#browsers = { found: found.value, openOrgsIn: settings.value.openOrgsIn };
  }

  /**
   * Opens the org in a browser, at `path` inside it (e.g. Setup) when given: in `browser` when given, else in
   * the one of the setting "Open orgs in".
   */
  openInBrowser(id: string, path?: string, place = 'the org', browser?: OpenOrgsIn): Promise<void> {
    const where = browser ?? this.#browsers?.openOrgsIn ?? 'system';
    const name =
      where === 'system' ? 'your browser' : (this.#browsers?.found.find((b) => b.id === where)?.name ?? where);
    return this.#run(
      id,
      'Opening…',
      () => this.#api.openOrgInBrowser({ id, ...(path ? { path } : {}), ...(browser ? { browser } : {}) }),
      () => `Opened ${place} in ${name}.`,
    );
  }

  /** Puts a single-use login link on the clipboard, for another browser or profile. */
  copyLoginLink(id: string, path?: string): Promise<void> {
    return this.#run(
      id,
      'Getting a login link…',
      () => this.#api.openOrgInBrowser(path ? { id, path, copyLink: true } : { id, copyLink: true }),
      () => 'Copied a one-time login link: it works once, within a few minutes. Paste it into any browser.',
    );
  }

  /** Runs one call for an org, shows it as busy meanwhile, and says how it ended. */
  async #run<T>(
    id: string,
    label: string,
    call: () => Promise<Result<T>>,
    onOk: (v: T) => Outcome | Promise<Outcome>,
  ): Promise<void> {
    this.#busy = { ...this.#busy, [id]: label };
    try {
      const r = await call();
      if (r.ok) {
        const outcome = await onOk(r.value);
        if (typeof outcome === 'string') this.#notices.show('success', outcome);
        else this.#notices.show(outcome.kind, outcome.text);
      } else {
        this.#notices.fail(r.error);
        if (RELOAD_AFTER.has(r.error.code)) await this.#list.reload();
      }
    } finally {
      const { [id]: _done, ...rest } = this.#busy;
      this.#busy = rest;
    }
  }
}
