import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../main/ipc/sender';

const trusted = (url: string | null, isOurMainFrame: boolean, origin: string) =>
  isTrustedSender({ url, isOurMainFrame }, origin);

describe('isTrustedSender', () => {
  it('needs both our main frame and our origin: either alone is refused', () => {
    expect(trusted('app://renderer/index.html#/orgs', true, 'app://renderer')).toBe(true);
    expect(trusted('app://renderer/index.html', false, 'app://renderer')).toBe(false);
    expect(trusted('https://evil.example/', true, 'app://renderer')).toBe(false);
    expect(trusted(null, true, 'app://renderer')).toBe(false);
  });

  it('compares the whole origin: scheme, host and port, not a prefix of the URL', () => {
    const dev = 'http://localhost:5173';
    expect(trusted('http://localhost:5173/src/index.html', true, dev)).toBe(true);
    expect(trusted('https://localhost:5173/', true, dev)).toBe(false);
    expect(trusted('http://127.0.0.1:5173/', true, dev)).toBe(false);
    expect(trusted('http://localhost:51730/', true, dev)).toBe(false);
    expect(trusted('http://localhost:5173.evil.example/', true, dev)).toBe(false);
    expect(trusted('app://renderer:8080/index.html', true, 'app://renderer')).toBe(false);
    expect(trusted('app://renderer.evil/index.html', true, 'app://renderer')).toBe(false);
  });

  it('refuses what does not parse, and pages without a host of their own', () => {
    for (const url of ['', 'renderer/index.html', 'about:blank', 'data:text/html,<p>x', 'file:///index.html']) {
      expect(trusted(url, true, 'app://renderer'), url).toBe(false);
    }
  });
});
