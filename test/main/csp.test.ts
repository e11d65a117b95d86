import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { metaCsp, RENDERER_CSP, rendererCsp } from '../../main/csp';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d] as const));

describe('the renderer CSP', () => {
  it('allows no eval, no inline script and no network in production, and forbids framing', () => {
    const production = directives(RENDERER_CSP);
    expect(RENDERER_CSP).toBe(rendererCsp('production'));
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|unsafe-inline|\*/);
    expect(production.get('script-src')).toBe("script-src 'self'");
    expect(production.get('connect-src')).toBe("connect-src 'self'");
    expect(production.get('object-src')).toBe("object-src 'none'");
    expect(production.get('frame-ancestors')).toBe("frame-ancestors 'none'");
  });

  it('relaxes only inline styles and the local hot-reload socket for the dev server; scripts stay self', () => {
    const production = directives(RENDERER_CSP);
    const dev = directives(rendererCsp('dev'));
    const changed = [...dev.keys()].filter((k) => dev.get(k) !== production.get(k));
    expect(changed).toEqual(['style-src', 'connect-src']);
    expect(dev.get('style-src')).toBe("style-src 'self' 'unsafe-inline'");
    expect(dev.get('connect-src')).toBe("connect-src 'self' ws://localhost:* ws://127.0.0.1:*");
    expect(rendererCsp('dev')).not.toContain('unsafe-eval');
    expect(dev.get('script-src')).toBe("script-src 'self'");
  });

  it('as a meta tag drops only frame-ancestors, and index.html states exactly that text', () => {
    const meta = metaCsp(RENDERER_CSP);
    expect(meta).not.toContain('frame-ancestors');
    expect(directives(meta).size).toBe(directives(RENDERER_CSP).size - 1);
    expect(RENDERER_CSP.startsWith(meta)).toBe(true);
    // The dev-server plugin (electron.vite.config.ts) swaps this exact text, so it must be there verbatim.
    const html = readFileSync('renderer/index.html', 'utf8');
    expect(html).toContain(`content="${meta}"`);
    expect(metaCsp(rendererCsp('dev'))).not.toContain('frame-ancestors');
  });
});
