import type {
  Api,
  ApiError,
  AppProfile,
  AppProfileInput,
  AttachTokenRequest,
  CliOrgList,
  IntrospectionView,
  OrgSummary,
  Result,
  SignatureCheck,
  SignInRequest,
  SignInStart,
  TokenInspection,
  UserInfoView,
  TokenKind,
  TokenTestResult,
} from '../../preload/contract';

export type Notice = { kind: 'success' | 'error' | 'info'; text: string; code?: string };

/** Where the add-org wizard is: choosing, starting, waiting for a browser or device, working on an import, failed. */
export type SignInPhase =
  | { step: 'idle' }
  | { step: 'starting' }
  | { step: 'waiting'; start: SignInStart }
  | { step: 'working'; flowId: string; what: string }
  | { step: 'failed'; error: ApiError };

/** The Salesforce CLI import: its org list, and the import of the chosen ones. */
export type CliPhase =
  | { step: 'idle' }
  | { step: 'loading'; flowId: string }
  | { step: 'listed'; list: CliOrgList }
  | { step: 'importing'; flowId: string; list: CliOrgList; count: number }
  | { step: 'failed'; error: ApiError };

type OrgApi = Pick<
  Api,
  | 'listOrgs'
  | 'updateOrg'
  | 'listAppProfiles'
  | 'saveAppProfile'
  | 'deleteAppProfile'
  | 'beginSignIn'
  | 'awaitSignIn'
  | 'cancelSignIn'
  | 'openDeviceVerification'
  | 'refreshOrg'
  | 'revokeToken'
  | 'signOut'
  | 'introspectToken'
  | 'testToken'
  | 'openOrgInBrowser'
  | 'inspectOrgToken'
  | 'exportOrgs'
  | 'importOrgs'
  | 'copyToken'
  | 'copyText'
  | 'revealToken'
  | 'verifyOrgToken'
  | 'getUserInfo'
  | 'importSfdxAuthUrl'
  | 'registerAppProfile'
  | 'listCliOrgs'
  | 'importCliOrgs'
  | 'attachToken'
>;

const who = (org: OrgSummary) => org.username ?? 'unknown user';

/** What the notice says after each way of signing in worked. */
const SIGNED_IN: Record<SignInRequest['method'], (org: OrgSummary) => string> = {
  'web-server': (o) => `Signed in to ${o.label} as ${who(o)}.`,
  device: (o) => `Signed in to ${o.label} as ${who(o)} with the device code.`,
  'client-credentials': (o) => `Got a token for ${o.label} as the app's integration user ${o.username ?? ''}.`,
  'jwt-bearer': (o) => `Signed in to ${o.label} as ${who(o)} with a JWT bearer assertion.`,
  password: (o) => `Signed in to ${o.label} as ${who(o)}. The password was not stored.`,
  'token-exchange': (o) => `Exchanged the token for a Salesforce token: ${o.label} as ${who(o)}.`,
};

const newFlowId = () => crypto.randomUUID();

/** Orgs, app profiles and the sign-in flow, as the UI sees them. Every call's outcome becomes a notice. */
export class OrgsState {
  #orgs = $state<OrgSummary[]>([]);
  #profiles = $state<AppProfile[]>([]);
  #selectedId = $state<string | null>(null);
  #signIn = $state<SignInPhase>({ step: 'idle' });
  #cancelWhileStarting = false;
  #cli = $state<CliPhase>({ step: 'idle' });
  #notice = $state<Notice | null>(null);
  #busy = $state<Record<string, string>>({});
  #introspection = $state<Record<string, IntrospectionView>>({});
  #tests = $state<Record<string, TokenTestResult>>({});
  #loaded = $state(false);
  #revealed = $state<{ id: string; kind: TokenKind; token: string } | null>(null);
  #verification = $state<{ id: string; kind: TokenKind; result: SignatureCheck } | null>(null);
  #userInfo = $state<{ id: string; info: UserInfoView } | null>(null);
  #inspected = $state<{ id: string; kind: TokenKind; inspection: TokenInspection } | null>(null);
  readonly #api: OrgApi;

  constructor(api: OrgApi) {
    this.#api = api;
  }

