/**
 * `npm run bench`: performance figures, printed side by side with a peer, never asserted.
 *
 * 1. The vault at 10…1,000 orgs × 20 tokens: opening and listing, and the cost of saving one refreshed
 *    token, against the naive design (everything in one electron-store/conf JSON file, rewritten on set).
 * 2. Decoding tokens in main: a typical Salesforce JWT and a 100 KB one: the first decode in a fresh process
 *    (with and without the warm-up main runs after showing its window), then warm, beside jose's
 *    `decodeJwt` alone and a plain split-and-parse; and decoding and rendering a 100 KB JWT in Chromium.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { NO_EVIDENCE } from '../preload/token-status';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { inspectToken } from '../main/tokens/inspect-token';
import { AesGcmCipher } from '../test/support/aes-gcm-cipher';
import type { OrgRecord, TokenMeta } from '../main/vault/records';
import { Vault } from '../main/vault/vault';
import { salesforceJwtAccessToken } from '../test/support/tokens';
import { storeFactory } from '../test/support/vault';
import { runFleetBench } from './fleet';
import { runInspectorBench, runRendererBench } from './renderer';
import { printSection, writeReadme, type BenchSection } from './report';

const cipher = new AesGcmCipher(randomBytes(32));
const TOKENS_PER_ORG = 20;
const KINDS = ['access', 'refresh', 'id'] as const;

function org(i: number): OrgRecord {
  return {
    id: `org${i}`,
    label: `Customer ${i} production`,
    orgId: '00D5g000004XYZAEA4',
    userId: '0055g00000AbCdEAAV',
    username: `admin${i}@customer${i}.example`,
    displayName: 'Consultant',
    instanceUrl: `https://customer${i}.my.salesforce.com`,
    identityUrl: `https://login.salesforce.com/id/00D5g000004XYZAEA4/0055g00000AbCdEAAV`,
    myDomain: `https://customer${i}.my.salesforce.com`,
    loginHost: 'https://login.salesforce.com',
    orgType: 'production',
    color: null,
    group: `Client ${i % 12}`,
    pinned: false,
    profileId: null,
    needsSignIn: false,
    grant: 'authorization_code',
    audience: null,
    addedAt: 1,
    updatedAt: 1,
  };
}

function metas(): TokenMeta[] {
  return Array.from({ length: TOKENS_PER_ORG }, (_, k) => ({
    kind: KINDS[k % 3]!,
    format: 'opaque',
    scopes: ['api', 'refresh_token', 'openid', 'id'],
    issuedAt: Date.now(),
    expiresAt: Date.now() + 7_200_000,
    status: 'active',
    lastCheckedAt: null,
    hint: 'abcd',
    evidence: NO_EVIDENCE,
  }));
}

const token = () => `00D5g000004XYZA!AR${randomBytes(72).toString('base64url')}`;

async function time<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await time(fn))[1]);
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)]!;
}

export interface VaultRow {
  orgs: number;
  openAndListMs: number;
  updateMs: number;
  updateBytes: number;
  naiveUpdateMs: number;
  naiveUpdateBytes: number;
}

export async function runVaultBench(sizes = [10, 100, 500, 1000]): Promise<VaultRow[]> {
  const rows: VaultRow[] = [];
  for (const n of sizes) {
    const dir = await mkdtemp(join(tmpdir(), 'sfti-bench-'));
    try {
      // The app's own store: electron-store (its `electron` import faked by test/support/fake-electron.mjs).
      const factory = await storeFactory();
      const filling = await Vault.open({ dataDir: dir, cipher, storeFactory: factory });
      for (let i = 0; i < n; i++) {
        await filling.saveOrg(org(i));
        await filling.saveTokens(
          `org${i}`,
          metas().map((meta, k) => ({ meta, value: k < 3 ? token() : null })),
        );
      }
      // One vault per folder at a time (it holds a lock): close, then time opening it again.
      await filling.close();
      let reopened: Vault | null = null;
      const [, openAndListMs] = await time(async () => {
        reopened = await Vault.open({ dataDir: dir, cipher, storeFactory: factory });
        return reopened.listOrgs();
      });
      const vault = reopened as unknown as Vault;
      const target = `org${Math.floor(n / 2)}`;
      const updateMs = await median(15, () =>
        vault.saveTokens(
          target,
          metas().map((meta, k) => ({ meta, value: k === 0 ? token() : null })),
        ),
      );
      const updateBytes = (await stat(join(dir, 'orgs', `${target}.json`))).size;

      // The peer: everything, tokens included, in one conf file (what electron-store does by default).
      const naive = new Conf<Record<string, unknown>>({ cwd: join(dir, 'naive'), configName: 'all' });
      const all: Record<string, unknown> = {};
      for (let i = 0; i < n; i++)
        all[`org${i}`] = { ...org(i), tokens: metas().map((m) => ({ ...m, sealed: token() })) };
      naive.set('orgs', all);
      const naiveUpdateMs = await median(15, async () => {
        (all[target] as { tokens: { sealed: string }[] }).tokens[0]!.sealed = await cipher.encrypt(token());
        naive.set('orgs', all);
      });
      const naiveUpdateBytes = (await stat(naive.path)).size;
      rows.push({ orgs: n, openAndListMs, updateMs, updateBytes, naiveUpdateMs, naiveUpdateBytes });
      await vault.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

/** What one fresh process measures: its first `inspectToken` (after the warm-up or not), and jose's first `decodeJwt`. */
interface ColdRun {
  inspectMs: number;
  joseMs: number;
}

/**
 * What a fresh process runs: only the decoder and jose are loaded (as main loads them at start), the token
 * read from a file, the warm-up awaited or not, then the first `inspectToken` and the first `decodeJwt` timed.
 */
