import type {
  Api,
  ApiError,
  IntrospectionView,
  PastedRevokeResult,
  PastedTokenTarget,
  Result,
  TokenInspection,
  TokenMatch,
} from '../../preload/contract';

type PastedApi = Pick<Api, 'matchPastedToken' | 'introspectPastedToken' | 'revokePastedToken' | 'cancelSignIn'>;

/** The login host offered for a token that names no https issuer. */
const DEFAULT_LOGIN_HOST = 'login.salesforce.com';

/** The token as main reads it (trimmed, no `Bearer `, no quotes), for showing its last characters. */
function bare(token: string): string {
  return token
    .trim()
    .replace(/^bearer(\s+|$)/i, '')
    .replace(/^(["'])(.*)\1$/s, '$2')
    .trim();
}

/**
 * A pasted token's place among the user's orgs, and introspection and revocation there: the match for the
 * latest token only, the login host and app profile chosen for a token of no stored org, and each action's
 * progress and answer. `onStoredChanged` runs after an action on a token that is one of an org's own, so the
 * org list shows the status main recorded.
 */
export class PastedTokenState {
  #token = $state('');
  #match = $state<TokenMatch | null>(null);
  #matchError = $state<ApiError | null>(null);
  #busy = $state<'introspect' | 'revoke' | null>(null);
  #flowId: string | null = null;
  #introspection = $state<IntrospectionView | null>(null);
  #revocation = $state<PastedRevokeResult | null>(null);
  #error = $state<ApiError | null>(null);
  /** For a token of no stored org: where to ask, and with which app profile. */
  loginHost = $state(DEFAULT_LOGIN_HOST);
  profileId = $state<string | null>(null);
  /** Which matched org to act at: the best one unless the user picks another, or '' for a login host instead. */
  orgId = $state<string | null>(null);
  #seq = 0;
  readonly #api: PastedApi;
  readonly #onStoredChanged: () => Promise<void> | void;

  constructor(api: PastedApi, onStoredChanged: () => Promise<void> | void) {
    this.#api = api;
    this.#onStoredChanged = onStoredChanged;
  }

  get match(): TokenMatch | null {
    return this.#match;
  }
  get matchError(): ApiError | null {
    return this.#matchError;
  }
  get busy(): 'introspect' | 'revoke' | null {
    return this.#busy;
  }
  get introspection(): IntrospectionView | null {
    return this.#introspection;
  }
  get revocation(): PastedRevokeResult | null {
    return this.#revocation;
  }
  get error(): ApiError | null {
    return this.#error;
  }
  /** The last characters of the token, the only part of it ever shown. */
  get hint(): string {
    return bare(this.#token).slice(-4);
  }
  /** The matched org acted at, if any. */
  get org(): TokenMatch['orgs'][number] | null {
    if (this.orgId === '') return null;
    return this.#match?.orgs.find((o) => o.id === this.orgId) ?? this.#match?.orgs[0] ?? null;
  }
  get target(): PastedTokenTarget {
    const org = this.org;
    return org ? { org: org.id } : { loginHost: this.loginHost, profileId: this.profileId };
  }
  /** Where the actions go, in words. */
  get where(): string {
    return this.org?.label ?? (this.loginHost.trim() || DEFAULT_LOGIN_HOST);
  }

  /** Which kind of token it is, in words: what the org stores it as, else what its shape says. */
  kindName(inspection: TokenInspection): string {
    const stored = this.org?.sameToken;
    if (stored) return stored === 'id' ? 'ID token' : `${stored} token`;
    return inspection.kind === 'salesforce-refresh' ? 'refresh token' : 'access token';
  }

  /** Finds where `token` belongs; answers to earlier tokens, and their actions' results, are dropped. */
  async matchToken(token: string): Promise<void> {
    const seq = ++this.#seq;
    this.#token = token;
    this.#match = null;
    this.#matchError = null;
    this.#introspection = null;
    this.#revocation = null;
    this.#error = null;
    this.#busy = null;
    this.orgId = null;
    if (bare(token) === '') return;
    const r = await this.#api.matchPastedToken({ token });
    if (seq !== this.#seq) return;
    if (!r.ok) {
      this.#matchError = r.error;
      return;
    }
    this.#match = r.value;
    this.orgId = r.value.orgs[0]?.id ?? null;
    this.profileId = r.value.profiles[0]?.id ?? null;
    this.loginHost = loginHostOf(r.value.issuer);
  }

  introspect(): Promise<void> {
    return this.#act(
      'introspect',
      (token, target, flowId) => this.#api.introspectPastedToken({ token, target, flowId }),
      (view) => (this.#introspection = view),
    );
  }

  revoke(): Promise<void> {
    return this.#act(
      'revoke',
      (token, target, flowId) => this.#api.revokePastedToken({ token, target, flowId }),
      (result) => (this.#revocation = result),
    );
  }

  async #act<T>(
    action: 'introspect' | 'revoke',
    call: (token: string, target: PastedTokenTarget, flowId: string) => Promise<Result<T>>,
    done: (value: T) => void,
  ): Promise<void> {
    if (this.#busy || !this.#match) return;
    const seq = this.#seq;
    const stored = this.#match.orgs.some((o) => o.sameToken !== null);
    this.#busy = action;
    this.#error = null;
    this.#introspection = null;
    if (action === 'revoke') this.#revocation = null;
    const flowId = crypto.randomUUID();
    this.#flowId = flowId;
    try {
      const r = await call(this.#token, $state.snapshot(this.target), flowId);
      if (seq !== this.#seq) return;
      if (!r.ok) {
        this.#error = r.error;
        return;
      }
      done(r.value);
      if (stored) await this.#onStoredChanged();
    } finally {
      if (seq === this.#seq) this.#busy = null;
      if (this.#flowId === flowId) this.#flowId = null;
    }
  }

  /** Cancels the introspection or revocation under way: main aborts its requests, and the answer says so. */
  cancel(): void {
    if (this.#flowId) void this.#api.cancelSignIn({ flowId: this.#flowId });
  }
}

/** The login host a token's `iss` names (its https or loopback address), else Salesforce production. */
function loginHostOf(issuer: string | null): string {
  if (!issuer || !URL.canParse(issuer)) return DEFAULT_LOGIN_HOST;
  const url = new URL(issuer);
  return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
    ? issuer.replace(/\/+$/, '')
    : DEFAULT_LOGIN_HOST;
}