  get orgs(): OrgSummary[] {
    return this.#orgs;
  }
  get profiles(): AppProfile[] {
    return this.#profiles;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get selected(): OrgSummary | null {
    return this.#orgs.find((o) => o.id === this.#selectedId) ?? null;
  }
  get selectedId(): string | null {
    return this.#selectedId;
  }
  get signIn(): SignInPhase {
    return this.#signIn;
  }
  get notice(): Notice | null {
    return this.#notice;
  }
  /** What is running for an org (e.g. 'Revoking…'), or undefined. */
  busyFor(id: string): string | undefined {
    return this.#busy[id];
  }
  introspectionFor(id: string, kind: 'access' | 'refresh'): IntrospectionView | undefined {
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

  async copy(id: string, kind: TokenKind): Promise<void> {
    const r = await this.#api.copyToken({ id, kind });
    if (r.ok)
      this.#notice = {
        kind: 'success',
        text: `Copied the ${kind} token to the clipboard. Paste it only where you trust it.`,
      };
    else this.#fail(r.error);
  }

  async copyText(text: string, what: string): Promise<void> {
    const r = await this.#api.copyText({ text });
    if (r.ok) this.#notice = { kind: 'success', text: `Copied ${what}.` };
    else this.#fail(r.error);
  }

  async reveal(id: string, kind: TokenKind): Promise<void> {
    const r = await this.#api.revealToken({ id, kind });
    if (r.ok) this.#revealed = { id, kind, token: r.value.token };
    else this.#fail(r.error);
  }

  hide(): void {
    this.#revealed = null;
  }

  async verify(id: string, kind: TokenKind): Promise<void> {
    const r = await this.#api.verifyOrgToken({ id, kind });
    if (r.ok) this.#verification = { id, kind, result: r.value };
    else this.#fail(r.error);
  }

  async loadUserInfo(id: string): Promise<void> {
    const r = await this.#api.getUserInfo({ id });
    if (r.ok) this.#userInfo = { id, info: r.value };
    else this.#fail(r.error);
  }

  /** The org token being shown decoded, if any. */
  get inspected(): { id: string; kind: TokenKind; inspection: TokenInspection } | null {
    return this.#inspected;
  }

  select(id: string | null): void {
    this.#selectedId = id;
    this.#inspected = null;
    this.#revealed = null;
    this.#verification = null;
  }

  async inspect(id: string, kind: TokenKind): Promise<void> {
    const r = await this.#api.inspectOrgToken({ id, kind });
    if (r.ok) {
      this.#inspected = { id, kind, inspection: r.value };
      this.#verification = null;
    } else this.#fail(r.error);
  }

  closeInspection(): void {
    this.#inspected = null;
  }
  dismissNotice(): void {
    this.#notice = null;
  }

