import { z } from 'zod';
import {
  APP_PROFILE_KINDS,
  DEFAULT_CALLBACK_URL,
  DEFAULT_SCOPES,
  EXPIRY_SOURCES,
  HEALTH_CHECK_MINUTES,
  ID_TOKEN_CHECKS,
  MAX_TOKEN_CHARS,
  NOTIFICATION_CAUSES,
  ORG_EVENT_KINDS,
  ORG_GRANTS,
  ORG_TYPES,
  OPEN_ORGS_IN,
  THEMES,
  TOKEN_FORMATS,
  TOKEN_KINDS,
  TOKEN_STATUSES,
} from '../../preload/contract';

/** How an ID token was validated when it arrived (OIDC Core §3.1.3.7; main/oauth/id-token-validation.ts). */
const idTokenValidationSchema = z.object({
  at: z.number(),
  during: z.enum(['sign-in', 'refresh']),
  checks: z
    .array(
      z.object({
        check: z.enum(ID_TOKEN_CHECKS),
        outcome: z.enum(['passed', 'failed', 'absent', 'not-checked']),
        detail: z.string().max(1000),
      }),
    )
    .max(ID_TOKEN_CHECKS.length),
});

/**
 * Token metadata as stored: never the token itself. A JWT access or ID token replaced at the last renewal
 * leaves `previous`: its header and payload only (`header.payload`), without the signature, so what is kept
 * is not a token anyone can use; the length of the signature it had is kept for the inspection.
 */
export const tokenMetaSchema = z.object({
  kind: z.enum(TOKEN_KINDS),
  format: z.enum(TOKEN_FORMATS),
  scopes: z.array(z.string()),
  issuedAt: z.number().nullable(),
  expiresAt: z.number().nullable(),
  status: z.enum(TOKEN_STATUSES),
  lastCheckedAt: z.number().nullable(),
  hint: z.string().max(8),
  // Files written before evidence was kept have none: they start with no evidence.
  evidence: z
    .object({
      expirySource: z.enum(EXPIRY_SOURCES).nullable(),
      introspected: z.object({ at: z.number(), active: z.boolean() }).nullable(),
      revoked: z.object({ at: z.number(), by: z.enum(['self', 'refresh_token']) }).nullable(),
      refused: z
        .object({
          at: z.number(),
          by: z.enum(['token_endpoint', 'api']),
          code: z.string().max(200).nullable(),
          httpStatus: z.number().int().nullable(),
        })
        .nullable(),
    })
    .default({ expirySource: null, introspected: null, revoked: null, refused: null }),
  // Both absent in files written before they were kept, and for tokens that have none.
  idTokenValidation: idTokenValidationSchema.optional(),
  previous: z
    .object({
      unsigned: z
        .string()
        .max(MAX_TOKEN_CHARS)
        .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/),
      signatureBytes: z.number().int().nonnegative(),
      replacedAt: z.number(),
      idTokenValidation: idTokenValidationSchema.optional(),
    })
    .optional(),
});
export type TokenMeta = z.infer<typeof tokenMetaSchema>;

/** One entry of an org's history, kept in the org's own file. */
export const orgEventSchema = z.object({
  at: z.number(),
  kind: z.enum(ORG_EVENT_KINDS),
  token: z.enum(TOKEN_KINDS).nullable(),
  detail: z.string().max(300),
});
export type OrgEvent = z.infer<typeof orgEventSchema>;

/** How many events an org keeps: the oldest go first, so saving one stays O(1). */
export const ORG_HISTORY_LIMIT = 200;

