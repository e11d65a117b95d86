import { z } from 'zod';
import { REGISTRABLE_GRANTS, SUBJECT_TOKEN_TYPES, type ApiArgument, type ApiMethod } from '../../preload/contract';

/**
 * Run-time validation of every bridge argument (SECURITY.md item 15). The mapped type makes the
 * compiler fail when a schema and the contract disagree, or when a method has no schema.
 */
export type ArgumentSchemas = { [M in ApiMethod]: z.ZodType<ApiArgument<M>> };

/** The largest token `inspectToken` accepts; the decoder gives its own typed error above this. */
export const MAX_TOKEN_CHARS = 1_000_000;

const id = z.string().min(1).max(200);
const byId = z.strictObject({ id });
const tokenKind = z.enum(['access', 'refresh', 'id']);
const revocableKind = z.enum(['access', 'refresh']);
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
const signInBase = { profileId: id, loginHost, orgRef: id.optional(), label: label.optional() };
const username = z.string().trim().min(1).max(255);
const scope = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'a scope is one word without spaces or quotes');

export const argumentSchemas: ArgumentSchemas = {
  getAppInfo: z.undefined(),
  inspectToken: z.strictObject({ token: z.string().max(MAX_TOKEN_CHARS + 1) }),
  listOrgs: z.undefined(),
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
  }),
  listAppProfiles: z.undefined(),
  saveAppProfile: z.strictObject({
    id: id.optional(),
    name: z.string().trim().min(1).max(120),
    kind: z.enum(['connected-app', 'external-client-app', 'oidc']),
    consumerKey: z.string().trim().min(1).max(512),
    consumerSecret: z.string().max(4096).optional(),
    privateKeyPem: z
      .string()
      .max(32 * 1024)
      .optional(),
    callbackUrl: z.string().trim().min(1).max(2048),
    scopes: z.array(scope).max(64),
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
  beginSignIn: z.discriminatedUnion('method', [
    z.strictObject({ ...signInBase, method: z.literal('web-server') }),
    z.strictObject({ ...signInBase, method: z.literal('device') }),
    z.strictObject({ ...signInBase, method: z.literal('client-credentials') }),
    z.strictObject({
      ...signInBase,
      method: z.literal('jwt-bearer'),
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
      method: z.literal('token-exchange'),
      subjectToken: pastedSecret,
      subjectTokenType: z.enum(SUBJECT_TOKEN_TYPES),
    }),
  ]),
  awaitSignIn: flow,
  cancelSignIn: flow,
  openDeviceVerification: flow,
  refreshOrg: byId,
  revokeToken: z.strictObject({ id, kind: revocableKind }),
  signOut: byId,
  introspectToken: z.strictObject({ id, kind: revocableKind }),
  testToken: byId,
  openOrgInBrowser: byId,
  inspectOrgToken: z.strictObject({ id, kind: tokenKind }),
  verifyOrgToken: z.strictObject({ id, kind: tokenKind }),
  getUserInfo: byId,
  copyText: z.strictObject({ text: z.string().max(4096) }),
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
  getSettings: z.undefined(),
  saveSettings: z.strictObject({
    theme: z.enum(['system', 'light', 'dark']).optional(),
    defaultCallbackUrl: z.string().trim().min(1).max(2048).optional(),
    defaultScopes: z.array(scope).max(64).optional(),
  }),
  exportOrgs: z.undefined(),
  importOrgs: z.undefined(),
};