const COLD_CHILD = `
  const { readFileSync } = await import('node:fs');
  const { inspectToken, warmUpDecoder } = await import(process.env.SFTI_DECODER);
  const { decodeJwt } = await import('jose');
  const t = readFileSync(process.env.SFTI_TOKEN_FILE, 'utf8');
  if (process.env.SFTI_WARM_UP === '1') await warmUpDecoder();
  let t0 = performance.now();
  inspectToken(t);
  const inspectMs = performance.now() - t0;
  t0 = performance.now();
  decodeJwt(t);
  process.stdout.write(JSON.stringify({ inspectMs, joseMs: performance.now() - t0 }));
`;

/** The median first decode of `t` over `runs` fresh Node processes (TypeScript through tsx, as the bench runs). */
async function coldDecode(t: string, mode: 'warm' | 'cold', runs = 5): Promise<ColdRun> {
  const file = join(tmpdir(), `sfti-bench-token-${process.pid}.txt`);
  await writeFile(file, t);
  const env = {
    ...process.env,
    SFTI_DECODER: new URL('../main/tokens/inspect-token.ts', import.meta.url).href,
    SFTI_TOKEN_FILE: file,
    SFTI_WARM_UP: mode === 'warm' ? '1' : '0',
  };
  const results: ColdRun[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '--eval', COLD_CHILD],
        { env, maxBuffer: 1 << 20 },
      );
      results.push(JSON.parse(stdout) as ColdRun);
    }
  } finally {
    await rm(file, { force: true });
  }
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { inspectMs: mid(results.map((r) => r.inspectMs)), joseMs: mid(results.map((r) => r.joseMs)) };
}

export interface DecodeRow {
  case: string;
  coldMs: number;
  coldWarmedMs: number;
  inspectMs: number;
  joseColdMs: number;
  joseMs: number;
  naiveMs: number;
}

export async function runDecodeBench(): Promise<DecodeRow[]> {
  const small = await salesforceJwtAccessToken();
  const big = await salesforceJwtAccessToken({ extra: { blob: 'x'.repeat(100_000) } });
  const naive = (t: string) =>
    t
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as unknown);
  const out: DecodeRow[] = [];
  for (const [name, t] of [
    ['Salesforce JWT access token', small],
    ['100 KB JWT', big],
  ] as const) {
    const cold = await coldDecode(t, 'cold');
    const warmed = await coldDecode(t, 'warm');
    out.push({
      case: `${name} (${(t.length / 1024).toFixed(1)} KB)`,
      coldMs: cold.inspectMs,
      coldWarmedMs: warmed.inspectMs,
      inspectMs: await median(51, async () => inspectToken(t)),
      joseColdMs: cold.joseMs,
      joseMs: await median(51, async () => decodeJwt(t)),
      naiveMs: await median(51, async () => naive(t)),
    });
  }
  return out;
}

const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
const kb = (b: number) => (b < 10_240 ? `${b} B` : `${(b / 1024).toFixed(0)} KB`);

async function main(): Promise<void> {
  const sections: BenchSection[] = [];
  const add = (section: BenchSection) => {
    printSection(section);
    sections.push(section);
  };
  const started = new Date().toISOString();
  console.log(`SF Token Inspector benchmarks — Node ${process.version}, ${started}`);
  add({
    title: 'The vault',
    about:
      `Opening it and listing every org, and saving one refreshed token, at 10 to 1,000 orgs × ${TOKENS_PER_ORG} ` +
      'tokens, through the real electron-store. Peer: the naive design, every org and token in one ' +
      'electron-store (conf) file, rewritten on each change.',
    rows: (await runVaultBench()).map((r) => ({
      orgs: r.orgs.toLocaleString('en'),
      'open + list': fmt(r.openAndListMs),
      'one token saved': fmt(r.updateMs),
      'bytes written': kb(r.updateBytes),
      'one file (peer): one token saved': fmt(r.naiveUpdateMs),
      'one file (peer): bytes written': kb(r.naiveUpdateBytes),
    })),
  });
  add({
    title: 'The sidebar',
    about:
      'In Chromium (built app, real bridge), 500 orgs with 20 tokens each; the list carries summaries only. ' +
      'One frame is 16.7 ms. Peer: a hand-written DOM filter.',
    rows: await runRendererBench(),
  });
  add({
    title: 'Decoding in main',
    about:
      'The first inspectToken (claim table, spans, findings) in a fresh process (median of 5; target ≤ 20 ms), ' +
      'without and after warmUpDecoder (main runs it once the window is shown), then warm (median of 51), ' +
      'beside jose’s decodeJwt alone (payload only: no header, table or findings) and a bare split + JSON.parse.',
    rows: (await runDecodeBench()).map((r) => ({
      token: r.case,
      'first, no warm-up': fmt(r.coldMs),
      'first, after warm-up': fmt(r.coldWarmedMs),
      'inspectToken warm': fmt(r.inspectMs),
      'jose decodeJwt first': fmt(r.joseColdMs),
      'jose decodeJwt warm': fmt(r.joseMs),
      'bare split + parse': fmt(r.naiveMs),
    })),
  });
  add({
    title: 'The Inspect tab',
    about: 'In Chromium (built app, real bridge): a 100 KB JWT pasted, decoded and shown (target ≤ 50 ms).',
    rows: await runInspectorBench(),
  });
  add(await runFleetBench());

  if (process.argv.includes('--readme')) {
    const header =
      `Written by \`npm run bench -- --readme\` on ${started.slice(0, 10)} (Node ${process.version}, ` +
      `${cpus().length} cores${process.env['CI'] ? ', in CI' : ''}). Every figure below is that run's output.`;
    await writeReadme('README.md', sections, header);
    console.log('\nREADME.md: the Performance section now shows these figures.');
  }
}

await main();