  async load(): Promise<void> {
    const [orgs, profiles] = await Promise.all([this.#api.listOrgs(), this.#api.listAppProfiles()]);
    if (orgs.ok) this.#orgs = orgs.value;
    else this.#fail(orgs.error);
    if (profiles.ok) this.#profiles = profiles.value;
    else this.#fail(profiles.error);
    this.#loaded = true;
  }

  async saveProfile(input: AppProfileInput): Promise<AppProfile | null> {
    const r = await this.#api.saveAppProfile(input);
    if (!r.ok) {
      this.#fail(r.error);
      return null;
    }
    this.#profiles = [...this.#profiles.filter((p) => p.id !== r.value.id), r.value];
    return r.value;
  }

  /** Registers a new client (dynamic client registration) and keeps it as an app profile. */
  async registerProfile(input: Parameters<OrgApi['registerAppProfile']>[0]): Promise<AppProfile | null> {
    const r = await this.#api.registerAppProfile(input);
    if (!r.ok) {
      this.#fail(r.error);
      return null;
    }
    this.#profiles = [...this.#profiles, r.value];
    this.#notice = { kind: 'success', text: `Registered the app "${r.value.name}"; its secret is stored encrypted.` };
    return r.value;
  }

  /**
   * Signs in with any method and waits for it (the browser, the device code, the server's answer); the org
   * list updates when it ends. True when it worked.
   */
  async signInWith(request: SignInRequest): Promise<boolean> {
    this.#signIn = { step: 'starting' };
    this.#cancelWhileStarting = false;
    const started = await this.#api.beginSignIn(request);
    if (!started.ok) {
      this.#signIn = { step: 'failed', error: started.error };
      return false;
    }
    if (this.#cancelWhileStarting) {
      await this.#api.cancelSignIn({ flowId: started.value.flowId });
    }
    this.#signIn = { step: 'waiting', start: started.value };
    const done = await this.#api.awaitSignIn({ flowId: started.value.flowId });
    if (!this.#finish(done)) return false;
    this.#notice = { kind: 'success', text: SIGNED_IN[request.method](done.value as OrgSummary) };
    return true;
  }

  /** Opens the running device flow's verification page in the browser. */
  async openVerification(): Promise<void> {
    const phase = this.#signIn;
    if (phase.step !== 'waiting' || phase.start.method !== 'device') return;
    const r = await this.#api.openDeviceVerification({ flowId: phase.start.flowId });
    if (!r.ok) this.#fail(r.error);
  }

  /** Adopts an org from a Salesforce CLI auth URL; true when it worked. */
  async importAuthUrl(url: string, label?: string): Promise<boolean> {
    const flowId = newFlowId();
    this.#signIn = { step: 'working', flowId, what: 'Importing the org from the auth URL…' };
    const r = await this.#api.importSfdxAuthUrl({ url, flowId, ...(label ? { label } : {}) });
    if (!this.#finish(r)) return false;
    await this.#reloadProfiles();
    this.#notice = {
      kind: 'success',
      text: `Imported ${r.value.label} (${who(r.value)}) from the Salesforce CLI auth URL.`,
    };
    return true;
  }

  /** Uses a token got elsewhere: a new org, or attached to `orgRef`. True when it worked. */
  async attachToken(request: Omit<AttachTokenRequest, 'flowId'>): Promise<boolean> {
    const flowId = newFlowId();
    this.#signIn = { step: 'working', flowId, what: `Checking the ${request.kind} token with the server…` };
    const r = await this.#api.attachToken({ ...request, flowId });
    if (!this.#finish(r)) return false;
    this.#notice = {
      kind: 'success',
      text: request.orgRef
        ? `Attached the ${request.kind} token to ${r.value.label}.`
        : `Added ${r.value.label} (${who(r.value)}) with the pasted ${request.kind} token.`,
    };
    return true;
  }

  get cli(): CliPhase {
    return this.#cli;
  }

  /** Asks the Salesforce CLI for its orgs. */
  async loadCliOrgs(): Promise<void> {
    const flowId = newFlowId();
    this.#cli = { step: 'loading', flowId };
    const r = await this.#api.listCliOrgs({ flowId });
    if (this.#cli.step !== 'loading' || this.#cli.flowId !== flowId) return;
    this.#cli = r.ok ? { step: 'listed', list: r.value } : this.#cliFailure(r.error);
  }

  /** Imports the chosen CLI orgs; true when at least one arrived. */
  async importCliOrgs(usernames: string[]): Promise<boolean> {
    if (this.#cli.step !== 'listed') return false;
    const list = this.#cli.list;
    const flowId = newFlowId();
    this.#cli = { step: 'importing', flowId, list, count: usernames.length };
    const r = await this.#api.importCliOrgs({ usernames, flowId });
    if (!r.ok) {
      this.#cli = r.error.code === 'oauth/cancelled' ? { step: 'listed', list } : this.#cliFailure(r.error);
      return false;
    }
    for (const org of r.value.imported) this.#upsert(org);
    await this.#reloadProfiles();
    const first = r.value.imported[0];
    if (first) this.#selectedId = first.id;
    const failed = r.value.failed.map((f) => `${f.username}: ${f.message}`).join(' ');
    this.#notice = {
      kind: r.value.failed.length > 0 ? (first ? 'info' : 'error') : 'success',
      text: `Imported ${r.value.imported.length} of ${usernames.length} orgs from the Salesforce CLI.${failed ? ` Not imported: ${failed}` : ''}`,
    };
    const listed = await this.#api.listCliOrgs({ flowId: newFlowId() });
    this.#cli = { step: 'listed', list: listed.ok ? listed.value : list };
    return first !== undefined;
  }

  async cancelCli(): Promise<void> {
    const phase = this.#cli;
    if (phase.step === 'loading' || phase.step === 'importing') await this.#api.cancelSignIn({ flowId: phase.flowId });
    if (phase.step === 'loading') this.#cli = { step: 'idle' };
  }

  /** Stops whatever the wizard is waiting for. */
  async cancelSignIn(): Promise<void> {
    const phase = this.#signIn;
    if (phase.step === 'starting') this.#cancelWhileStarting = true;
    if (phase.step === 'waiting') await this.#api.cancelSignIn({ flowId: phase.start.flowId });
    if (phase.step === 'working') await this.#api.cancelSignIn({ flowId: phase.flowId });
    this.#signIn = { step: 'idle' };
  }

  resetSignIn(): void {
    if (this.#signIn.step === 'failed') this.#signIn = { step: 'idle' };
  }

  /** Ends a wizard step with an org: selects it, or shows why not. True when there is an org. */
  #finish(r: Result<OrgSummary>): r is { ok: true; value: OrgSummary } {
    if (!r.ok) {
      this.#signIn = r.error.code === 'oauth/cancelled' ? { step: 'idle' } : { step: 'failed', error: r.error };
      return false;
    }
    this.#upsert(r.value);
    this.#selectedId = r.value.id;
    this.#signIn = { step: 'idle' };
    return true;
  }

  #cliFailure(error: ApiError): CliPhase {
    return error.code === 'oauth/cancelled' ? { step: 'idle' } : { step: 'failed', error };
  }

  async #reloadProfiles(): Promise<void> {
    const profiles = await this.#api.listAppProfiles();
    if (profiles.ok) this.#profiles = profiles.value;
  }

  refresh(id: string): Promise<void> {
    return this.#run(
      id,
      'Refreshing…',
      () => this.#api.refreshOrg({ id }),
      (org) => {
        this.#upsert(org);
        return 'Got a new access token.';
      },
    );
  }

  revoke(id: string, kind: 'access' | 'refresh'): Promise<void> {
    return this.#run(
      id,
      'Revoking…',
      () => this.#api.revokeToken({ id, kind }),
      async (r) => {
        await this.#reload();
        return r.summary;
      },
    );
  }

