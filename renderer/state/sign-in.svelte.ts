import type {
  Api,
  ApiError,
  AttachTokenRequest,
  OrgSummary,
  Result,
  SignInRequest,
  SignInStart,
} from '../../preload/contract';
import { METHOD, say, type MethodContext } from '../lib/sign-in-methods';
import type { Notices } from './notices.svelte';
import type { OrgListState } from './org-list.svelte';
import type { ProfilesState } from './profiles.svelte';

/** Where the add-org wizard is: choosing, starting, waiting for a browser or device, working on an import, failed. */
export type SignInPhase =
  | { step: 'idle' }
  | { step: 'starting' }
  | { step: 'waiting'; start: SignInStart }
  | { step: 'working'; flowId: string; what: string }
  | { step: 'failed'; error: ApiError };

type SignInApi = Pick<
  Api,
  | 'beginSignIn'
  | 'awaitSignIn'
  | 'cancelSignIn'
  | 'openDeviceVerification'
  | 'submitSignInCode'
  | 'importSfdxAuthUrl'
  | 'attachToken'
  | 'copyText'
>;

const newFlowId = () => crypto.randomUUID();

/** True when the registered callback URL leaves the port open (RFC 8252 §7.3) and the listener picked one. */
function portPicked(callbackUrl: string | undefined, redirectUri: string): boolean {
  if (callbackUrl === undefined) return false;
  try {
    return new URL(callbackUrl).port === '' && new URL(redirectUri).port !== '';
  } catch {
    return false;
  }
}

