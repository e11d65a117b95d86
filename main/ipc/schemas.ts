import { z } from 'zod';
import {
  APP_PROFILE_KINDS,
  COPY_FORMATS,
  HEALTH_CHECK_MINUTES,
  MAX_TOKEN_CHARS,
  SECRET_ENCODINGS,
  REGISTRABLE_GRANTS,
  REVOCABLE_TOKEN_KINDS,
  SUBJECT_TOKEN_TYPES,
  OPEN_ORGS_IN,
  THEMES,
  TOKEN_KINDS,
  type ApiArgument,
  type ApiMethod,
} from '../../preload/contract';

/**
 * Run-time validation of every bridge argument: a renderer that sends something malformed gets a typed
 * `ipc/bad_argument` instead of reaching a handler (docs/SECURITY.md, "The window and the bridge").
 *
 * This type is what the router calls. It alone would accept a schema whose output is only part of the
 * argument type (zod output types are covariant), so `argumentSchemas` is built through
 * {@link exactSchemas}, which holds each schema to {@link ExactSchema}.
 */
export type ArgumentSchemas = { [M in ApiMethod]: z.ZodType<ApiArgument<M>> };

/**
 * True when `A` and `B` hold the same values, checked both ways. `Required` makes an optional key count
 * (at the top level, where the arguments have them): without it `{}` and `{ label?: string }` would pass for
 * each other.
 */
type SameType<A, B> = [A, Required<A>] extends [B, Required<B>]
  ? [B, Required<B>] extends [A, Required<A>]
    ? true
    : false
  : false;

/**
 * `S` when its output is exactly the argument type of method `M`: not a part of it (a union member or an
 * optional key left out), not more than it (an extra member or key). Otherwise a type naming the mismatch,
 * which no schema is assignable to.
 */
export type ExactSchema<M extends ApiMethod, S extends z.ZodType> =
  SameType<z.output<S>, ApiArgument<M>> extends true
    ? S
    : { schemaOf: M; output: z.output<S>; contract: ApiArgument<M> };

/** Returns `schemas` as they are; compiles only when there is one exact schema per method and no other key. */
function exactSchemas<S extends ArgumentSchemas>(
  schemas: S & { [M in ApiMethod]: ExactSchema<M, S[M]> } & Record<Exclude<keyof S, ApiMethod>, never>,
): ArgumentSchemas {
  return schemas;
}

const id = z.string().min(1).max(200);
const byId = z.strictObject({ id });
const tokenKind = z.enum(TOKEN_KINDS);
const revocableKind = z.enum(REVOCABLE_TOKEN_KINDS);
const flow = z.strictObject({ flowId: z.string().min(1).max(200) });
const loginHost = z.string().trim().min(1).max(2048);
const label = z.string().trim().min(1).max(120);
const optionalFlow = z.string().min(1).max(200).optional();
/** A token or secret pasted by the user: no whitespace inside (a paste may carry some around it). */
const pastedSecret = z
  .string()
  .trim()
  .min(1)
  .max(64 * 1024)
  .regex(/^\S+$/, 'a token has no spaces or line breaks inside');
/** A token pasted into the inspector, as typed (main trims it, and strips a `Bearer ` prefix and quotes). */
const pastedToken = z.string().min(1).max(MAX_TOKEN_CHARS);
const pastedTarget = z.union([z.strictObject({ org: id }), z.strictObject({ loginHost, profileId: id.nullable() })]);
const signInBase = { profileId: id, loginHost, orgRef: id.optional(), label: label.optional() };
const username = z.string().trim().min(1).max(255);
const scope = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'a scope is one word without spaces or quotes');

