/**
 * The callback URL of an app profile, and how the sign-in receives what the browser brings back to it: a
 * loopback URL is answered by the app's own listener (loopback-listener.ts); any other https URL is a page
 * somewhere else (`https://login.salesforce.com/services/oauth2/success`, `https://www.example.com`), so the
 * user copies the address the browser lands on back into the app (manual-code-flow.ts).
 */
import { AppError } from '../errors';
import { parseLoopbackRedirectUri } from './loopback-address';

/** `loopback`: the app's listener receives the callback; `paste`: the user pastes it. */
export type CallbackReceiver = 'loopback' | 'paste';

export interface AcceptedCallbackUrl {
  /** What is stored and sent as `redirect_uri`: a loopback URL normalised, any other exactly as typed. */
  href: string;
  receiver: CallbackReceiver;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Accepts a callback URL as an app profile's: `http://localhost[:<port>]/…` or `http://127.0.0.1[:<port>]/…`
 * for the listener, or an https address elsewhere for a code by hand. A server compares `redirect_uri` with
 * the registered one character by character, so a pasted-code URL is kept exactly as typed (no trailing `/`
 * added). Anything else is `oauth/invalid_redirect_uri` saying which two kinds work.
 */
export function acceptCallbackUrl(text: string): AcceptedCallbackUrl {
  const trimmed = text.trim();
  let url: URL | null = null;
  try {
    url = new URL(trimmed);
  } catch {
    // parseLoopbackRedirectUri says what a callback URL looks like.
  }
  if (url === null || url.protocol === 'http:' || LOOPBACK_HOSTS.has(url.hostname)) {
    return { href: parseLoopbackRedirectUri(trimmed).href, receiver: 'loopback' };
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.hash !== '') {
    throw new AppError(
      'oauth/invalid_redirect_uri',
      `The callback URL must be http://localhost:<port>/… (the app receives the sign-in itself) or an https address without a # part (you paste the code from the browser), and "${trimmed.slice(0, 200)}" is neither.`,
    );
  }
  return { href: trimmed, receiver: 'paste' };
}
