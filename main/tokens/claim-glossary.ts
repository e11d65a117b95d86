/**
 * What JOSE header parameters and JWT claims mean, in plain words, with where they are defined: the IETF
 * RFCs, OpenID Connect, and Salesforce's own documentation of its JWT-based access tokens, ID tokens and
 * identity (identity URL, userinfo) responses. A claim two specs define is described as the one that
 * tokens carrying it follow, and notes how Salesforce writes it where that differs.
 */
export interface ClaimInfo {
  meaning: string;
  source: string;
  /** A time in seconds since 1970 (RFC 7519's NumericDate). */
  time?: boolean;
  /** A time as an ISO 8601 string, as Salesforce writes its own dates. */
  isoTime?: boolean;
  /** A list of scopes (space-separated string or array). */
  scopes?: boolean;
}

const JOSE = 'RFC 7515/7516';
const JWE = 'RFC 7516';
const JWA = 'RFC 7518';
const JWT = 'RFC 7519';
const OIDC = 'OpenID Connect Core';
const SF = 'Salesforce';

export const HEADER_GLOSSARY: Readonly<Record<string, ClaimInfo>> = {
  alg: {
    meaning: 'Algorithm used to sign (JWS) or to encrypt the key (JWE). Salesforce signs with RS256 only.',
    source: JOSE,
  },
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
  enc: { meaning: 'Content encryption algorithm of a JWE.', source: JWE },
  zip: { meaning: 'Compression applied before encryption.', source: JWE },
  epk: { meaning: 'Ephemeral public key for ECDH key agreement.', source: JWA },
  apu: { meaning: 'Agreement PartyUInfo for ECDH key derivation.', source: JWA },
  apv: { meaning: 'Agreement PartyVInfo for ECDH key derivation.', source: JWA },
  iv: { meaning: 'Initialization vector for AES-GCM key wrapping.', source: JWA },
  tag: { meaning: 'Authentication tag for AES-GCM key wrapping.', source: JWA },
  p2s: { meaning: 'Salt for PBES2 password-based key encryption.', source: JWA },
  p2c: { meaning: 'Iteration count for PBES2 password-based key encryption.', source: JWA },
  b64: { meaning: 'Whether the payload is base64url-encoded.', source: 'RFC 7797' },
  tty: { meaning: 'Token type: sfdc-core-token marks a Salesforce JWT-based access token.', source: SF },
  tnk: {
    meaning:
      'Tenant key: the Salesforce org that issued the token (core/<instance>/<org ID>), so its public key can be found.',
    source: SF,
  },
  ver: { meaning: 'Version of the JWT library that minted this Salesforce JWT-based access token.', source: SF },
};

/** OpenID Connect Core §5.1's standard claims, and what Salesforce's ID tokens and userinfo put in them. */
const OIDC_STANDARD: Readonly<Record<string, ClaimInfo>> = {
  name: { meaning: 'Full name of the user.', source: OIDC },
  given_name: { meaning: 'Given (first) name.', source: OIDC },
  family_name: { meaning: 'Family (last) name.', source: OIDC },
  middle_name: { meaning: 'Middle name.', source: OIDC },
  nickname: { meaning: 'Casual name of the user (Salesforce: the user’s nickname).', source: OIDC },
  preferred_username: { meaning: 'The name the user prefers to be shown (Salesforce: the username).', source: OIDC },
  profile: { meaning: 'URL of the user’s profile page.', source: OIDC },
  picture: { meaning: 'URL of the user’s picture.', source: OIDC },
  website: { meaning: 'URL of the user’s web page or blog.', source: OIDC },
  email: { meaning: 'Email address of the user.', source: OIDC },
  email_verified: { meaning: 'Whether the email address was verified.', source: OIDC },
  gender: { meaning: 'Gender of the user.', source: OIDC },
  birthdate: { meaning: 'Birthday (YYYY-MM-DD, or YYYY alone).', source: OIDC },
  zoneinfo: { meaning: 'Time zone of the user, from the tz database (e.g. Europe/Paris).', source: OIDC },
  locale: { meaning: 'Language and country of the user (BCP 47; Salesforce writes en_US).', source: OIDC },
  phone_number: { meaning: 'Phone number of the user.', source: OIDC },
  phone_number_verified: { meaning: 'Whether the phone number was verified.', source: OIDC },
  address: { meaning: 'Postal address of the user (a JSON object).', source: OIDC },
  updated_at: {
    meaning:
      'When the user’s information was last updated: seconds since 1970 in OIDC; Salesforce’s userinfo sends a date string.',
    source: OIDC,
    time: true,
  },
  _claim_names: { meaning: 'Aggregated or distributed claims: which claims come from which source.', source: OIDC },
  _claim_sources: { meaning: 'Where aggregated or distributed claims are found.', source: OIDC },
  sub_jwk: { meaning: 'Public key of a self-issued ID token.', source: OIDC },
};

