import type { Net } from 'electron';
import type { Fetch } from './bounded-fetch';

/**
 * In Electron every main-process HTTP call goes through Chromium's network stack (`net.fetch`): the system
 * proxy and PAC script, the OS certificate store and corporate roots apply, as in a browser. Node's own
 * `fetch` ignores all three. Cookies are never sent or stored (OAuth calls carry their own credentials), and
 * the app's own `app://` scheme is out of reach: only http(s) URLs are fetched.
 */
export function netFetch(net: Pick<Net, 'fetch'>): Fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : input instanceof URL ? input.href : String(input);
    const protocol = new URL(url).protocol;
    if (protocol !== 'https:' && protocol !== 'http:') {
      return Promise.reject(new TypeError(`Only http(s) requests leave the app, not ${protocol}`));
    }
    return net.fetch(input instanceof Request ? input : url, {
      ...init,
      credentials: 'omit',
      bypassCustomProtocolHandlers: true,
    });
  };
}
