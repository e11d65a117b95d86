import { AppError } from './errors';
import { isLoopbackUrl } from './net/transport';

/** What to hand the system browser, or why nothing. */
export type ExternalUrlVerdict = { ok: true; href: string } | { ok: false; reason: ExternalUrlRejection };

export type ExternalUrlRejection =
  'characters' | 'unparseable' | 'scheme' | 'credentials' | 'not-canonical' | 'local-host' | 'plain-http';

/**
 * The one policy for URLs that leave the app for the system browser: the page's `window.open`
 * (main/window.ts) and the handlers' sign-in pages, device verification pages and org links (main/index.ts).
 *
 * - `https:` only, or `http:` on a loopback host (127.0.0.1, localhost, [::1]) for a local test server;
 * - never a user name or password (`https://login.salesforce.com@evil.example/` shows a trusted name and
 *   goes elsewhere);
 * - written as the browser will read it: printable ASCII only (no whitespace, control characters, Unicode
 *   look-alikes or backslashes) and `scheme://host[:port]` in canonical form, so nothing is "repaired" into
 *   another address on the way;
 * - a host on this machine or the local network (loopback, `*.localhost`, private and link-local IPs) only on
 *   exactly one of `trustedOrigins`: the login host or instance the current operation talks to. So neither the
 *   page nor a server's answer can make the app open `http://localhost:631/` or a router's admin page.
 *
 * The browser is handed the parsed `href`, never the string as given.
 */
export function checkExternalUrl(url: string, trustedOrigins: readonly string[] = []): ExternalUrlVerdict {
  if (typeof url !== 'string' || !/^[\x21-\x7e]+$/.test(url) || url.includes('\\')) {
    return { ok: false, reason: 'characters' };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'unparseable' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { ok: false, reason: 'scheme' };
  if (parsed.username !== '' || parsed.password !== '') return { ok: false, reason: 'credentials' };
  const authority = `${parsed.protocol}//${parsed.host}`;
  if (!url.toLowerCase().startsWith(authority) || !['', '/', '?', '#'].includes(url.charAt(authority.length))) {
    return { ok: false, reason: 'not-canonical' };
  }
  const trusted = trustedOrigins.some((o) => originOf(o) === parsed.origin);
  if (isLocalHost(parsed.hostname) && !trusted) return { ok: false, reason: 'local-host' };
  if (parsed.protocol === 'http:' && !(trusted && isLoopbackUrl(parsed))) return { ok: false, reason: 'plain-http' };
  return { ok: true, href: parsed.href };
}

/** The `href` to open, or null (see {@link checkExternalUrl}). */
export function safeExternalHref(url: string, trustedOrigins: readonly string[] = []): string | null {
  const verdict = checkExternalUrl(url, trustedOrigins);
  return verdict.ok ? verdict.href : null;
}

/** Opens a URL that a handler got from `server` (the login host or instance URL the operation talks to). */
export type OpenExternal = (url: string, server: string) => Promise<void>;

/**
 * The handlers' `openExternal`: checks the URL against the policy, with `server`'s origin as the only trusted
 * one, and hands the parsed `href` to `open` (Electron's `shell.openExternal`). A refused URL is an AppError.
 */
export function externalOpener(open: (href: string) => Promise<void>): OpenExternal {
  return async (url, server) => {
    await open(requireExternalHref(url, server));
  };
}

/**
 * The parsed `href` of a URL the handlers got from `server`, under the policy of {@link checkExternalUrl} with
 * `server`'s origin as the only trusted one; a refused URL is an AppError. Every browser gets its URL through
 * this: the system's ({@link externalOpener}) and one the user named (main/browsers/launch-browser.ts).
 */
export function requireExternalHref(url: string, server: string): string {
  const verdict = checkExternalUrl(url, [server]);
  if (!verdict.ok) {
    throw new AppError(
      'oauth/bad_response',
      'The app was asked to open an address in your browser that it does not open: only https addresses without a user name or password are opened (plain http only on the local login host or org in use). Check the login host.',
    );
  }
  return verdict.href;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * True for a host on this machine or the local network: `localhost`, `*.localhost` (RFC 6761), IPv4 0/8, 10/8,
 * 127/8, 169.254/16, 172.16/12, 192.168/16, and IPv6 `::`, `::1`, IPv4-mapped, fc00::/7 and fe80::/10.
 * `hostname` is as the URL parser gives it (IPv4 in dotted decimal, IPv6 in brackets, compressed).
 */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (v4) return isLocalIpv4(Number(v4[1]), Number(v4[2]));
  if (!host.startsWith('[')) return false;
  const v6 = host.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(v6);
  if (mapped) {
    const high = parseInt(mapped[1]!, 16);
    return isLocalIpv4(high >> 8, high & 0xff);
  }
  // `::`, `::1` and the other reserved addresses under ::/8; unique local fc00::/7; link-local fe80::/10.
  return v6.startsWith('::') || /^f[cd][0-9a-f]{2}:/.test(v6) || /^fe[89ab][0-9a-f]:/.test(v6);
}

function isLocalIpv4(a: number, b: number): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}
