import type { OrgGrant, SignInMethodName } from '../../../preload/contract';

/** Every way into an org the wizard offers: the sign-in methods, and the imports. */
export type WizardMethod = SignInMethodName | 'salesforce-cli' | 'auth-url' | 'paste-token';

export interface MethodInfo {
  id: WizardMethod;
  label: string;
  /** One line under the label. */
  summary: string;
  group: 'person' | 'integration' | 'bring';
  /** Offered when re-authenticating an existing org. */
  reauth: boolean;
}

export const METHODS: MethodInfo[] = [
  {
    id: 'web-server',
    label: 'Browser',
    summary: 'Log in in your browser (web server flow with PKCE). Recommended.',
    group: 'person',
    reauth: true,
  },
  {
    id: 'device',
    label: 'Device code',
    summary: 'Enter a code at Salesforce, on this or any other device.',
    group: 'person',
    reauth: true,
  },
  {
    id: 'password',
    label: 'Username and password',
    summary: 'Legacy flow, blocked in new orgs. Avoid it.',
    group: 'person',
    reauth: true,
  },
  {
    id: 'client-credentials',
    label: 'Client credentials',
    summary: "The app's integration user, at the org's My Domain.",
    group: 'integration',
    reauth: true,
  },
  {
    id: 'jwt-bearer',
    label: 'JWT bearer',
    summary: "A certificate's private key signs in as a user.",
    group: 'integration',
    reauth: true,
  },
  {
    id: 'token-exchange',
    label: 'Token exchange',
    summary: 'Trade a token from your identity provider.',
    group: 'integration',
    reauth: true,
  },
  {
    id: 'salesforce-cli',
    label: 'Salesforce CLI',
    summary: 'Import the orgs sf is signed in to, with their aliases.',
    group: 'bring',
    reauth: false,
  },
  {
    id: 'auth-url',
    label: 'SFDX auth URL',
    summary: 'Paste a force://… URL from sf org display.',
    group: 'bring',
    reauth: false,
  },
  {
    id: 'paste-token',
    label: 'Paste a token',
    summary: 'An access or refresh token you got elsewhere.',
    group: 'bring',
    reauth: true,
  },
];

export const GROUP_LABEL: Record<MethodInfo['group'], string> = {
  person: 'A person signs in',
  integration: 'An integration signs in',
  bring: 'Bring tokens you have',
};

/** How an org was signed in, in words, with how it gets new tokens. */
export const GRANT_LABEL: Record<OrgGrant, { label: string; renews: string }> = {
  authorization_code: { label: 'Browser (web server flow)', renews: 'Refresh uses the refresh token.' },
  device: { label: 'Device code', renews: 'Refresh uses the refresh token.' },
  client_credentials: { label: 'Client credentials', renews: 'Refresh runs the client credentials grant again.' },
  jwt_bearer: { label: 'JWT bearer', renews: 'Refresh signs a new assertion with the private key.' },
  password: { label: 'Username and password', renews: 'No refresh token: re-authenticate with the password.' },
  token_exchange: { label: 'Token exchange', renews: 'Refresh uses the refresh token, if one was issued.' },
  pasted: { label: 'Pasted token', renews: 'Refresh uses a refresh token, if one was attached.' },
};
