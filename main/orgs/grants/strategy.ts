import type * as oauth from 'oauth4webapi';
import type { SignInMethodName, SignInRequest, SignInStart } from '../../../preload/contract';
import type { Sleep } from '../../oauth/device-flow';
import { DEFAULT_TIMEOUT_MS, type HttpOptions } from '../../net/bounded-fetch';
import type { Outcome } from '../../oauth/loopback-listener';
import type { TokenSet } from '../../oauth/token-set';
import type { AppProfileRecord, OrgRecord } from '../../vault/records';

/** An app profile at one authorization server: what every grant request is made with. */
export interface GrantClient {
  as: oauth.AuthorizationServer;
  profile: AppProfileRecord;
  /** The profile's consumer secret; null for a public client. */
  secret: string | null;
  http: HttpOptions;
  now: () => number;
  /** The consumer secret, or `oauth/invalid_client` saying that `flow` needs one in this profile. */
  requireSecret(flow: string): string;
  /** The profile's private key (JWT bearer), or `key/invalid` saying which key to choose. */
  requirePrivateKey(): Promise<string>;
}

/** What starting a sign-in gets besides the client: where, how to reach the user, and how to be stopped. */
export interface SignInEnv extends GrantClient {
  loginHost: string;
  /** The id of this sign-in, for methods that do not make their own. */
  flowId: string;
  /** Aborted when the user cancels. */
  signal: AbortSignal;
  /** Opens a URL of this login host in the system browser. */
  openExternal: (url: string) => Promise<void>;
  listenerTimeoutMs: number | undefined;
  sleep: Sleep | undefined;
}

/** A sign-in between begin and await. */
export interface Begun {
  start: SignInStart;
  tokens: Promise<TokenSet>;
  /** The web server flow tells the browser tab how it ended. */
  finish?: (outcome: Outcome) => void;
  /** A code by hand: takes the address (or code) the user pasted; resolves once it was exchanged. */
  submitCode?: (pasted: string) => Promise<void>;
  /** The device flow's verification page. */
  verificationUrl?: string;
  /** JWT bearer: the `aud` the user chose, kept for renewals. */
  audience?: string | null;
}

/** What a flow through the browser and the loopback listener hands back when it begins. */
interface BrowserFlow {
  flowId: string;
  authorizeUrl: string;
  redirectUri: string;
  expiresAt: number;
  result: Promise<TokenSet>;
  finish(outcome: Outcome): void;
}

/** A browser flow as begun: what the window shows while it waits, the tokens to come, and the tab's ending. */
export function browserFlowBegun(method: 'authorization_code' | 'user_agent', flow: BrowserFlow): Begun {
  const { flowId, authorizeUrl, redirectUri, expiresAt } = flow;
  return {
    start: { flowId, method, authorizeUrl, redirectUri, expiresAt },
    tokens: flow.result,
    finish: (outcome) => flow.finish(outcome),
  };
}

/** How a grant gets new tokens without the user, or why it cannot. */
export type Renewal =
  /** With the stored refresh token; `withoutOne` says why there may be none and what to do. */
  | { by: 'refresh_token'; withoutOne: string }
  /** By running the grant again (client credentials, JWT bearer): no refresh token is involved. */
  | { by: 'grant'; renew(client: GrantClient, record: OrgRecord): Promise<TokenSet> };

/** How one sign-in method starts. */
export interface SignIn<M extends SignInMethodName> {
  method: M;
  begin(env: SignInEnv, request: Extract<SignInRequest, { method: M }>): Promise<Begun>;
}

/** Everything that differs between grants, in one module per grant (main/orgs/grants/). */
export interface GrantStrategy {
  /** How a user starts it from the add-org wizard; null for grants no sign-in starts (a pasted token). */
  signIn: { [M in SignInMethodName]: SignIn<M> }[SignInMethodName] | null;
  renewal: Renewal;
}

/** The start of a sign-in that is one request: it ends when the server answers or the request times out. */
export function requestStart(
  env: SignInEnv,
  method: Exclude<SignInMethodName, 'authorization_code' | 'device' | 'user_agent'>,
): SignInStart {
  return { flowId: env.flowId, method, expiresAt: env.now() + (env.http.timeoutMs ?? DEFAULT_TIMEOUT_MS) };
}
