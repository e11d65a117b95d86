/**
 * The page the user-agent flow's listener shows at the callback URL. The tokens of `response_type=token`
 * come back in the URL fragment (RFC 6749 §4.2.2), which a browser never sends to a server, so this page's
 * one script reads `location.hash`, clears it from the address bar and the history entry at once
 * (`history.replaceState`), and posts it to the listener on the same origin; the listener answers with the
 * page to go to next. The script is fixed text allowed by its hash in a strict CSP: no other script, nothing
 * loaded from anywhere, requests only to the listener itself, no referrer.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * Reads the fragment (or, when a server put its answer in the query, the query), removes it from the URL
 * before anything else, posts it, and follows the listener's answer. Only `textContent` is ever set.
 */
const SCRIPT = `(function () {
  var answer = location.hash.slice(1) || location.search.slice(1);
  history.replaceState(null, '', location.pathname);
  var status = document.getElementById('status');
  fetch(location.pathname, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: answer,
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer'
  })
    .then(function (r) { return r.json(); })
    .then(function (a) {
      if (a && typeof a.next === 'string') location.replace(a.next);
      else status.textContent = a && typeof a.message === 'string' ? a.message : 'The app did not accept this answer.';
    })
    .catch(function () {
      status.textContent = 'Could not reach SF Token Inspector. Return to the app and start the sign-in again.';
    });
})();`;

const SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT).digest('base64')}`;

/** The CSP of the fragment page: its own script by hash, inline style, fetches to the listener only. */
const FRAGMENT_PAGE_CSP = `default-src 'none'; script-src '${SCRIPT_HASH}'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const HTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>Finishing the sign-in · SF Token Inspector</title>
<style>
:root{color-scheme:light dark;--bg:#f3f3f3;--card:#fff;--text:#181818;--muted:#5c5c5c;--line:#e5e5e5}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--card:#1c1f24;--text:#eceff3;--muted:#a9b1bc;--line:#2c313a}}
body{margin:0;min-height:100vh;display:grid;place-items:center;padding:24px;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
main{width:min(520px,100%);background:var(--card);border:1px solid var(--line);border-radius:14px;padding:32px 36px;text-align:center}
h1{font-size:1.3rem;margin:0 0 8px}p{margin:8px 0;overflow-wrap:anywhere}
</style></head>
<body><main><h1>Finishing the sign-in…</h1><p id="status" role="status">Handing the answer to SF Token Inspector.</p>
<noscript><p>This page needs JavaScript to hand the sign-in to the app. Use the web server flow instead.</p></noscript></main>
<script>${SCRIPT}</script></body></html>`;

/** Serves the fragment page: never cached, no referrer, not framed, the strict CSP above. */
export function sendFragmentPage(res: ServerResponse): void {
  res
    .writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': FRAGMENT_PAGE_CSP,
      Connection: 'close',
    })
    .end(HTML);
}
