import type { OrgSummary, SignInMethod, SignInMethodName } from '../../preload/contract';
import type { MethodFields } from '../state/add-org.svelte';

/** Every way into an org the wizard offers: the sign-in methods, and the imports. */
export type WizardMethod = SignInMethodName | 'salesforce_cli' | 'sfdx_auth_url' | 'pasted';

export type MethodGroup = 'person' | 'integration' | 'bring';

/** The methods with a panel of their own instead of a form: the CLI import lists orgs and reports on them. */
type OwnPanel = 'salesforce_cli';

/** What a method's texts may depend on: re-authenticating an org, and the kind of a pasted token. */
export interface MethodContext {
  reauth: boolean;
  tokenKind: 'access' | 'refresh' | null;
}

type Text = string | ((c: MethodContext) => string);

/** A method's own inputs, each a small component in `components/add-org/fields.ts`. */
export type OwnFields = 'username-password' | 'username-audience' | 'subject-token' | 'pasted-token' | 'sfdx_auth_url';

/** What the wizard's form shows for a method, top to bottom. */
interface MethodForm {
  /** Text of the submit button. */
  submit: Text;
  /** A note above the form: a warning callout, or a quiet hint. */
  note: { title?: string; text: string; warning: boolean } | null;
  /** Where to sign in: any login host, a host that must be a My Domain, or none (the method's input says). */
  host: 'any' | 'my-domain' | null;
  /** The method's own inputs, after the environment. */
  fields: OwnFields | null;
  /** The app profile and what the flow needs of it; null when the method brings its own client. */
  profile: { secret: boolean; key: boolean; callback: boolean } | null;
}

/** Everything the renderer says and shows for one way into an org. */
interface MethodDescriptor<M extends WizardMethod = WizardMethod> {
  label: string;
  /** One line under the label. */
  summary: string;
  group: MethodGroup;
  /** Offered when re-authenticating an existing org. */
  reauth: boolean;
  /** What the waiting panel says while the method runs (a sign-in's says it before its own details). */
  working: M extends OwnPanel ? null : M extends SignInMethodName ? string : Text;
  /** The notice once it worked. */
  signedIn: M extends OwnPanel ? null : (org: OrgSummary, c: MethodContext) => string;
  form: M extends OwnPanel ? null : MethodForm;
  /** The method's part of the sign-in request, from the form; the imports have calls of their own. */
  request: M extends SignInMethodName ? (f: MethodFields) => Extract<SignInMethod, { method: M }> : null;
}

const who = (org: OrgSummary) => org.username ?? 'unknown user';
const optional = <K extends string>(key: K, value: string) =>
  (value.trim() ? { [key]: value.trim() } : {}) as Partial<Record<K, string>>;

