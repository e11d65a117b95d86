import { createHash, timingSafeEqual } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { TokenKind, TokenMatch } from '../../preload/contract';
import { isSalesforceHost } from '../oauth/authorization-server';
import { isOrgId, to15, to18 } from '../tokens/org-id';
import type { OrgRecord } from '../vault/records';
import type { OrgEntry, Vault } from '../vault/vault';
import { TOKEN_NAMES } from './token-lifecycle';

/**
 * What a pasted token names, read without any network: the issuer, the org, the user, the client, and
 * which kind of token it looks like (which `token_type_hint` a server gets for it).
 */
export interface TokenReading {
  issuer: string | null;
  /** 18 characters. */
  orgId: string | null;
  /** A Salesforce user ID (18 characters), when the token names one. */
  userId: string | null;
  clientId: string | null;
  subject: string | null;
  kind: TokenKind;
}

const ID = '[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?';
/** The org at the end of Salesforce's `tnk` ("tenant key", e.g. `core/prod/00D…`). */
const TENANT = new RegExp(`(?:^|/)(00D${ID})$`);
/** Salesforce's identity URL (`…/id/00D…/005…`), the `sub` of its ID tokens and introspection answers. */
const IDENTITY_URL = new RegExp(`/id/(00D${ID})/(005${ID})/?$`);
/** The `sub` of Salesforce's JWT access tokens: `uid:005…`. */
const UID = new RegExp(`^uid:(005${ID})$`);
const OPAQUE_ORG = new RegExp(`^(00D${ID})!`);

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v.slice(0, 2048) : null);
const orgIdOf = (v: string | null | undefined): string | null =>
  v && isOrgId(v) ? to18(v.length === 18 ? v : to15(v)) : null;
const userIdOf = (v: string | null | undefined): string | null =>
  v && /^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/.test(v) ? to18(v.length === 18 ? v : to15(v)) : null;

/** A client ID in `aud`: one audience that is not a URL (Salesforce's JWT access tokens name the My Domain). */
function audienceClient(aud: unknown): string | null {
  const one: unknown = Array.isArray(aud) ? (aud.length === 1 ? (aud[0] as unknown) : null) : aud;
  const value = text(one);
  return value && !/^[a-z][a-z0-9+.-]*:/i.test(value) ? value : null;
}

function readJwt(token: string): TokenReading | null {
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
    payload = token.split('.').length === 3 ? decodeJwt(token) : {};
  } catch {
    return null;
  }
  const subject = text(payload['sub']);
  const identity = subject ? IDENTITY_URL.exec(subject) : null;
  const tenant = TENANT.exec(text(header['tnk']) ?? text(payload['tnk']) ?? '');
  const orgId = orgIdOf(tenant?.[1]) ?? orgIdOf(text(payload['organization_id'])) ?? orgIdOf(identity?.[1]) ?? null;
  const userId =
    userIdOf(UID.exec(subject ?? '')?.[1]) ?? userIdOf(identity?.[2]) ?? userIdOf(text(payload['user_id']));
  // An access token carries its scopes or client; an ID token its nonce, hashes or (at Salesforce) an identity URL.
  const access = ['scp', 'scope', 'client_id'].some((c) => c in payload);
  const id = !access && (['nonce', 'at_hash', 'c_hash', 'auth_time'].some((c) => c in payload) || identity !== null);
  return {
    issuer: text(payload['iss']),
    orgId,
    userId,
    clientId: text(payload['client_id']) ?? text(payload['azp']) ?? audienceClient(payload['aud']),
    subject,
    kind: id ? 'id' : 'access',
  };
}

