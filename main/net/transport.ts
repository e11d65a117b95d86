/** True for http://127.0.0.1, localhost and [::1]: the only hosts allowed without TLS (tests, local servers). */
export function isLoopbackUrl(url: string | URL): boolean {
  const { hostname } = new URL(url);
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** True when a URL may carry a token: https anywhere, plain http only on loopback. */
export function isSafeTransport(url: string | URL): boolean {
  const u = new URL(url);
  return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackUrl(u));
}