/** A method without a descriptor does not compile; the picker shows them in this order. */
export const METHOD: { [M in WizardMethod]: MethodDescriptor<M> } = {
  authorization_code: {
    label: 'Browser',
    summary: 'Log in in your browser (web server flow with PKCE). Recommended.',
    group: 'person',
    reauth: true,
    working: 'Waiting for you to log in in your browser…',
    signedIn: (o) => `Signed in to ${o.label} as ${who(o)}.`,
    form: {
      submit: 'Sign in with browser',
      note: null,
      host: 'any',
      fields: null,
      profile: { secret: false, key: false, callback: true },
    },
    request: () => ({ method: 'authorization_code' }),
  },
  device: {
    label: 'Device code',
    summary: 'Enter a code at Salesforce, on this or any other device.',
    group: 'person',
    reauth: true,
    working: 'Enter this code at Salesforce',
    signedIn: (o) => `Signed in to ${o.label} as ${who(o)} with the device code.`,
    form: {
      submit: 'Get a code',
      note: {
        text: 'The app in Salesforce needs "Enable for Device Flow". You get a code to enter at Salesforce; no callback URL is used.',
        warning: false,
      },
      host: 'any',
      fields: null,
      profile: { secret: false, key: false, callback: false },
    },
    request: () => ({ method: 'device' }),
  },
  user_agent: {
    label: 'User-agent flow',
    summary: 'Browser login for an app that allows only this flow. Less safe.',
    group: 'person',
    reauth: true,
    working: 'Waiting for you to log in in your browser…',
    signedIn: (o) => `Signed in to ${o.label} as ${who(o)} with the user-agent flow.`,
    form: {
      submit: 'Sign in with the user-agent flow',
      note: {
        title: 'Less safe than Browser.',
        text: 'The user-agent flow (the implicit grant) returns the tokens in the browser’s address, where its history and extensions can read them, and no PKCE ties them to this app. RFC 9700 says not to use it: choose Browser, the web server flow with PKCE, unless the app allows only this flow.',
        warning: true,
      },
      host: 'any',
      fields: null,
      profile: { secret: false, key: false, callback: true },
    },
    request: () => ({ method: 'user_agent' }),
  },
  password: {
    label: 'Username and password',
    summary: 'Legacy flow, blocked in new orgs. Avoid it.',
    group: 'person',
    reauth: true,
    working: 'Signing in with the username and password…',
    signedIn: (o) => `Signed in to ${o.label} as ${who(o)}. The password was not stored.`,
    form: {
      submit: 'Sign in',
      note: {
        title: 'Legacy flow.',
        text: 'Salesforce blocks the username-password flow in new orgs, and admins should keep it off: the app sees your password, multi-factor authentication is skipped, and no refresh token is issued. Use it only with an org and app that still allow it. The password is sent once, in the request body, and never stored.',
        warning: true,
      },
      host: 'any',
      fields: 'username-password',
      profile: { secret: true, key: false, callback: false },
    },
    request: (f) => ({ method: 'password', username: f.username.trim(), ...f.takePassword() }),
  },
  client_credentials: {
    label: 'Client credentials',
    summary: "The app's integration user, at the org's My Domain.",
    group: 'integration',
    reauth: true,
    working: 'Asking the org for a token as its integration user…',
    signedIn: (o) => `Got a token for ${o.label} as the app's integration user ${o.username ?? ''}.`,
    form: {
      submit: 'Get a token',
      note: null,
      host: 'my-domain',
      fields: null,
      profile: { secret: true, key: false, callback: false },
    },
    request: () => ({ method: 'client_credentials' }),
  },
  jwt_bearer: {
    label: 'JWT bearer',
    summary: "A certificate's private key signs in as a user.",
    group: 'integration',
    reauth: true,
    working: 'Signing an assertion and sending it to Salesforce…',
    signedIn: (o) => `Signed in to ${o.label} as ${who(o)} with a JWT bearer assertion.`,
    form: {
      submit: 'Sign in with the key',
      note: null,
      host: 'any',
      fields: 'username-audience',
      profile: { secret: false, key: true, callback: false },
    },
    request: (f) => ({ method: 'jwt_bearer', username: f.username.trim(), ...optional('audience', f.audience) }),
  },
  token_exchange: {
    label: 'Token exchange',
    summary: 'Trade a token from your identity provider.',
    group: 'integration',
    reauth: true,
    working: 'Exchanging the token…',
    signedIn: (o) => `Exchanged the token for a Salesforce token: ${o.label} as ${who(o)}.`,
    form: {
      submit: 'Exchange the token',
      note: null,
      host: 'any',
      fields: 'subject-token',
      profile: { secret: false, key: false, callback: false },
    },
    request: (f) => ({ method: 'token_exchange', subjectToken: f.subjectToken, subjectTokenType: f.subjectTokenType }),
  },
  salesforce_cli: {
    label: 'Salesforce CLI',
    summary: 'Import the orgs sf is signed in to, with their aliases.',
    group: 'bring',
    reauth: false,
    working: null,
    signedIn: null,
    form: null,
    request: null,
  },
  sfdx_auth_url: {
    label: 'SFDX auth URL',
    summary: 'Paste a force://… URL from sf org auth show-sfdx-auth-url.',
    group: 'bring',
    reauth: false,
    working: 'Importing the org from the auth URL…',
    signedIn: (o) => `Imported ${o.label} (${who(o)}) from the Salesforce CLI auth URL.`,
    form: { submit: 'Import', note: null, host: null, fields: 'sfdx_auth_url', profile: null },
    request: null,
  },
  pasted: {
    label: 'Paste a token',
    summary: 'An access or refresh token you got elsewhere.',
    group: 'bring',
    reauth: true,
    working: (c) => `Checking the ${c.tokenKind} token with the server…`,
    signedIn: (o, c) =>
      c.reauth
        ? `Attached the ${c.tokenKind} token to ${o.label}.`
        : `Added ${o.label} (${who(o)}) with the pasted ${c.tokenKind} token.`,
    form: {
      submit: (c) => (c.reauth ? 'Attach the token' : 'Add the org'),
      note: null,
      host: 'any',
      fields: 'pasted-token',
      profile: { secret: false, key: false, callback: false },
    },
    request: null,
  },
};

/** A method's text in its context. */
export const say = (text: Text, c: MethodContext): string => (typeof text === 'string' ? text : text(c));

export const GROUP_LABEL: Record<MethodGroup, string> = {
  person: 'A person signs in',
  integration: 'An integration signs in',
  bring: 'Bring tokens you have',
};