/** What the token names. A refresh token (`5Aep…` at Salesforce) and other opaque tokens name nothing. */
export function readPastedToken(token: string): TokenReading {
  const none: TokenReading = { issuer: null, orgId: null, userId: null, clientId: null, subject: null, kind: 'access' };
  if (/^5Aep/.test(token)) return { ...none, kind: 'refresh' };
  const opaque = OPAQUE_ORG.exec(token);
  if (opaque) return { ...none, orgId: orgIdOf(opaque[1]) };
  if (token.startsWith('eyJ')) return readJwt(token) ?? none;
  return none;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Which of the org's stored tokens the pasted one is, compared by SHA-256 digest in constant time; only the
 * tokens whose stored last characters match are decrypted. The token is never returned or logged.
 */
async function storedKindOf(vault: Vault, entry: OrgEntry, token: string): Promise<TokenKind | null> {
  const wanted = digest(token);
  for (const meta of entry.tokens) {
    if (meta.hint !== token.slice(-meta.hint.length)) continue;
    const stored = await vault.readToken(entry.record.id, meta.kind).catch(() => null);
    if (stored !== null && timingSafeEqual(digest(stored), wanted)) return meta.kind;
  }
  return null;
}

/** The org holding the pasted token as one of its stored tokens: `first` is looked at before the others. */
export async function holderOf(
  vault: Vault,
  token: string,
  first: string | null,
): Promise<{ record: OrgRecord; kind: TokenKind } | null> {
  const entries = [...vault.listOrgs()].sort((a, b) => Number(b.record.id === first) - Number(a.record.id === first));
  for (const entry of entries) {
    const kind = await storedKindOf(vault, entry, token);
    if (kind) return { record: entry.record, kind };
  }
  return null;
}

/** True when `iss` names the server at `host` (for Salesforce hosts, its origin; for others, the issuer). */
function sameServer(iss: string, host: string | null): boolean {
  if (!host || !URL.canParse(iss) || !URL.canParse(host)) return false;
  const a = new URL(iss);
  const b = new URL(host);
  if (isSalesforceHost(a) || isSalesforceHost(b)) return a.origin === b.origin;
  return `${a.origin}${a.pathname.replace(/\/+$/, '')}` === `${b.origin}${b.pathname.replace(/\/+$/, '')}`;
}

/** The stored orgs and app profiles a pasted token belongs to, best first, with the reason in words. */
export async function matchToken(vault: Vault, token: string, reading: TokenReading): Promise<TokenMatch> {
  const same15 = (a: string | null, b: string | null) => a !== null && b !== null && to15(a) === to15(b);
  const scored: (TokenMatch['orgs'][number] & { score: number })[] = [];
  for (const entry of vault.listOrgs()) {
    const { record } = entry;
    const sameToken = await storedKindOf(vault, entry, token);
    const org = same15(reading.orgId, record.orgId);
    const user =
      same15(reading.userId, record.userId) || (reading.subject !== null && reading.subject === record.userId);
    const otherUser = (reading.userId !== null || reading.subject !== null) && !user;
    const server =
      reading.issuer !== null &&
      [record.loginHost, record.instanceUrl, record.myDomain].some((h) => sameServer(reading.issuer!, h));
    const profile = record.profileId ? vault.getProfile(record.profileId) : null;
    const client = reading.clientId !== null && profile?.consumerKey === reading.clientId;
    const belongs = sameToken !== null || org || (reading.orgId === null && server && !otherUser);
    if (!belongs) continue;
    const parts: string[] = [];
    if (sameToken) parts.push(`its stored ${TOKEN_NAMES[sameToken]}`);
    if (org) parts.push(user ? 'same org ID and user' : otherUser ? 'same org ID, another user' : 'same org ID');
    else if (server) parts.push(user ? 'same issuer and user' : 'same issuer');
    if (client) parts.push("issued to this org's app");
    scored.push({
      id: record.id,
      label: record.label,
      reason: parts.join('; ') || 'same org',
      sameToken,
      score:
        (sameToken ? 100 : 0) + (org ? 10 : 0) + (user ? 5 : otherUser ? -5 : 0) + (client ? 3 : 0) + (server ? 2 : 0),
    });
  }
  scored.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label));
  return {
    issuer: reading.issuer,
    orgId: reading.orgId,
    clientId: reading.clientId,
    subject: reading.subject,
    orgs: scored.map(({ score: _score, ...o }) => o),
    profiles:
      reading.clientId === null
        ? []
        : vault
            .listProfiles()
            .filter((p) => p.consumerKey === reading.clientId)
            .map((p) => ({ id: p.id, name: p.name })),
  };
}
