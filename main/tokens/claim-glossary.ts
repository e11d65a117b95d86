/** What JOSE header parameters and JWT claims mean, in plain words, with where they are defined. */
export interface ClaimInfo {
  meaning: string;
  source: string;
  /** Seconds since the epoch. */
  time?: boolean;
  /** A list of scopes (space-separated string or array). */
  scopes?: boolean;
}

const JOSE = 'RFC 7515/7516';
const JWT = 'RFC 7519';
const OIDC = 'OpenID Connect Core';
const SF = 'Salesforce';

export const HEADER_GLOSSARY: Readonly<Record<string, ClaimInfo>> = {
  alg: { meaning: 'Algorithm used to sign (JWS) or to encrypt the key (JWE).', source: JOSE },
  typ: { meaning: 'Media type of the token, usually JWT.', source: JOSE },
  cty: { meaning: 'Content type of the payload (JWT for a nested token).', source: JOSE },
  kid: { meaning: 'Key ID: which key of the issuer’s JWKS signed or encrypted this token.', source: JOSE },
  jku: { meaning: 'URL of the JWK Set that holds the key. Never trust it blindly.', source: JOSE },
  jwk: { meaning: 'The public key itself, embedded in the header.', source: JOSE },
  x5u: { meaning: 'URL of the X.509 certificate chain.', source: JOSE },
  x5c: { meaning: 'X.509 certificate chain of the signing key.', source: JOSE },
  x5t: { meaning: 'SHA-1 thumbprint of the signing certificate.', source: JOSE },
  'x5t#S256': { meaning: 'SHA-256 thumbprint of the signing certificate.', source: JOSE },
  crit: { meaning: 'Header parameters the receiver must understand.', source: JOSE },
  enc: { meaning: 'Content encryption algorithm of a JWE.', source: 'RFC 7516' },
  zip: { meaning: 'Compression applied before encryption.', source: 'RFC 7516' },
  epk: { meaning: 'Ephemeral public key for ECDH key agreement.', source: 'RFC 7518' },
  apu: { meaning: 'Agreement PartyUInfo for ECDH key derivation.', source: 'RFC 7518' },
  apv: { meaning: 'Agreement PartyVInfo for ECDH key derivation.', source: 'RFC 7518' },
  iv: { meaning: 'Initialization vector for AES-GCM key wrapping.', source: 'RFC 7518' },
  tag: { meaning: 'Authentication tag for AES-GCM key wrapping.', source: 'RFC 7518' },
  b64: { meaning: 'Whether the payload is base64url-encoded.', source: 'RFC 7797' },
  tty: { meaning: 'Token type: sfdc-core-token marks a Salesforce JWT-based access token.', source: SF },
  tnk: { meaning: 'Tenant key: the Salesforce instance and org the token belongs to.', source: SF },
  ver: { meaning: 'Version of the Salesforce JWT access token format.', source: SF },
};

export const PAYLOAD_GLOSSARY: Readonly<Record<string, ClaimInfo>> = {
  iss: { meaning: 'Issuer: who created and signed the token.', source: JWT },
  sub: { meaning: 'Subject: the user (or client) the token is about.', source: JWT },
  aud: { meaning: 'Audience: who the token is meant for; others must reject it.', source: JWT },
  exp: { meaning: 'Expiration time: the token must not be accepted after it.', source: JWT, time: true },
  nbf: { meaning: 'Not before: the token must not be accepted before it.', source: JWT, time: true },
  iat: { meaning: 'Issued at: when the token was created.', source: JWT, time: true },
  jti: { meaning: 'JWT ID: a unique identifier, used to prevent replay.', source: JWT },
  scope: { meaning: 'Scopes granted to the token.', source: 'RFC 8693/9068', scopes: true },
  scp: { meaning: 'Scopes granted to this Salesforce access token.', source: SF, scopes: true },
  client_id: { meaning: 'The OAuth client (consumer key) the token was issued to.', source: 'RFC 9068' },
  act: { meaning: 'Actor: who acts on behalf of the subject (delegation).', source: 'RFC 8693' },
  may_act: { meaning: 'Who may act on behalf of the subject.', source: 'RFC 8693' },
  cnf: { meaning: 'Confirmation: the key the token is bound to (DPoP, mTLS).', source: 'RFC 7800' },
  azp: { meaning: 'Authorized party: the client the ID token was issued to.', source: OIDC },
  nonce: { meaning: 'Value from the authorization request, to prevent ID token replay.', source: OIDC },
  auth_time: { meaning: 'When the user last authenticated.', source: OIDC, time: true },
  acr: { meaning: 'Authentication context class reference: how strongly the user logged in.', source: OIDC },
  amr: { meaning: 'Authentication methods used (password, mfa, ...).', source: OIDC },
  at_hash: { meaning: 'Hash of the access token issued with this ID token.', source: OIDC },
  c_hash: { meaning: 'Hash of the authorization code issued with this ID token.', source: OIDC },
  sid: { meaning: 'Session ID at the issuer, for logout.', source: 'OpenID Connect Session' },
  name: { meaning: 'Full name of the user.', source: OIDC },
  given_name: { meaning: 'Given (first) name.', source: OIDC },
  family_name: { meaning: 'Family (last) name.', source: OIDC },
  nickname: { meaning: 'Casual name.', source: OIDC },
  preferred_username: { meaning: 'The name the user prefers to be shown.', source: OIDC },
  email: { meaning: 'Email address of the user.', source: OIDC },
  email_verified: { meaning: 'Whether the email address was verified.', source: OIDC },
  phone_number: { meaning: 'Phone number of the user.', source: OIDC },
  phone_number_verified: { meaning: 'Whether the phone number was verified.', source: OIDC },
  picture: { meaning: 'URL of the user’s picture.', source: OIDC },
  profile: { meaning: 'URL of the user’s profile page.', source: OIDC },
  locale: { meaning: 'Language and country of the user.', source: OIDC },
  zoneinfo: { meaning: 'Time zone of the user.', source: OIDC },
  updated_at: { meaning: 'When the user’s information was last updated.', source: OIDC, time: true },
  address: { meaning: 'Postal address of the user.', source: OIDC },
  mty: { meaning: 'Minting type: how Salesforce issued the token (e.g. oauth).', source: SF },
  sty: { meaning: 'Session type of the Salesforce session behind the token.', source: SF },
  organization_id: { meaning: 'The Salesforce org ID.', source: SF },
  user_id: { meaning: 'The Salesforce user ID.', source: SF },
  user_type: { meaning: 'The Salesforce user type (STANDARD, GUEST, ...).', source: SF },
  custom_attributes: { meaning: 'Custom attributes the connected app adds.', source: SF },
  custom_permissions: { meaning: 'Custom permissions of the connected app the user holds.', source: SF },
};
