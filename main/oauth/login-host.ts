import type { OrgType } from '../../preload/contract';
import { AppError } from '../errors';
import { isLoopbackUrl } from './http';

export const PRODUCTION_LOGIN = 'https://login.salesforce.com';
export const SANDBOX_LOGIN = 'https://test.salesforce.com';

/**
 * Turns the user's choice into a login host origin: 'production', 'sandbox', or a My Domain they typed
 * (`acme.my.salesforce.com`, `https://acme--dev.sandbox.my.salesforce.com/`, with stray paths cut off).
 * Only https, except loopback servers (tests, local identity providers).
 */
export function normalizeLoginHost(choice: string): string {
  const raw = choice.trim();
  if (raw === 'production') return PRODUCTION_LOGIN;
  if (raw === 'sandbox') return SANDBOX_LOGIN;
  if (raw === '') throw invalid('Enter a My Domain URL, for example acme.my.salesforce.com.');
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw invalid(`"${raw.slice(0, 80)}" is not a web address. A My Domain looks like acme.my.salesforce.com.`);
  }
  if (url.username || url.password) throw invalid('A login host must not contain a user name or password.');
  if (url.protocol === 'http:' && !isLoopbackUrl(url)) {
    throw invalid('Salesforce login hosts use https. Use https:// (or leave the scheme out).');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('A login host must be an https:// address.');
  if (!url.hostname.includes('.') && !isLoopbackUrl(url))
    throw invalid(`"${url.hostname}" is not a full host name. A My Domain looks like acme.my.salesforce.com.`);
  // Paths, queries and fragments (e.g. a copied Setup URL) are dropped: only the origin matters.
  return url.origin;
}

/** A guess of the org type from its host, until the org itself tells us more. */
export function orgTypeFromHost(host: string): OrgType {
  const name = new URL(host).hostname;
  if (name.endsWith('.scratch.my.salesforce.com')) return 'scratch';
  if (
    name === 'test.salesforce.com' ||
    name.endsWith('.sandbox.my.salesforce.com') ||
    /--/.test(name.split('.')[0] ?? '')
  )
    return 'sandbox';
  if (name.endsWith('.develop.my.salesforce.com')) return 'developer';
  if (name === 'login.salesforce.com' || name.endsWith('.my.salesforce.com')) return 'production';
  return 'unknown';
}

function invalid(message: string): AppError {
  return new AppError('oauth/invalid_login_host', message);
}