/** What Salesforce's identity URL and userinfo responses carry beyond the standard claims. */
const SALESFORCE_IDENTITY: Readonly<Record<string, ClaimInfo>> = {
  id: { meaning: 'Identity URL of the user (…/id/<org ID>/<user ID>): GET it with the access token.', source: SF },
  asserted_user: { meaning: 'Whether the access token that asked was issued for this user.', source: SF },
  user_id: { meaning: 'The Salesforce user ID.', source: SF },
  organization_id: { meaning: 'The Salesforce org ID.', source: SF },
  username: { meaning: 'The Salesforce username (an email-like login name).', source: SF },
  nick_name: { meaning: 'The user’s community nickname.', source: SF },
  display_name: { meaning: 'The user’s full name, as shown.', source: SF },
  first_name: { meaning: 'The user’s first name.', source: SF },
  last_name: { meaning: 'The user’s last name.', source: SF },
  timezone: { meaning: 'The user’s time zone (e.g. America/Los_Angeles).', source: SF },
  photos: { meaning: 'URLs of the user’s profile picture and thumbnail.', source: SF },
  addr_street: { meaning: 'Street of the user’s address.', source: SF },
  addr_city: { meaning: 'City of the user’s address.', source: SF },
  addr_state: { meaning: 'State or province of the user’s address.', source: SF },
  addr_country: { meaning: 'Country of the user’s address.', source: SF },
  addr_zip: { meaning: 'Postal code of the user’s address.', source: SF },
  mobile_phone: { meaning: 'The user’s mobile phone number.', source: SF },
  mobile_phone_verified: { meaning: 'Whether the user confirmed the mobile phone number.', source: SF },
  is_lightning_login_user: { meaning: 'Whether the user logs in with Lightning Login (no password).', source: SF },
  status: { meaning: 'The user’s current Chatter status: its text and when it was posted.', source: SF },
  urls: {
    meaning: 'The org’s API endpoints for this user (REST, SOAP, Chatter, …); {version} stands for an API version.',
    source: SF,
  },
  active: { meaning: 'Whether the user is active.', source: SF },
  user_type: { meaning: 'The Salesforce user type: STANDARD for an internal user, GUEST, PowerPartner, …', source: SF },
  language: { meaning: 'The user’s language (e.g. en_US).', source: SF },
  utcOffset: { meaning: 'Offset of the user’s time zone from UTC, in milliseconds.', source: SF },
  last_modified_date: { meaning: 'When the user record was last changed.', source: SF, isoTime: true },
  is_app_installed: { meaning: 'Whether the connected app is installed in the user’s org.', source: SF },
  is_salesforce_integration_user: {
    meaning: 'Whether the user has the Salesforce Integration user license.',
    source: SF,
  },
  custom_attributes: {
    meaning:
      'Custom attributes: values the app’s admin defines for it (often from the user’s record), in an ID token when the app’s ID token setting "Include Custom Attributes" is on.',
    source: SF,
  },
  custom_permissions: {
    meaning:
      'Custom permissions of the app, each true when the user holds it (by profile or permission set), in an ID token when "Include Custom Permissions" is on.',
    source: SF,
  },
};

