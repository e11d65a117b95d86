/**
 * The renderer's Content-Security-Policy (SECURITY.md item 16). Sent as a response header by main
 * and by the test harness's static server, and repeated in `renderer/index.html`.
 * No `unsafe-eval`, no inline scripts, no network from the renderer: all I/O goes through main.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
