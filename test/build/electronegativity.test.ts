/**
 * Electronegativity (Doyensec's Electron security checker) over what the app is made of: main/, preload/ and
 * renderer/, plus the built preload and renderer page from out/ (`npm test` builds first). Every finding must be
 * one the reviewed exceptions in electronegativity-exceptions.json explain, and every exception must still match a
 * finding: a new finding or a stale exception fails the suite.
 *
 * Not scanned: out/main/index.js and out/renderer/assets/*.js, which Electronegativity 1.10 cannot parse
 * ("Unknown node type ClassPrivateProperty"); their sources are scanned instead. Electronegativity reads no
 * .svelte files.
 *
 * Offline: the checker downloads translations from S3 whatever it is told (dist/locales/i18n.js) and, in
 * AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK, Electron's release list from GitHub. That check is turned off (the
 * documented `excludeFromScan`, the CLI's `-x`), and the checker runs in a child process whose `got` (its only
 * HTTP client) is a stub that refuses and records every request.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const EXCEPTIONS_FILE = join(ROOT, 'electronegativity-exceptions.json');
const SCANNED_DIRS = ['main', 'preload', 'renderer'];
const SCANNED_FILES = ['package.json', 'out/preload/index.cjs', 'out/renderer/index.html'];
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
const TRANSLATIONS = 'https://electronegativity-i18n.s3.us-west-2.amazonaws.com/en-US.json';

/** Runs the programmatic API (README "Programmatically") with `got` replaced; writes the result as JSON. */
const CHILD = `
const { createRequire } = require('node:module');
const { writeFileSync } = require('node:fs');
const [input, outFile, root, excluded] = process.argv.slice(1);
const fromRoot = createRequire(root + '/package.json');
const runner = fromRoot.resolve('@doyensec/electronegativity');
const gotPath = createRequire(runner).resolve('got');
const requests = [];
const offline = async (url) => {
  requests.push(String(url));
  throw new Error('offline: this scan may not use the network');
};
offline.head = offline;
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };
fromRoot(runner)({ input, isRelative: true, excludeFromScan: excluded.split(',') })
  .then((r) => {
    const issues = r.issues.map((i) => ({
      check: i.id,
      file: i.file,
      line: i.location.line,
      description: i.description,
      sample: typeof i.sample === 'string' ? i.sample : null,
    }));
    writeFileSync(outFile, JSON.stringify({ requests, errors: r.errors, issues }));
  })
  .catch((e) => {
    console.error((e && e.stack) || String(e));
    process.exit(1);
  });
`;

interface Finding {
  check: string;
  file: string;
  line: number;
  description: string;
  /** What the finding is about: the checker's sample (a CSP's text), else the line it points at, trimmed. */
  text: string;
}

interface Exception {
  check: string;
  file: string;
  /** A stable part of the finding's text (the line it points at, or the whole CSP), never a line number. */
  match: string;
  /** Electronegativity's description of the finding. */
  description: string;
  why: string;
}

interface Scan {
  requests: string[];
  errors: { file: string; message: string; tolerable: boolean }[];
  findings: Finding[];
  dir: string;
}