/** What Salesforce's asset tokens carry from the actor token that described the device. */
const SALESFORCE_ASSET: Readonly<Record<string, ClaimInfo>> = {
  did: {
    meaning: 'Device ID: the connected device the asset token identifies, as the actor token named it.',
    source: SF,
  },
  Name: { meaning: 'The name of the asset token, as the actor token gave it.', source: SF },
  Asset: {
    meaning:
      'The Asset record the device is registered as: its ID, and the name, serial number, account or contact the actor token gave.',
    source: SF,
  },
};

export const PAYLOAD_GLOSSARY: Readonly<Record<string, ClaimInfo>> = {
  iss: { meaning: 'Issuer: who created and signed the token (Salesforce: the login host or My Domain).', source: JWT },
  sub: {
    meaning:
      'Subject: the user (or client) the token is about. Salesforce writes uid:<user ID> in JWT-based access tokens and the identity URL in ID tokens.',
    source: JWT,
  },
  aud: {
    meaning:
      'Audience: who the token is meant for; others must reject it. Salesforce ID tokens name the consumer key and the app’s "ID Token Audiences"; asset tokens its "Asset Audiences".',
    source: JWT,
  },
  exp: { meaning: 'Expiration time: the token must not be accepted after it.', source: JWT, time: true },
  nbf: { meaning: 'Not before: the token must not be accepted before it.', source: JWT, time: true },
  iat: { meaning: 'Issued at: when the token was created.', source: JWT, time: true },
  jti: { meaning: 'JWT ID: a unique identifier, used to prevent replay.', source: JWT },
  scope: { meaning: 'Scopes granted to the token, space-separated.', source: 'RFC 8693', scopes: true },
  client_id: {
    meaning: 'The OAuth client the token was issued to (Salesforce: the app’s consumer key).',
    source: 'RFC 9068',
  },
  roles: { meaning: 'Roles of the subject, for the resource to authorize by.', source: 'RFC 9068' },
  groups: { meaning: 'Groups the subject belongs to.', source: 'RFC 9068' },
  entitlements: { meaning: 'Entitlements of the subject.', source: 'RFC 9068' },
  act: { meaning: 'Actor: who acts on behalf of the subject (delegation).', source: 'RFC 8693' },
  may_act: { meaning: 'Who may act on behalf of the subject.', source: 'RFC 8693' },
  cnf: {
    meaning:
      'Confirmation: the key the token is bound to (DPoP, mTLS; in a Salesforce asset token, the device’s public key from the actor token).',
    source: 'RFC 7800',
  },
  azp: { meaning: 'Authorized party: the client the ID token was issued to.', source: OIDC },
  nonce: { meaning: 'Value from the authorization request, to prevent ID token replay.', source: OIDC },
  auth_time: { meaning: 'When the user last authenticated.', source: OIDC, time: true },
  acr: { meaning: 'Authentication context class reference: how strongly the user logged in.', source: OIDC },
  amr: { meaning: 'Authentication methods used (password, mfa, ...).', source: OIDC },
  at_hash: { meaning: 'Hash of the access token issued with this ID token.', source: OIDC },
  c_hash: { meaning: 'Hash of the authorization code issued with this ID token.', source: OIDC },
  sid: { meaning: 'Session ID at the issuer, for logout.', source: 'OpenID Connect Front-Channel Logout' },
  ...OIDC_STANDARD,
  scp: { meaning: 'Scopes granted to this Salesforce JWT-based access token.', source: SF, scopes: true },
  mty: { meaning: 'Minting type: how Salesforce issued the token (e.g. oauth).', source: SF },
  sty: { meaning: 'Session type of the Salesforce session behind the token.', source: SF },
  uvid: {
    meaning:
      'Unique visitor ID: the guest user a headless guest flow minted the token for, carried into a named-user session when passed on.',
    source: SF,
  },
  ...SALESFORCE_IDENTITY,
  ...SALESFORCE_ASSET,
};
