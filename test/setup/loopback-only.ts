/**
 * Tests never touch the internet or a real Salesforce org: any fetch to a host other than loopback fails
 * at once, loudly, instead of silently reaching out (or timing out) on a networked machine.
 */
const realFetch = globalThis.fetch;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!LOOPBACK.has(url.hostname)) {
    return Promise.reject(new TypeError(`fetch failed: tests may only reach loopback hosts, not ${url.host}`));
  }
  return realFetch(input, init);
}) as typeof fetch;