  signOut(id: string): Promise<void> {
    return this.#run(
      id,
      'Signing out…',
      () => this.#api.signOut({ id }),
      async (r) => {
        if (this.#selectedId === id) this.#selectedId = null;
        await this.#reload();
        return r.summary;
      },
    );
  }

  introspect(id: string, kind: 'access' | 'refresh'): Promise<void> {
    return this.#run(
      id,
      'Asking the server…',
      () => this.#api.introspectToken({ id, kind }),
      async (view) => {
        this.#introspection = { ...this.#introspection, [`${id}:${kind}`]: view };
        await this.#reload();
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
        await this.#reload();
        return t.message;
      },
    );
  }

  openInBrowser(id: string): Promise<void> {
    return this.#run(
      id,
      'Opening…',
      () => this.#api.openOrgInBrowser({ id }),
      () => 'Opened the org in your browser.',
    );
  }

  async exportAll(): Promise<void> {
    const r = await this.#api.exportOrgs();
    if (!r.ok) return this.#fail(r.error);
    if (r.value.path !== null) {
      this.#notice = {
        kind: 'success',
        text: `Exported ${r.value.orgs} orgs and ${r.value.profiles} app profiles to ${r.value.path}. No token or secret is in the file.`,
      };
    }
  }

  async importAll(): Promise<void> {
    const r = await this.#api.importOrgs();
    if (!r.ok) return this.#fail(r.error);
    if (r.value === null) return;
    const skipped = r.value.skipped.map((s) => s.reason).join(' ');
    this.#notice = {
      kind: r.value.skipped.length > 0 ? 'info' : 'success',
      text: `Imported ${r.value.imported} entries; sign in to each imported org to get tokens.${skipped ? ` Skipped: ${skipped}` : ''}`,
    };
    await this.load();
  }

  async update(input: Parameters<OrgApi['updateOrg']>[0]): Promise<void> {
    const r = await this.#api.updateOrg(input);
    if (r.ok) this.#upsert(r.value);
    else this.#fail(r.error);
  }

  async #run<T>(
    id: string,
    label: string,
    call: () => Promise<Result<T>>,
    onOk: (v: T) => string | Promise<string>,
  ): Promise<void> {
    this.#busy = { ...this.#busy, [id]: label };
    try {
      const r = await call();
      if (r.ok) this.#notice = { kind: 'success', text: await onOk(r.value) };
      else {
        this.#fail(r.error);
        if (r.error.code === 'org/needs_sign_in' || r.error.code === 'sf/session_expired') await this.#reload();
      }
    } finally {
      const { [id]: _done, ...rest } = this.#busy;
      this.#busy = rest;
    }
  }

  async #reload(): Promise<void> {
    const r = await this.#api.listOrgs();
    if (r.ok) this.#orgs = r.value;
  }

  #upsert(org: OrgSummary): void {
    const i = this.#orgs.findIndex((o) => o.id === org.id);
    this.#orgs = i === -1 ? [...this.#orgs, org] : this.#orgs.map((o) => (o.id === org.id ? org : o));
  }

  #fail(error: ApiError): void {
    this.#notice = { kind: 'error', text: error.message, code: error.code };
  }
}
