/**
 * The renderer's Content-Security-Policy (docs/SECURITY.md). Sent as a response header by main (and by the
 * test harness's static server), and repeated in `renderer/index.html`.
 * No `unsafe-eval`, no inline scripts, no network from the renderer: all I/O goes through main.
 */
export const RENDERER_CSP = rendererCsp('production');

/**
 * `dev` is for the Vite dev server only (`npm run dev`, never a built app): Vite injects CSS as `<style>`
 * elements, so styles may be inline there, and its hot-reload socket must connect. Scripts stay `'self'`.
 */
export function rendererCsp(mode: 'production' | 'dev'): string {
  const dev = mode === 'dev';
  return [
    "default-src 'self'",
    "script-src 'self'",
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    dev ? "connect-src 'self' ws://localhost:* ws://127.0.0.1:*" : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy as a `<meta http-equiv>` may state it (`frame-ancestors` is ignored there). */
export function metaCsp(csp: string): string {
  return csp
    .split('; ')
    .filter((d) => !d.startsWith('frame-ancestors'))
    .join('; ');
}
