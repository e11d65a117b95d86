import { z } from 'zod';
import type { ApiArgument, ApiMethod } from '../../preload/contract';

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
    callbackUrl: z.string().trim().min(1).max(2048),
    scopes: z.array(scope).max(64),
  }),
  deleteAppProfile: byId,
  registerAppProfile: z.strictObject({
    loginHost: z.string().trim().min(1).max(2048),
    initialAccessToken: z.string().trim().min(1).max(4096),
    name: z.string().trim().min(1).max(120),
    callbackUrl: z.string().trim().min(1).max(2048),
    scopes: z.array(scope).max(64),
  }),
  beginSignIn: z.strictObject({
    profileId: id,
    loginHost: z.string().trim().min(1).max(2048),
    orgRef: id.optional(),
    label: z.string().trim().min(1).max(120).optional(),
  }),
  awaitSignIn: flow,
  cancelSignIn: flow,
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
    label: z.string().trim().min(1).max(120).optional(),
  }),
  signInWithClientCredentials: z.strictObject({
    profileId: id,
    loginHost: z.string().trim().min(1).max(2048),
    label: z.string().trim().min(1).max(120).optional(),
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
