/**
 * main/net is the lowest room of main: the OAuth, Salesforce, CLI, token and org code builds on it, never
 * the other way round. Its modules import only each other, main/errors.ts, the bridge contract and packages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const NET = join(import.meta.dirname, '../../main/net');
const ALLOWED_RELATIVE = [/^\.\/[\w-]+$/, /^\.\.\/errors$/, /^\.\.\/\.\.\/preload\/contract$/];

describe('main/net imports', () => {
  it('go only downwards', () => {
    const files = readdirSync(NET).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const file of files) {
      const source = readFileSync(join(NET, file), 'utf8');
      for (const [, spec] of source.matchAll(/\bfrom\s+'([^']+)'/g)) {
        if (!spec!.startsWith('.')) continue;
        if (!ALLOWED_RELATIVE.some((ok) => ok.test(spec!))) wrong.push(`${file} imports ${spec}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
