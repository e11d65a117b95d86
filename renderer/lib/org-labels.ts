import type { OrgGrant, OrgStatus, OrgType } from '../../preload/contract';

export const ORG_TYPE_LABEL: Record<OrgType, string> = {
  production: 'Production',
  sandbox: 'Sandbox',
  developer: 'Developer',
  scratch: 'Scratch',
  unknown: 'Org',
};

export const ORG_STATUS_LABEL: Record<OrgStatus, string> = {
  connected: 'Connected',
  expiring: 'Expiring soon',
  expired: 'Expired',
  'access-revoked': 'Access revoked',
  'needs-sign-in': 'Needs sign-in',
  revoked: 'Revoked',
};

/** How an org was signed in, in words, with how it gets new tokens (its strategy in main/orgs/grants/). */
export const GRANT_LABEL: Record<OrgGrant, { label: string; renews: string }> = {
  authorization_code: {
    label: 'Browser (web server flow)',
    renews: 'Refresh uses the refresh token.',
  },
  device: { label: 'Device code', renews: 'Refresh uses the refresh token.' },
  client_credentials: {
    label: 'Client credentials',
    renews: 'Refresh runs the client credentials grant again.',
  },
  jwt_bearer: {
    label: 'JWT bearer',
    renews: 'Refresh signs a new assertion with the private key.',
  },
  password: {
    label: 'Username and password',
    renews: 'No refresh token: re-authenticate with the password.',
  },
  token_exchange: {
    label: 'Token exchange',
    renews: 'Refresh uses the refresh token, if one was issued.',
  },
  pasted: { label: 'Pasted token', renews: 'Refresh uses a refresh token, if one was attached.' },
  user_agent: {
    label: 'Browser (user-agent flow)',
    renews: 'Refresh uses the refresh token, if the app granted one.',
  },
};

/** What a Salesforce OAuth scope allows, for chip tooltips. */
export const SCOPE_MEANING: Record<string, string> = {
  api: 'Call Salesforce REST and SOAP APIs as the user.',
  refresh_token: 'Get a refresh token, so the app can stay signed in (same as offline_access).',
  offline_access: 'Get a refresh token, so the app can stay signed in.',
  web: 'Use the access token in a browser session (frontdoor).',
  full: 'Everything the user can do, except a refresh token needs refresh_token too.',
  openid: 'Sign in with OpenID Connect; an ID token is returned.',
  id: 'Read the identity URL (user and org details).',
  profile: "Read the user's basic profile.",
  email: "Read the user's email address.",
  address: "Read the user's address.",
  phone: "Read the user's phone number.",
  chatter_api: 'Call the Chatter (Connect) REST API.',
  visualforce: 'Open Visualforce pages.',
  content: 'Read content (files) through the API.',
  lightning: 'Open Lightning pages.',
  sfap_api: 'Call the Salesforce API Platform (Einstein/Agentforce) APIs.',
  wave_api: 'Call the CRM Analytics REST API.',
  custom_permissions: 'See the custom permissions of the connected app.',
  pardot_api: 'Call the Account Engagement (Pardot) API.',
};
