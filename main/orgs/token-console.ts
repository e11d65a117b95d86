import type { Handlers } from '../../preload/contract';
import type { ApiConsoleRequest, CopyFormat } from '../../preload/contract-tools';
import { tokenStatusAt } from '../../preload/token-status';
import { AppError } from '../errors';
import {
  consoleUrl,
  copyAsText,
  DEFAULT_API_VERSION,
  explainStatus,
  newestVersion,
  sendGet,
  shapeAnswer,
  type RawAnswer,
} from '../salesforce/api-console';
import type { OrgRecord, TokenMeta } from '../vault/records';
import type { OrgContext, OrgServiceDeps } from './org-context';

const pad = (n: number): string => String(n).padStart(2, '0');

/** "18:44" in local time, with the date in front when it is not today. */
function clock(at: number, now: number): string {
  const d = new Date(at);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.toDateString() === new Date(now).toDateString() ? time : `${d.toISOString().slice(0, 10)} ${time}`;
}

/** "5 min ago", "2 h ago", "3 d ago"; "just now" within a minute. */
function ago(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  if (min < 48 * 60) return `${Math.floor(min / 60)} h ago`;
  return `${Math.floor(min / 1440)} d ago`;
}

/**
 * What the app knows against an access token (preload/token-status.ts, from its evidence), in words with the
 * time; null while it may still work.
 */
function againstToken(meta: TokenMeta | undefined, now: number): string | null {
  if (!meta) return null;
  const status = tokenStatusAt(meta, now);
  const e = meta.evidence;
  if (status === 'revoked') {
    if (e.revoked)
      return `The access token was revoked ${e.revoked.by === 'self' ? 'in this app' : 'with its refresh token'} at ${clock(e.revoked.at, now)}`;
    if (e.introspected) return `Introspection at ${clock(e.introspected.at, now)} called the access token inactive`;
    return 'The access token is revoked';
  }
  if (status !== 'expired') return null;
  if (meta.expiresAt !== null && meta.expiresAt <= now) return `The access token expired ${ago(now - meta.expiresAt)}`;
  if (e.introspected && !e.introspected.active)
    return `Introspection at ${clock(e.introspected.at, now)} called the access token inactive`;
  if (e.refused) return `An API refused the access token at ${clock(e.refused.at, now)}`;
  return 'The access token has expired';
}

/** The labels "Copy as" names its formats with, in its errors. */
const FORMAT_NAMES: Record<CopyFormat, string> = {
  'bearer-header': 'an Authorization header',
  curl: 'a curl command',
  httpie: 'an HTTPie command',
  'env-posix': 'environment variables',
  'env-powershell': 'PowerShell variables',
};

/**
 * "Copy as" and the API console. The token is assembled into its form and put on the clipboard here; the
 * window gets only a preview with the token's last characters. Console requests use the one token lifecycle
 * (`withAuthRetry`), as Test token does: a 401 is retried once with a renewed token, unless the app knows the
 * token was revoked, and the answer says when the token was renewed.
 */
