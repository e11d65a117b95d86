/**
 * What a claim points at that the app may already know: an org (org ID), a user (user ID) or an OAuth
 * client, read from the claims that name them, normalised to the form the app stores (18-character IDs);
 * and how a value is best shown (a UTC offset, a URL).
 */
import type { ClaimFormat, ClaimRef } from '../../preload/contract';
import { isOrgId, isUserId, to18 } from './org-id';

/** `core/<instance>/<org ID>` (header `tnk`). */
const TENANT_KEY = /^[^/]+\/[^/]+\/(00D[A-Za-z0-9]{12}(?:[A-Za-z0-5]{3})?)$/;
/** An identity URL's path: `/id/<org ID>/<user ID>` (Salesforce's `sub` in ID tokens and userinfo). */
const IDENTITY_PATH = /\/id\/00D[A-Za-z0-9]{12}(?:[A-Za-z0-5]{3})?\/(005[A-Za-z0-9]{12}(?:[A-Za-z0-5]{3})?)$/;
const URL_VALUE = /^https?:\/\/[^\s]+$/;

const org = (id: string): ClaimRef | undefined => (isOrgId(id) ? { kind: 'org', value: to18(id) } : undefined);
const user = (id: string): ClaimRef | undefined => (isUserId(id) ? { kind: 'user', value: to18(id) } : undefined);

/** The org, user or client a top-level claim names, or undefined. */
export function refOf(name: string, value: unknown): ClaimRef | undefined {
  if (typeof value !== 'string' || value === '' || value.length > 2_000) return undefined;
  switch (name) {
    case 'tnk': {
      const id = TENANT_KEY.exec(value)?.[1];
      return id ? org(id) : undefined;
    }
    case 'organization_id':
      return org(value);
    case 'user_id':
      return user(value);
    case 'sub': {
      const id = value.startsWith('uid:') ? value.slice(4) : (IDENTITY_PATH.exec(value)?.[1] ?? value);
      return user(id);
    }
    case 'client_id':
    case 'azp':
      return { kind: 'client', value };
    default:
      return undefined;
  }
}

/** How a top-level claim's value is shown beyond its kind: Salesforce's `utcOffset`, or a URL. */
export function formatOf(name: string, value: unknown): ClaimFormat | undefined {
  if (name === 'utcOffset' && typeof value === 'number' && Number.isFinite(value)) return 'utc-offset-ms';
  if (typeof value === 'string' && value.length <= 2_000 && URL_VALUE.test(value)) return 'url';
  return undefined;
}
