/**
 * Where the loopback listener listens and what it answers to: the registered callback URL (loopback http
 * only), the error when its port cannot be had, and the request targets it reads (origin form only).
 */
import { AppError } from '../errors';

/**
 * The registered callback URL, which must be `http://localhost[:<port>]/…` or `http://127.0.0.1[:<port>]/…`
 * without credentials or fragment; anything else is `oauth/invalid_redirect_uri` saying so.
 */
export function parseLoopbackRedirectUri(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError(
      'oauth/invalid_redirect_uri',
      'The callback URL is not a web address. Use http://localhost:1717/OauthRedirect unless your app lists another.',
    );
  }
  if (
    url.protocol !== 'http:' ||
    !['localhost', '127.0.0.1'].includes(url.hostname) ||
    url.username !== '' ||
    url.password !== '' ||
    url.hash !== ''
  ) {
    throw new AppError(
      'oauth/invalid_redirect_uri',
      `A desktop app receives the sign-in on this computer: the callback URL must be http://localhost:<port>/… or http://127.0.0.1:<port>/…, and "${url.origin}" is not.`,
    );
  }
  return url;
}

/** Why the listener could not have its port: taken, forbidden, or another failure, each with the fix. */
export function listenError(e: NodeJS.ErrnoException, port: number, redirectUri: string): AppError {
  if (e.code === 'EADDRINUSE') {
    return new AppError(
      'oauth/port_in_use',
      `Port ${port} is in use by another program, so the sign-in cannot receive the browser's answer. Close the other program (the Salesforce CLI also uses port 1717 while it logs in), or change the callback URL of this app profile to another port (for example http://localhost:${port === 1718 ? 1719 : 1718}/OauthRedirect) and add the same callback URL where the app is registered (in Salesforce: its callback URLs).`,
      { cause: e },
    );
  }
  if (e.code === 'EACCES') {
    return new AppError(
      'oauth/port_forbidden',
      `This computer does not allow the app to listen on port ${port} (from ${redirectUri}). Change the callback URL of this app profile to a port above 1024 (for example http://localhost:1717/OauthRedirect), and add the same callback URL where the app is registered (in Salesforce: its callback URLs).`,
      { cause: e },
    );
  }
  return new AppError('oauth/network', `Could not start the sign-in listener on port ${port}. Try again.`, {
    cause: e,
  });
}

/**
 * The request target as a URL on our own origin (`host`), or null when it is not a path that parses. Only
 * the origin form "/path?query" (RFC 9112 §3.2.1) counts, which is all a browser sends to a server that is
 * not a proxy: absolute-form ("http://a:99999/x", whose authority would override Host), authority-form and
 * asterisk-form ("*") targets, and anything that does not parse, are refused.
 */
export function originFormTarget(target: string | undefined, host: string): URL | null {
  if (target === undefined || !target.startsWith('/')) return null;
  let url: URL;
  try {
    // Appended, not resolved against a base: "//evil.example/x" is the path "//evil.example/x" here.
    url = new URL(`http://${host}${target}`);
  } catch {
    return null;
  }
  return url.host === host ? url : null;
}