export function createConsoleHandlers(
  ctx: OrgContext,
  deps: OrgServiceDeps,
): Pick<Handlers, 'copyTokenAs' | 'runApiRequest'> {
  const { vault, tokens, http, now } = ctx;
  /** The newest REST API version each org listed, learnt from the console's `GET /services/data/`. */
  const versions = new Map<string, string>();

  const accessMeta = (id: string): TokenMeta | undefined =>
    vault.requireOrg(id).tokens.find((t) => t.kind === 'access');
  const whatToDo = (id: string): string =>
    tokens.canRenew(id) ? 'Refresh gets a new access token.' : 'Re-authenticate the org to get a new one.';

  function requireInstance(record: OrgRecord, what: string): string {
    if (!record.instanceUrl)
      throw new AppError('sf/api_error', `This org has no instance URL for ${what}. Re-authenticate it.`);
    return record.instanceUrl;
  }

  /**
   * Sends a console request. A SOQL query needs the org's newest version: known, or asked for first with
   * `GET /services/data/` (whose 401 is the answer then).
   */
  async function send(id: string, instance: string, request: ApiConsoleRequest, token: string, signal: AbortSignal) {
    if (request.kind === 'soql' && !versions.has(id)) {
      const list = await sendGet(new URL('/services/data/', instance), token, http, signal);
      if (list.status === 401) return list;
      const newest = newestVersion(list);
      if (!newest)
        throw new AppError(
          'sf/api_error',
          `Salesforce did not list its API versions (HTTP ${list.status}). Check the instance URL, or give a path with a version.`,
        );
      versions.set(id, newest);
    }
    const url = consoleUrl(instance, request, versions.get(id) ?? DEFAULT_API_VERSION);
    return sendGet(url, token, http, signal);
  }

  return {
    copyTokenAs: async ({ id, format }) => {
      const { record } = vault.requireOrg(id);
      const instance = format === 'bearer-header' ? record.instanceUrl : requireInstance(record, FORMAT_NAMES[format]);
      const meta = accessMeta(id);
      const dead = meta ? againstToken(meta, now()) : null;
      if (meta && dead) {
        throw new AppError(
          tokenStatusAt(meta, now()) === 'revoked' ? 'token/revoked' : 'sf/session_expired',
          `${dead}, so it was not copied: it would not work. ${whatToDo(id)} Then copy it again.`,
        );
      }
      const token = await tokens.requireToken(id, 'access');
      const version = versions.get(id) ?? DEFAULT_API_VERSION;
      await deps.writeClipboard(copyAsText(format, token, instance, version));
      return { format, preview: copyAsText(format, `…${token.slice(-4)}`, instance, version) };
    },

    runApiRequest: ({ id, request, flowId }) =>
      ctx.operations.run(flowId, async (signal) => {
        const instance = requireInstance(vault.requireOrg(id).record, 'the API console');
        // A path is checked before anything is sent.
        if (request.kind === 'rest') consoleUrl(instance, request, DEFAULT_API_VERSION);
        const seen: { refused: RawAnswer | null } = { refused: null };
        // A 401 is thrown, so that `withAuthRetry` notes the refusal and retries; the answer stays for the screen.
        const attempt = async (token: string): Promise<RawAnswer> => {
          const answer = await send(id, instance, request, token, signal);
          if (answer.status !== 401) return answer;
          seen.refused = answer;
          throw new AppError('sf/session_expired', 'The API refused the access token (HTTP 401).', {
            answer: { code: null, httpStatus: 401 },
          });
        };
        let answer: RawAnswer;
        let note: string | null = null;
        try {
          const { value, refreshed } = await tokens.withAuthRetry(id, attempt);
          answer = value;
          if (refreshed)
            note =
              'The API refused the stored access token (HTTP 401), so the app renewed it and sent the request again.';
        } catch (e) {
          const last = seen.refused;
          if (signal.aborted || !last || !(e instanceof AppError)) throw e;
          // Nothing answered the retry: that is the error to show, not the refusal before it.
          if (e.code === 'oauth/network' || e.code === 'oauth/cancelled') throw e;
          // Refused, and not renewed: show the refusal with what the app knows of the token.
          const known = againstToken(accessMeta(id), now()) ?? 'Salesforce refused the access token';
          const renewal =
            e.code === 'sf/session_expired' || e.code === 'token/revoked' ? '' : ` Renewing it failed: ${e.message}`;
          return shapeAnswer(last, explainStatus(last, `${known} — ${whatToDo(id)}${renewal}`));
        }
        if (request.kind === 'rest' && /^\/services\/data\/?$/.test(new URL(answer.url).pathname)) {
          const newest = newestVersion(answer);
          if (newest) versions.set(id, newest);
        }
        const explanation = explainStatus(answer, '');
        return shapeAnswer(answer, [explanation, note].filter(Boolean).join(' ') || null);
      }),
  };
}
