/**
 * One org's credentials as the Salesforce CLI prints them: `sf org display --verbose --json` (plugin-org
 * `OrgDisplayReturn`, `schemas/org-display.json`) and, where newer CLIs redact the secrets there, the
 * `sf org auth show-access-token` and `sf org auth show-sfdx-auth-url` commands they point to
 * (plugin-org `src/commands/org/auth/show-*.ts`).
 */
import { z } from 'zod';
import { isSafeTransport } from '../net/transport';
import { instanceOrigin, optionalText as text, unexpectedShape } from './cli-output';

/** One org with its credentials, as `sf org display --verbose` describes it. */
export interface CliOrgDetail {
  username: string;
  alias: string | null;
  orgId: string | null;
  instanceUrl: string;
  clientId: string | null;
  accessToken: string;
  /** `force://<clientId>:<clientSecret>:<refreshToken>@<host>`; null for orgs authorized with an access token only. */
  sfdxAuthUrl: string | null;
  isScratch: boolean;
}

/** What `sf org display` told about an org: its credentials, unless the CLI redacted them. */
export interface OrgDisplay extends Omit<CliOrgDetail, 'accessToken'> {
  /** null when the CLI redacted it: `sf org auth show-access-token` tells it. */
  accessToken: string | null;
  /** null when there is none, or when the CLI redacted it (then {@link OrgDisplay.sfdxAuthUrlRedacted}). */
  sfdxAuthUrl: string | null;
  /** The CLI redacted the auth URL: `sf org auth show-sfdx-auth-url` tells it. */
  sfdxAuthUrlRedacted: boolean;
}

/** Newer CLIs print this instead of a secret unless it is asked for with `sf org auth show-…`. */
const REDACTED = /^\s*\[REDACTED\]/;

const orgDisplaySchema = z.object({
  username: z.string().min(1),
  id: text,
  accessToken: z.string().min(1),
  // The token goes to this URL later: https, or plain http on loopback only (local doubles).
  instanceUrl: z.string().refine((url) => URL.canParse(url) && isSafeTransport(url)),
  clientId: text,
  alias: text,
  sfdxAuthUrl: text,
  devHubId: text,
});

/**
 * The org in `sf org display --verbose --json`'s result: its access token, instance URL and, for orgs with
 * a refresh token, the `sfdxAuthUrl` (`force://<clientId>:<clientSecret>:<refreshToken>@<host>`). A secret
 * the CLI redacted is null here, for the caller to ask the `sf org auth show-…` command for it.
 *
 * @throws AppError `cli/bad_output` when the result is not an org description (no username, access token
 *   or safe instance URL).
 */
export function parseOrgDisplay(result: unknown): OrgDisplay {
  const parsed = orgDisplaySchema.safeParse(result);
  if (!parsed.success) {
    throw unexpectedShape('sf org display', 'no username, access token and instance URL');
  }
  const d = parsed.data;
  const authUrl = d.sfdxAuthUrl ?? null;
  return {
    username: d.username,
    alias: d.alias || null,
    orgId: d.id || null,
    instanceUrl: instanceOrigin(d.instanceUrl),
    clientId: d.clientId || null,
    accessToken: REDACTED.test(d.accessToken) ? null : d.accessToken,
    sfdxAuthUrl: authUrl !== null && /^force:\/\//i.test(authUrl) ? authUrl : null,
    sfdxAuthUrlRedacted: authUrl !== null && REDACTED.test(authUrl),
    isScratch: Boolean(d.devHubId),
  };
}

/** The token in `sf org auth show-access-token --json`'s result. */
export function parseShowAccessToken(result: unknown): string {
  const parsed = z.object({ accessToken: z.string().min(1) }).safeParse(result);
  if (!parsed.success || REDACTED.test(parsed.data.accessToken)) {
    throw unexpectedShape('sf org auth show-access-token', 'no access token');
  }
  return parsed.data.accessToken;
}

/** The URL in `sf org auth show-sfdx-auth-url --json`'s result. */
export function parseShowSfdxAuthUrl(result: unknown): string {
  const parsed = z.object({ sfdxAuthUrl: z.string().regex(/^force:\/\//i) }).safeParse(result);
  if (!parsed.success) throw unexpectedShape('sf org auth show-sfdx-auth-url', 'no force:// URL');
  return parsed.data.sfdxAuthUrl;
}
