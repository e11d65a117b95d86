import { describe, expect, it } from 'vitest';
import { ORG_PAGES, orgPathProblem } from '../../renderer/lib/org-pages';

describe('pages inside an org to open', () => {
  it('lists Setup pages as paths inside the org, and Home as the org itself', () => {
    expect(ORG_PAGES[0]).toEqual({ label: 'Home', path: null });
    for (const page of ORG_PAGES.slice(1)) expect(orgPathProblem(page.path!)).toBeNull();
  });

  it('refuses full URLs, protocol-relative paths, spaces and nothing, saying what a path looks like', () => {
    expect(orgPathProblem('')).toMatch(/Type a path/);
    expect(orgPathProblem('https://evil.example/')).toMatch(/starts with one \//);
    expect(orgPathProblem('//evil.example/')).toMatch(/starts with one \//);
    expect(orgPathProblem('/lightning/o/Account list')).toMatch(/no spaces/);
    expect(orgPathProblem(' /lightning/o/Account/list ')).toBeNull();
  });
});