export const argumentSchemas: ArgumentSchemas = exactSchemas({
  getAppInfo: z.undefined(),
  inspectToken: z.strictObject({ token: z.string().max(MAX_TOKEN_CHARS + 1) }),
  listOrgs: z.undefined(),
  getOrg: byId,
  updateOrg: z.strictObject({
    id,
    label: z.string().trim().min(1).max(120).optional(),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'a color is #rrggbb')
      .nullable()
      .optional(),
    group: z.string().trim().max(80).nullable().optional(),
    pinned: z.boolean().optional(),
    refreshAhead: z.boolean().optional(),
  }),
  listAppProfiles: z.undefined(),
  saveAppProfile: z.strictObject({
    id: id.optional(),
    name: z.string().trim().min(1).max(120),
    kind: z.enum(APP_PROFILE_KINDS),
    consumerKey: z.string().trim().min(1).max(512),
    consumerSecret: z.string().max(4096).optional(),
    privateKeyPem: z
      .string()
      .max(32 * 1024)
      .optional(),
    callbackUrl: z.string().trim().min(1).max(2048),
    scopes: z.array(scope).max(64),
    // Client credentials at servers that need them: RFC 8707's `resource` is an absolute URI without a
    // fragment; `audience` (Auth0, Okta) a short name or URI.
    resource: z
      .string()
      .trim()
      .min(1)
      .max(2048)
      .refine((v) => URL.canParse(v) && !v.includes('#'), 'a resource is an absolute URI without a #fragment')
      .nullable()
      .optional(),
    audience: z.string().trim().min(1).max(512).regex(/^\S+$/, 'an audience has no spaces').nullable().optional(),
  }),
  deleteAppProfile: byId,
  registerAppProfile: z.strictObject({
    loginHost,
    initialAccessToken: z.string().trim().min(1).max(4096),
    name: label,
    callbackUrl: z.string().trim().min(1).max(2048),
    scopes: z.array(scope).max(64),
    grantTypes: z.array(z.enum(REGISTRABLE_GRANTS)).min(1).max(REGISTRABLE_GRANTS.length).optional(),
  }),
  // One member per member of the contract's `SignInMethod`, no more and no fewer: `exactSchemas` fails the
  // build when one is left out or added (test/ipc/contract-types.test.ts shows both).
  beginSignIn: z.discriminatedUnion('method', [
    z.strictObject({ ...signInBase, method: z.literal('authorization_code') }),
    z.strictObject({ ...signInBase, method: z.literal('device') }),
    z.strictObject({ ...signInBase, method: z.literal('client_credentials') }),
    z.strictObject({
      ...signInBase,
      method: z.literal('jwt_bearer'),
      username,
      audience: z
        .url({ protocol: /^https?$/ })
        .max(2048)
        .optional(),
    }),
    z.strictObject({
      ...signInBase,
      method: z.literal('password'),
      username,
      password: z.string().min(1).max(1024),
      securityToken: z.string().trim().max(256).optional(),
    }),
    z.strictObject({
      ...signInBase,
      method: z.literal('token_exchange'),
      subjectToken: pastedSecret,
      subjectTokenType: z.enum(SUBJECT_TOKEN_TYPES),
    }),
    z.strictObject({ ...signInBase, method: z.literal('user_agent') }),
  ]),
  awaitSignIn: flow,
  cancelSignIn: flow,
  openDeviceVerification: flow,
  submitSignInCode: z.strictObject({ flowId: flow.shape.flowId, pasted: z.string().min(1).max(16_384) }),
  refreshOrg: byId,
  revokeToken: z.strictObject({ id, kind: revocableKind }),
  signOut: byId,
  introspectToken: z.strictObject({ id, kind: revocableKind }),
  testToken: byId,
  openOrgInBrowser: z.strictObject({
    id,
    path: z
      .string()
      .trim()
      .max(2048)
      .regex(/^\/(?!\/)\S*$/, 'a path inside the org starts with one /, such as /lightning/setup/SetupOneHome/home')
      .optional(),
    copyLink: z.boolean().optional(),
    browser: z.enum(OPEN_ORGS_IN).optional(),
  }),
  inspectOrgToken: z.strictObject({ id, kind: tokenKind, previous: z.boolean().optional() }),
  verifyOrgToken: z.strictObject({ id, kind: tokenKind }),
  getUserInfo: byId,
  verifyPastedToken: z.strictObject({
    token: pastedToken,
    key: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('issuer'), url: z.string().min(1).max(2048) }),
      z.strictObject({
        kind: z.literal('key'),
        text: z
          .string()
          .trim()
          .min(1)
          .max(256 * 1024),
      }),
      z.strictObject({
        kind: z.literal('secret'),
        secret: z.string().min(1).max(4096),
        encoding: z.enum(SECRET_ENCODINGS),
      }),
    ]),
    flowId: optionalFlow,
  }),
  matchPastedToken: z.strictObject({ token: pastedToken }),
  introspectPastedToken: z.strictObject({ token: pastedToken, target: pastedTarget, flowId: optionalFlow }),
  revokePastedToken: z.strictObject({ token: pastedToken, target: pastedTarget, flowId: optionalFlow }),
  copyTokenAs: z.strictObject({ id, format: z.enum(COPY_FORMATS) }),
  runApiRequest: z.strictObject({
    id,
    request: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('rest'), path: z.string().trim().min(1).max(4096) }),
      z.strictObject({
        kind: z.literal('soql'),
        query: z
          .string()
          .trim()
          .min(1)
          .max(100 * 1000),
      }),
    ]),
    flowId: optionalFlow,
  }),
  copyText: z.strictObject({ text: z.string().max(MAX_TOKEN_CHARS) }),
  copyToken: z.strictObject({ id, kind: tokenKind }),
  revealToken: z.strictObject({ id, kind: tokenKind }),
  setWeakStorageOptIn: z.strictObject({ enabled: z.boolean() }),
  importSfdxAuthUrl: z.strictObject({
    url: z.string().trim().min(1).max(4096),
    label: label.optional(),
    flowId: optionalFlow,
  }),
  listCliOrgs: z.strictObject({ flowId: optionalFlow }),
  importCliOrgs: z.strictObject({ usernames: z.array(username).min(1).max(500), flowId: optionalFlow }),
  attachToken: z.strictObject({
    profileId: id,
    loginHost,
    kind: revocableKind,
    token: pastedSecret,
    orgRef: id.optional(),
    label: label.optional(),
    flowId: optionalFlow,
  }),
  getOrgHistory: byId,
  exportOrgHistory: z.strictObject({ id, format: z.enum(['json', 'csv']) }),
  getSettings: z.undefined(),
  saveSettings: z.strictObject({
    theme: z.enum(THEMES).optional(),
    defaultCallbackUrl: z.string().trim().min(1).max(2048).optional(),
    defaultScopes: z.array(scope).max(64).optional(),
    healthCheckMinutes: z.literal(HEALTH_CHECK_MINUTES).optional(),
    notifications: z.boolean().optional(),
    openOrgsIn: z.enum(OPEN_ORGS_IN).optional(),
  }),
  exportOrgs: z.undefined(),
  importOrgs: z.undefined(),
  checkOrg: z.strictObject({ id, flowId: optionalFlow }),
  // Asset tokens: the device's fields as the actor token's claims take them (empty: left out).
  requestAssetToken: z.strictObject({
    id,
    device: z.strictObject({
      deviceId: z.string().trim().min(1).max(255),
      tokenName: z.string().trim().min(1).max(255),
      assetName: z.string().trim().max(255),
      serialNumber: z.string().trim().max(255),
      accountId: z.string().trim().max(18),
      contactId: z.string().trim().max(18),
      sign: z.boolean(),
    }),
    flowId: optionalFlow,
  }),
  copyAssetToken: byId,
  listNotifications: z.undefined(),
  clearNotifications: z.undefined(),
  // Org-wide OAuth tokens (admins): main/orgs/org-tokens.ts.
  listOrgTokens: z.strictObject({ id, more: z.boolean().optional(), flowId: optionalFlow }),
  revokeOrgTokens: z.strictObject({
    id,
    tokenIds: z
      .array(z.string().regex(/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/))
      .min(1)
      .max(200),
    flowId: optionalFlow,
  }),
  exportOrgTokens: z.strictObject({
    id,
    tokenIds: z
      .array(z.string().regex(/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/))
      .min(1)
      .max(100_000),
  }),
  // Browsers (main/browsers/).
  listBrowsers: z.undefined(),
});