/** An org as kept in the metadata store. Tokens and secrets live in the org's own file. */
export const orgRecordSchema = z.object({
  id: z.string().min(1).max(200),
  label: z.string().min(1).max(200),
  orgId: z.string().nullable(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  displayName: z.string().nullable(),
  instanceUrl: z.string().nullable(),
  identityUrl: z.string().nullable(),
  myDomain: z.string().nullable(),
  loginHost: z.string().min(1),
  orgType: z.enum(ORG_TYPES),
  color: z.string().nullable(),
  group: z.string().nullable(),
  pinned: z.boolean(),
  profileId: z.string().nullable(),
  needsSignIn: z.boolean(),
  /** How the org's tokens were obtained, and so how new ones are had (see `ORG_GRANTS`). */
  grant: z.enum(ORG_GRANTS).default('authorization_code'),
  /** JWT bearer: the `aud` the user chose instead of the one derived from the login host. */
  audience: z.string().nullable().default(null),
  /** Renew the access token before its known expiry (main/orgs/health-monitor.ts); absent: off. */
  refreshAhead: z.boolean().optional(),
  addedAt: z.number(),
  updatedAt: z.number(),
});
export type OrgRecord = z.infer<typeof orgRecordSchema>;

export const appProfileRecordSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  kind: z.enum(APP_PROFILE_KINDS),
  consumerKey: z.string().min(1),
  hasSecret: z.boolean(),
  hasPrivateKey: z.boolean().default(false),
  callbackUrl: z.string().min(1),
  scopes: z.array(z.string()),
  // Client credentials only, sent when set; absent (profiles saved before these were kept) or null: neither.
  resource: z.string().max(2048).nullable().optional(),
  audience: z.string().max(512).nullable().optional(),
});
export type AppProfileRecord = z.infer<typeof appProfileRecordSchema>;

export const settingsSchema = z.object({
  theme: z.enum(THEMES),
  defaultCallbackUrl: z.string(),
  defaultScopes: z.array(z.string()),
  weakStorageOptIn: z.boolean(),
  healthCheckMinutes: z.literal(HEALTH_CHECK_MINUTES),
  notifications: z.boolean(),
  openOrgsIn: z.enum(OPEN_ORGS_IN),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  defaultCallbackUrl: DEFAULT_CALLBACK_URL,
  defaultScopes: [...DEFAULT_SCOPES],
  weakStorageOptIn: false,
  // Nothing runs in the background until the user asks (docs/SECURITY.md, "What runs in the background").
  healthCheckMinutes: 0,
  notifications: true,
  openOrgsIn: 'system',
};

/** One desktop notification as the history keeps it (main/orgs/notifications.ts). */
export const notificationEntrySchema = z.object({
  at: z.number(),
  orgId: z.string().min(1).max(200),
  orgLabel: z.string().max(200),
  cause: z.enum(NOTIFICATION_CAUSES),
  text: z.string().max(600),
});
export type NotificationRecord = z.infer<typeof notificationEntrySchema>;

/** How many notifications the history keeps, and how many causes are remembered as said. */
export const NOTIFICATION_HISTORY_LIMIT = 200;
export const SAID_CAUSES_LIMIT = 1000;

/**
 * The notification history, oldest first, and the causes already said (`said`: one key per org, cause and
 * token), which outlive a cleared history so that clearing it never repeats a notification.
 */
export interface NotificationLog {
  entries: NotificationRecord[];
  said: string[];
}
export const EMPTY_NOTIFICATION_LOG: NotificationLog = { entries: [], said: [] };

/**
 * Ids of orgs and app profiles: they name files (`orgs/<id>.json`), so only these characters. Ids such as
 * `__proto__` or `toString` are valid: records are kept in Maps and looked up with {@link ownValue}, never
 * through a plain object's prototype.
 */
export const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** The metadata store as the vault holds it: records by id in Maps, so no id can meet a prototype key. */
export interface StoreShape {
  orgs: Map<string, OrgRecord>;
  profiles: Map<string, AppProfileRecord>;
  settings: Settings;
  notifications: NotificationLog;
}

/** An object's own property, never one inherited from `Object.prototype` (`toString`, `constructor`, …). */
export function ownValue<T>(object: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}