/** The add-org wizard's run: a sign-in with any method, an auth URL import, or a pasted token. */
export class SignInState {
  #phase = $state<SignInPhase>({ step: 'idle' });
  #cancelWhileStarting = false;
  /**
   * The running sign-in's profile, when the wait began, whether the redirect URI sent has a port the
   * profile's callback URL left open, and whether that callback was then switched to the port.
   */
  #waitingFor = $state<{ flowId: string; profileId: string; since: number; anyPort: boolean; fixed: boolean } | null>(
    null,
  );
  readonly #api: SignInApi;
  readonly #notices: Notices;
  readonly #list: OrgListState;
  readonly #profiles: ProfilesState;

  constructor(api: SignInApi, notices: Notices, list: OrgListState, profiles: ProfilesState) {
    this.#api = api;
    this.#notices = notices;
    this.#list = list;
    this.#profiles = profiles;
  }

  get phase(): SignInPhase {
    return this.#phase;
  }

  /**
   * Signs in with any method and waits for it (the browser, the device code, the server's answer); the org
   * list updates when it ends. True when it worked.
   */
  async signInWith(request: SignInRequest): Promise<boolean> {
    this.#phase = { step: 'starting' };
    this.#cancelWhileStarting = false;
    const started = await this.#api.beginSignIn(request);
    if (!started.ok) {
      this.#phase = { step: 'failed', error: started.error };
      return false;
    }
    if (this.#cancelWhileStarting) {
      await this.#api.cancelSignIn({ flowId: started.value.flowId });
    }
    this.#phase = { step: 'waiting', start: started.value };
    const registered = this.#profiles.find(request.profileId)?.callbackUrl;
    this.#waitingFor = {
      flowId: started.value.flowId,
      profileId: request.profileId,
      since: Date.now(),
      anyPort: started.value.method === 'authorization_code' && portPicked(registered, started.value.redirectUri),
      fixed: false,
    };
    const done = await this.#api.awaitSignIn({ flowId: started.value.flowId });
    if (!this.#finish(done)) return false;
    const c: MethodContext = { reauth: !!request.orgRef, tokenKind: null };
    this.#notices.show('success', METHOD[request.method].signedIn(done.value, c));
    return true;
  }

  /**
   * The web server flow waiting with an any-port loopback redirect (the profile's callback URL has no port,
   * so the redirect URI sent has the one the listener got). A server that matches redirect URIs exactly
   * refuses it in the browser, and the app only hears of it when the wait times out. `fixed`: the profile
   * now uses `redirectUri` as its callback URL (`useFixedPort`).
   */
  get anyPortRedirect(): { redirectUri: string; since: number; fixed: boolean } | null {
    const phase = this.#phase;
    const waiting = this.#waitingFor;
    if (phase.step !== 'waiting' || phase.start.method !== 'authorization_code') return null;
    if (waiting?.flowId !== phase.start.flowId || !waiting.anyPort) return null;
    const { redirectUri } = phase.start;
    return { redirectUri, since: waiting.since, fixed: waiting.fixed };
  }

  /**
   * Saves the running sign-in's redirect URI, port and all, as its profile's callback URL, so every later
   * sign-in sends that one URL. True when it was saved (a failure is the notice).
   */
  async useFixedPort(): Promise<boolean> {
    const offer = this.anyPortRedirect;
    const waiting = this.#waitingFor;
    const profile = waiting ? this.#profiles.find(waiting.profileId) : undefined;
    if (!offer || offer.fixed || !waiting || !profile) return false;
    const { id, name, kind, consumerKey, scopes } = profile;
    const saved = await this.#profiles.save({ id, name, kind, consumerKey, scopes, callbackUrl: offer.redirectUri });
    if (!saved) return false;
    if (this.#waitingFor?.flowId === waiting.flowId) this.#waitingFor = { ...waiting, fixed: true };
    return true;
  }

  /** Opens the running device flow's verification page in the browser. */
  async openVerification(): Promise<void> {
    const phase = this.#phase;
    if (phase.step !== 'waiting' || phase.start.method !== 'device') return;
    const r = await this.#api.openDeviceVerification({ flowId: phase.start.flowId });
    if (!r.ok) this.#notices.fail(r.error);
  }

  /**
   * A code by hand: hands what the user pasted (the address the browser landed on, or its code) to the running
   * sign-in. Null when the code was exchanged (the wait then ends by itself), else why not: a paste from another
   * attempt or without a code leaves the sign-in waiting for another.
   */
  async submitCode(pasted: string): Promise<ApiError | null> {
    const phase = this.#phase;
    if (phase.step !== 'waiting' || phase.start.method !== 'authorization_code' || !phase.start.byHand) return null;
    const r = await this.#api.submitSignInCode({ flowId: phase.start.flowId, pasted });
    return r.ok ? null : r.error;
  }

  /** Adopts an org from a Salesforce CLI auth URL; true when it worked. */
  async importAuthUrl(url: string, label?: string): Promise<boolean> {
    const flowId = newFlowId();
    const c: MethodContext = { reauth: false, tokenKind: null };
    this.#phase = { step: 'working', flowId, what: say(METHOD['sfdx_auth_url'].working, c) };
    const r = await this.#api.importSfdxAuthUrl({ url, flowId, ...(label ? { label } : {}) });
    if (!this.#finish(r)) return false;
    await this.#profiles.reload();
    this.#notices.show('success', METHOD['sfdx_auth_url'].signedIn(r.value, c));
    return true;
  }

  /** Uses a token got elsewhere: a new org, or attached to `orgRef`. True when it worked. */
  async attachToken(request: Omit<AttachTokenRequest, 'flowId'>): Promise<boolean> {
    const flowId = newFlowId();
    const c: MethodContext = { reauth: !!request.orgRef, tokenKind: request.kind };
    this.#phase = { step: 'working', flowId, what: say(METHOD['pasted'].working, c) };
    const r = await this.#api.attachToken({ ...request, flowId });
    if (!this.#finish(r)) return false;
    this.#notices.show('success', METHOD['pasted'].signedIn(r.value, c));
    return true;
  }

  /** Copies non-secret text the wizard shows (a callback URL, a device code). */
  async copyText(text: string, what: string): Promise<void> {
    const r = await this.#api.copyText({ text });
    if (r.ok) this.#notices.show('success', `Copied ${what}.`);
    else this.#notices.fail(r.error);
  }

  /** Stops whatever the wizard is waiting for. */
  async cancel(): Promise<void> {
    const phase = this.#phase;
    if (phase.step === 'starting') this.#cancelWhileStarting = true;
    if (phase.step === 'waiting') await this.#api.cancelSignIn({ flowId: phase.start.flowId });
    if (phase.step === 'working') await this.#api.cancelSignIn({ flowId: phase.flowId });
    this.#phase = { step: 'idle' };
  }

  /** Forgets a failure, so the wizard shows its form again. */
  reset(): void {
    if (this.#phase.step === 'failed') this.#phase = { step: 'idle' };
  }

  /** Ends a wizard step with an org: selects it, or shows why not. True when there is an org. */
  #finish(r: Result<OrgSummary>): r is { ok: true; value: OrgSummary } {
    if (!r.ok) {
      this.#phase = r.error.code === 'oauth/cancelled' ? { step: 'idle' } : { step: 'failed', error: r.error };
      return false;
    }
    this.#list.upsert(r.value);
    this.#list.select(r.value.id);
    this.#phase = { step: 'idle' };
    return true;
  }
}