/** A copy of what is scanned, so the checker sees exactly these files and a test can add one. */
function stage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfti-eng-'));
  for (const d of SCANNED_DIRS) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  for (const f of SCANNED_FILES) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run npm run build first.`);
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(dir, f));
  }
  return dir;
}

async function scan(dir: string): Promise<Scan> {
  const out = `${dir}.json`;
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'en-US' };
  delete env.NODE_OPTIONS;
  await promisify(execFile)(process.execPath, ['-e', CHILD, dir, out, ROOT, EXCLUDED_CHECKS.join(',')], {
    cwd: ROOT,
    env,
    timeout: 60_000,
    maxBuffer: 10_000_000,
  });
  const raw = JSON.parse(readFileSync(out, 'utf8')) as Omit<Scan, 'findings' | 'dir'> & {
    issues: (Omit<Finding, 'text'> & { sample: string | null })[];
  };
  rmSync(out, { force: true });
  const findings = raw.issues.map(({ sample, ...i }) => ({ ...i, text: sample || lineOf(dir, i.file, i.line) }));
  return { requests: raw.requests, errors: raw.errors, findings, dir };
}

function lineOf(dir: string, file: string, line: number): string {
  const path = join(dir, file);
  if (line < 1 || !existsSync(path)) return '';
  return (readFileSync(path, 'utf8').split('\n')[line - 1] ?? '').trim();
}

/** Each exception explains exactly one finding; what is left over on either side fails the suite. */
function compare(findings: Finding[], exceptions: Exception[]) {
  const used = new Set<Exception>();
  const unexpected = findings.filter((f) => {
    const e = exceptions.find(
      (x) =>
        !used.has(x) &&
        x.check === f.check &&
        x.file === f.file &&
        x.description === f.description &&
        f.text.includes(x.match),
    );
    if (e) used.add(e);
    return !e;
  });
  return { unexpected, stale: exceptions.filter((e) => !used.has(e)) };
}

const describeFinding = (f: Finding) => `${f.check} ${f.file}:${f.line} "${f.description}" at: ${f.text}`;
const describeException = (e: Exception) => `${e.check} ${e.file} matching "${e.match}"`;

function loadExceptions(): Exception[] {
  return (JSON.parse(readFileSync(EXCEPTIONS_FILE, 'utf8')) as { exceptions: Exception[] }).exceptions;
}

let real: Scan;
const staged: string[] = [];
beforeAll(async () => {
  const dir = stage();
  staged.push(dir);
  real = await scan(dir);
}, 60_000);
afterAll(() => {
  for (const dir of staged) rmSync(dir, { recursive: true, force: true });
});

describe('Electronegativity', () => {
  it('runs offline: its one download attempt (translations) is refused by the stub, nothing else is tried', () => {
    expect(real.requests).toEqual([TRANSLATIONS]);
  });

  it('parses every scanned file', () => {
    expect(real.errors).toEqual([]);
    expect(real.findings.length).toBeGreaterThan(0);
  });

  it('finds nothing but the reviewed exceptions, and every exception still matches a finding', () => {
    const { unexpected, stale } = compare(real.findings, loadExceptions());
    expect(unexpected.map(describeFinding), 'new findings: fix them, or review and add them').toEqual([]);
    expect(stale.map(describeException), 'stale exceptions: remove them').toEqual([]);
  });

  it('keeps every exception reviewable: a check, a file, a line to match and why it is safe', () => {
    for (const e of loadExceptions()) {
      expect(Object.keys(e).sort(), describeException(e)).toEqual(['check', 'description', 'file', 'match', 'why']);
      expect(e.check).toMatch(/^[A-Z_]+_CHECK$/);
      expect(existsSync(join(ROOT, e.file)), e.file).toBe(true);
      expect(e.match.trim(), describeException(e)).not.toBe('');
      expect(e.why.length, describeException(e)).toBeGreaterThan(60);
    }
  });

  it('is not silenced inline: no eng-disable comment in what it scans', () => {
    expect(grep(real.dir, /eng-disable/i)).toEqual([]);
  });

  it('fails on a new finding: a window with nodeIntegration turned on', async () => {
    const dir = stage();
    staged.push(dir);
    writeFileSync(
      join(dir, 'main/popup.ts'),
      [
        "import { BrowserWindow } from 'electron';",
        'export const popup = () =>',
        '  new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: true } });',
        '',
      ].join('\n'),
    );
    const { unexpected, stale } = compare((await scan(dir)).findings, loadExceptions());
    expect(unexpected.map((f) => `${f.check} ${f.file}`)).toContain('NODE_INTEGRATION_JS_CHECK main/popup.ts');
    expect(stale).toEqual([]);
  }, 60_000);

  it('fails on a stale exception: one that matches no finding, or a second finding for one exception', () => {
    const exceptions = loadExceptions();
    const gone: Exception = { ...exceptions[0]!, match: 'a line that is no longer there' };
    expect(compare(real.findings, [...exceptions, gone]).stale).toEqual([gone]);
    const [first, ...rest] = real.findings;
    expect(compare(rest, exceptions).stale).toHaveLength(1);
    expect(compare([...real.findings, first!], exceptions).unexpected).toEqual([first]);
  });
});

function grep(dir: string, pattern: RegExp): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (pattern.test(readFileSync(path, 'utf8'))) hits.push(path.slice(dir.length + 1));
    }
  };
  walk(dir);
  return hits;
}
