/**
 * Signing in, registering a client, and bringing in orgs from elsewhere (the Salesforce CLI, a pasted token):
 * part of the contract, see `preload/contract.ts`.
 */
import type { OrgSummary, RevocableTokenKind } from './contract-orgs';

/** 'production' (login.salesforce.com), 'sandbox' (test.salesforce.com), or a My Domain or issuer URL. */
export type LoginHostChoice = string;

/** RFC 8693 §3 token type identifiers a subject token may have. */
export const SUBJECT_TOKEN_TYPES = [
  'urn:ietf:params:oauth:token-type:access_token',
  'urn:ietf:params:oauth:token-type:id_token',
  'urn:ietf:params:oauth:token-type:jwt',
  'urn:ietf:params:oauth:token-type:refresh_token',
  'urn:ietf:params:oauth:token-type:saml2',
] as const;
export type SubjectTokenType = (typeof SUBJECT_TOKEN_TYPES)[number];

/** The ways into an org that an app profile and a login host start, with what each needs. */
export type SignInMethod =
  /** Web server flow with PKCE through the system browser and a loopback callback. */
  | { method: 'authorization_code' }
  /** Device flow: a code to enter at the verification URL, on this or any other device. */
  | { method: 'device' }
  /** Client credentials: the app's integration user, at a My Domain. */
  | { method: 'client_credentials' }
  /** JWT bearer: an assertion signed with the app profile's private key for `username`. */
  | {
      method: 'jwt_bearer';
      username: string;
      /** Overrides the `aud` the app picks from the login host. */ audience?: string | undefined;
    }
  /** Username-password (legacy): never stored. */
  | { method: 'password'; username: string; password: string; securityToken?: string | undefined }
  /** Token exchange (RFC 8693): a token from another identity provider for a Salesforce token. */
  | { method: 'token_exchange'; subjectToken: string; subjectTokenType: SubjectTokenType }
  /** User-agent flow (implicit grant, `response_type=token`): for apps that allow nothing else (RFC 9700 §2.1.2). */
  | { method: 'user_agent' };

export type SignInMethodName = SignInMethod['method'];

export type SignInRequest = {
  profileId: string;
  /** 'production', 'sandbox', or a My Domain URL. */
  loginHost: LoginHostChoice;
  /** Our org id to re-authenticate in place (label, color and group are kept). */
  orgRef?: string | undefined;
  label?: string | undefined;
} & SignInMethod;

/** Grant types a registered client may use (RFC 7591 §2 `grant_types`). */
export const REGISTRABLE_GRANTS = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
] as const;
export type RegistrableGrant = (typeof REGISTRABLE_GRANTS)[number];

export interface RegistrationRequest {
  /** 'production', 'sandbox', or a My Domain URL. */
  loginHost: LoginHostChoice;
  initialAccessToken: string;
  name: string;
  callbackUrl: string;
  scopes: string[];
  /** Default: authorization_code and refresh_token. */
  grantTypes?: RegistrableGrant[] | undefined;
}

/** A running sign-in, as the window shows it while it waits. */
export type SignInStart =
  | {
      flowId: string;
      method: 'authorization_code' | 'user_agent';
      authorizeUrl: string;
      redirectUri: string;
      /** Epoch milliseconds when the listener gives up. */
      expiresAt: number;
      /**
       * True when the callback URL is not on this computer: the user pastes the address the browser lands on
       * (or its code) with `submitSignInCode`, and the sign-in waits for it until `expiresAt`.
       */
      byHand?: boolean | undefined;
    }
  | {
      flowId: string;
      method: 'device';
      /** The code the user types at the verification URL. */
      userCode: string;
      verificationUri: string;
      /** The verification URL with the code in it, when the server sends one (RFC 8628 §3.3.1). */
      verificationUriComplete: string | null;
      /** Seconds between polls, as the server asked (RFC 8628 §3.5). */
      interval: number;
      /** Epoch milliseconds when the code expires. */
      expiresAt: number;
    }
  | {
      flowId: string;
      method: Exclude<SignInMethodName, 'authorization_code' | 'device' | 'user_agent'>;
      /** Epoch milliseconds when the request gives up. */
      expiresAt: number;
    };

/** An org the Salesforce CLI knows (`sf org list`), without any token. */
export interface CliOrg {
  username: string;
  alias: string | null;
  orgId: string | null;
  instanceUrl: string | null;
  kind: 'production' | 'sandbox' | 'scratch' | 'devhub' | 'other';
  connectedStatus: string | null;
  isExpired: boolean;
  expirationDate: string | null;
  isDefault: boolean;
  /** Our org id when this org and user are already in the app. */
  knownAs: string | null;
}

export interface CliOrgList {
  /** Where `sf` was found. */
  sfPath: string;
  orgs: CliOrg[];
}

export interface CliImportReport {
  imported: OrgSummary[];
  failed: { username: string; message: string }[];
}

/** A token someone got elsewhere, to use in this app: a new org, or attached to an existing one. */
export interface AttachTokenRequest {
  profileId: string;
  loginHost: LoginHostChoice;
  kind: RevocableTokenKind;
  token: string;
  /** Attach to this org (the token must belong to the same org and user). */
  orgRef?: string | undefined;
  label?: string | undefined;
  flowId?: string | undefined;
}
