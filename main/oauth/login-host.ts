import type { OrgType } from '../../preload/contract';
import { AppError } from '../errors';
import { isSalesforceHost } from './authorization-server';
import { isLoopbackUrl } from '../net/transport';

export const PRODUCTION_LOGIN = 'https://login.salesforce.com';
export const SANDBOX_LOGIN = 'https://test.salesforce.com';

/**
 * Turns the user's choice into a login host ("My Domain URL Formats" and "Log In with a My
 * Domain", Salesforce Help): 'production' → login.salesforce.com, 'sandbox' → test.salesforce.com, or a
 * My Domain typed or pasted in any shape (`acme.my.salesforce.com`, `https://acme--dev.sandbox.my.salesforce.com/`,
 * a copied Lightning or Setup address). For Salesforce hosts paths, queries, fragments and whitespace are
 * dropped and a Lightning or Setup host (`*.lightning.force.com`) becomes its My Domain. Any other server is
 * an issuer whose path is kept (`https://idp.example/realms/acme`), without a trailing slash, query or
 * fragment. Only https, except loopback http (tests, local servers); never credentials. Anything else is
 * `oauth/invalid_login_host` with a message showing the right form.
 */
export function normalizeLoginHost(choice: string): string {
  const raw = choice.trim();
  if (/^production$/i.test(raw)) return PRODUCTION_LOGIN;
  if (/^sandbox$/i.test(raw)) return SANDBOX_LOGIN;
  if (raw === '') throw invalid('Enter a My Domain URL, for example acme.my.salesforce.com.');
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw invalid(`"${raw.slice(0, 80)}" is not a web address. A My Domain looks like acme.my.salesforce.com.`);
  }
  if (url.username || url.password) {
    throw invalid(
      'A login host must not contain a user name or password. Enter only the address, e.g. acme.my.salesforce.com.',
    );
  }
  if (url.protocol === 'http:' && !isLoopbackUrl(url)) {
    throw invalid(
      'Login hosts use https (Salesforce and other servers alike). Use https:// (or leave the scheme out).',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('A login host must be an https:// address.');
  const hostname = url.hostname.replace(/\.$/, '');
  if (!hostname.includes('.') && !isLoopbackUrl(url)) {
    throw invalid(`"${hostname}" is not a full host name. A My Domain looks like acme.my.salesforce.com.`);
  }
  // A copied Lightning or Setup address names the same org as its My Domain, which is the login host.
  url.hostname = hostname
    .replace(/\.lightning\.force\.com$/, '.my.salesforce.com')
    .replace(/\.my\.salesforce-setup\.com$/, '.my.salesforce.com');
  // A Salesforce login host is an origin: a path (e.g. a copied Setup URL) says nothing about the server.
  if (isSalesforceHost(url)) return url.origin;
  // Any other server's issuer may have a path (Keycloak `/realms/acme`, Okta `/oauth2/default`, Entra ID
  // `/{tenant}/v2.0`), which is part of its identifier (RFC 8414 §2): kept, without a trailing slash.
  // Queries and fragments are never part of an issuer and are dropped.
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * A guess of the org type from its host ("My Domain URL Formats", Salesforce Help): `*.scratch.my…` is a
 * scratch org; test.salesforce.com, `*.sandbox.my…` and `name--sandbox…` are sandboxes; `*.develop.my…`
 * and `*.trailblaze.my…` are Developer Edition orgs; other My Domains and login.salesforce.com production.
 */
export function orgTypeFromHost(host: string): OrgType {
  const name = new URL(host).hostname;
  if (name.endsWith('.scratch.my.salesforce.com')) return 'scratch';
  if (
    name === 'test.salesforce.com' ||
    name.endsWith('.sandbox.my.salesforce.com') ||
    (name.endsWith('.salesforce.com') && /--/.test(name.split('.')[0] ?? ''))
  ) {
    return 'sandbox';
  }
  if (name.endsWith('.develop.my.salesforce.com') || name.endsWith('.trailblaze.my.salesforce.com')) return 'developer';
  if (name === 'login.salesforce.com' || name.endsWith('.my.salesforce.com')) return 'production';
  return 'unknown';
}

function invalid(message: string): AppError {
  return new AppError('oauth/invalid_login_host', message);
}
