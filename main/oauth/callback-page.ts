/**
 * The pages the loopback listener shows the browser: small, self-contained (inline CSS only, no script,
 * nothing loaded from anywhere), never cached, sent without a referrer, with everything they echo escaped.
 */
import type { ServerResponse } from 'node:http';

/** What the success page says: the app profile, the org and the user, or a title and detail of the caller's. */
export interface SuccessInfo {
  app?: string;
  org?: string;
  username?: string;
  title?: string;
  detail?: string;
}

/** Headers of every page the listener serves: nothing cached, no referrer, nothing loaded from anywhere. */
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  Connection: 'close',
} as const;

/** Answers with a page, unless an answer has already been sent. */
export function sendPage(res: ServerResponse, status: number, html: string): void {
  if (res.headersSent) return;
  res.writeHead(status, PAGE_HEADERS).end(html);
}

/** The default success page: which org, which user, through which app, and that the tab can be closed. */
export function renderSuccessPage(info: SuccessInfo): string {
  const title = info.title ?? (info.org ? `Signed in to ${info.org}` : 'Signed in');
  const detail =
    info.detail ??
    `${info.username ?? 'Your user'} is connected${info.app ? ` through ${info.app}` : ''}. SF Token Inspector has the tokens now.`;
  return renderPage(title, detail, true);
}

/** A page saying what went wrong (or what the page is not for): a title and a sentence. */
export function renderErrorPage(title: string, detail: string): string {
  return renderPage(title, detail, false);
}

/** A small self-contained page: inline CSS only, no script, no external resources, everything echoed escaped. */
function renderPage(title: string, detail: string, success: boolean): string {
  const accent = success ? '#2e844a' : '#ba0517';
  const mark = success ? '✓' : '!';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · SF Token Inspector</title>
<style>
:root{color-scheme:light dark;--bg:#f3f3f3;--card:#fff;--text:#181818;--muted:#5c5c5c;--line:#e5e5e5;--accent:${accent}}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--card:#1c1f24;--text:#eceff3;--muted:#a9b1bc;--line:#2c313a}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;padding:24px;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
main{width:min(520px,100%);background:var(--card);border:1px solid var(--line);border-radius:14px;padding:32px 36px;box-shadow:0 10px 30px rgba(0,0,0,.08);text-align:center}
.mark{width:56px;height:56px;margin:0 auto 16px;border-radius:50%;display:grid;place-items:center;font-size:28px;font-weight:700;color:#fff;background:var(--accent)}
h1{font-size:1.3rem;margin:0 0 8px}
p{margin:8px 0;overflow-wrap:anywhere}
.muted{color:var(--muted);font-size:.92rem;margin-top:20px;padding-top:16px;border-top:1px solid var(--line)}
</style></head>
<body><main><div class="mark" aria-hidden="true">${mark}</div><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>
<p class="muted">You can close this tab and return to SF Token Inspector.</p></main></body></html>`;
}

/** Escapes text for HTML element content and attribute values. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}
