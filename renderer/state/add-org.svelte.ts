import {
  DEFAULT_CALLBACK_URL,
  DEFAULT_SCOPES,
  type AppProfile,
  type AppProfileInput,
  type LoginHostChoice,
  type RegistrableGrant,
  type RevocableTokenKind,
  type SubjectTokenType,
} from '../../preload/contract';
import type { ProfilesState } from './profiles.svelte';

/** Where to sign in: production, sandbox, or a typed My Domain. */
export class HostChoice {
  environment = $state<'production' | 'sandbox' | 'mydomain'>('production');
  myDomain = $state('');

  constructor(loginHost: LoginHostChoice | null = null) {
    if (loginHost === 'production' || loginHost === 'sandbox' || loginHost === null) {
      this.environment = loginHost ?? 'production';
    } else {
      this.environment = 'mydomain';
      this.myDomain = loginHost;
    }
  }

  /** What the bridge takes: 'production', 'sandbox' or the My Domain as typed (main normalizes it). */
  get value(): LoginHostChoice {
    return this.environment === 'mydomain' ? this.myDomain : this.environment;
  }
}

/**
 * The app profile a sign-in uses: one that exists, a new one typed in, or one to register with dynamic
 * client registration. A private key (JWT bearer) may be added to any of them.
 */
export class ProfileDraft {
  /** A profile id, 'new' or 'register'. */
  choice = $state<string>('new');
  name = $state('My Connected App');
  kind = $state<AppProfile['kind']>('external-client-app');
  consumerKey = $state('');
  consumerSecret = $state('');
  callbackUrl = $state(DEFAULT_CALLBACK_URL);
  scopes = $state(DEFAULT_SCOPES.join(' '));
  /** Client credentials at servers that need them: RFC 8707 `resource`, and `audience`; '' sends none. */
  resource = $state('');
  audience = $state('');
  initialAccessToken = $state('');
  grants = $state<RegistrableGrant[]>(['authorization_code', 'refresh_token']);
  /** A PEM private key read from a file or pasted, not yet saved. */
  privateKeyPem = $state('');
  privateKeyFile = $state<string | null>(null);

  constructor(initial: { choice?: string | null; callbackUrl?: string; scopes?: string[] } = {}) {
    this.choice = initial.choice ?? 'new';
    if (initial.callbackUrl) this.callbackUrl = initial.callbackUrl;
    if (initial.scopes) this.scopes = initial.scopes.join(' ');
  }

  selected(profiles: ProfilesState): AppProfile | undefined {
    return profiles.find(this.choice);
  }

  /** The callback URL the app in Salesforce must list for the chosen profile. */
  callbackFor(profiles: ProfilesState): string {
    if (this.choice === 'platform-cli') return PLATFORM_CLI.callbackUrl;
    return this.choice === 'new' || this.choice === 'register'
      ? this.callbackUrl
      : (this.selected(profiles)?.callbackUrl ?? '');
  }

  async readKeyFile(file: File): Promise<void> {
    this.privateKeyPem = await file.text();
    this.privateKeyFile = file.name;
  }

  /**
   * Makes the chosen profile exist: registers it, saves the new one, or adds the private key to the
   * selected one. Returns its id, or null when that failed (the notice says why). Secrets are cleared
   * from the form once saved.
   */
  async resolve(profiles: ProfilesState, loginHost: LoginHostChoice): Promise<string | null> {
    const scopes = this.scopes.split(/\s+/).filter(Boolean);
    const key = this.privateKeyPem.trim() ? { privateKeyPem: this.privateKeyPem } : {};
    let id: string | null = this.choice;
    if (this.choice === 'platform-cli') {
      // One profile for the CLI's app, made the first time it is chosen.
      const existing = profiles.profiles.find(
        (p) => p.consumerKey === PLATFORM_CLI.consumerKey && p.callbackUrl === PLATFORM_CLI.callbackUrl,
      );
      id = existing?.id ?? (await profiles.save({ ...PLATFORM_CLI, scopes: [...PLATFORM_CLI.scopes] }))?.id ?? null;
    } else if (this.choice === 'register') {
      const registered = await profiles.register({
        loginHost,
        initialAccessToken: this.initialAccessToken,
        name: this.name,
        callbackUrl: this.callbackUrl,
        scopes,
        grantTypes: this.grants,
      });
      id = registered?.id ?? null;
      if (id) this.initialAccessToken = '';
    } else if (this.choice === 'new') {
      const saved = await profiles.save({
        name: this.name,
        kind: this.kind,
        consumerKey: this.consumerKey,
        ...(this.consumerSecret !== '' ? { consumerSecret: this.consumerSecret } : {}),
        callbackUrl: this.callbackUrl,
        scopes,
        ...(this.resource.trim() ? { resource: this.resource.trim() } : {}),
        ...(this.audience.trim() ? { audience: this.audience.trim() } : {}),
        ...key,
      });
      id = saved?.id ?? null;
      if (id) this.consumerSecret = '';
    } else if (key.privateKeyPem) {
      const current = this.selected(profiles);
      if (!current) return null;
      const { hasSecret: _s, hasPrivateKey: _k, ...fields } = current;
      id = (await profiles.save({ ...fields, ...key }))?.id ?? null;
    }
    if (id === null) return null;
    this.choice = id;
    this.privateKeyPem = '';
    this.privateKeyFile = null;
    return id;
  }
}

/**
 * The Salesforce CLI's own app (`PlatformCLI`), which every org accepts unless an admin blocks it: a public
 * client (no secret, PKCE) whose callback is `http://localhost:1717/OauthRedirect`, with the CLI's scopes.
 * Signing in with it needs no app of one's own.
 */
export const PLATFORM_CLI = {
  name: "Salesforce CLI's app (PlatformCLI)",
  kind: 'connected-app',
  consumerKey: 'PlatformCLI',
  callbackUrl: 'http://localhost:1717/OauthRedirect',
  scopes: ['refresh_token', 'api', 'web'],
} as const satisfies Omit<AppProfileInput, 'scopes'> & { scopes: readonly string[] };

/** The inputs of the methods that have their own (`lib/sign-in-methods.ts` builds the request from them). */
export class MethodFields {
  username = $state('');
  password = $state('');
  securityToken = $state('');
  audience = $state('');
  subjectToken = $state('');
  subjectTokenType = $state<SubjectTokenType>('urn:ietf:params:oauth:token-type:jwt');
  pasteKind = $state<RevocableTokenKind>('access');
  pastedToken = $state('');
  authUrl = $state('');

  /** The password and security token for one request: the form keeps neither once they are sent. */
  takePassword(): { password: string; securityToken?: string } {
    const taken = {
      password: this.password,
      ...(this.securityToken.trim() ? { securityToken: this.securityToken.trim() } : {}),
    };
    this.password = '';
    this.securityToken = '';
    return taken;
  }

  /** Drops the tokens and the auth URL once an org came of them. */
  clearTokens(): void {
    this.subjectToken = '';
    this.pastedToken = '';
    this.authUrl = '';
  }
}
