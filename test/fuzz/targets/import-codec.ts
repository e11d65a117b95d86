/**
 * The import codec: `Vault.importData` (main/vault/export-format.ts decodes, the vault adds) on files a user
 * might pick: valid exports mutated field by field, random JSON and text, prototype-key ids and
 * `__proto__` keys, deep nesting, huge strings. Checks, on every input: only typed errors; nothing already
 * in the vault changes or is lost (records, tokens, secrets, settings); every id in the vault is a safe id;
 * an imported org points at an existing profile or none; the report accounts for every entry;
 * Object.prototype is untouched. The vault is the real one over the real electron-store, in a RAM folder
 * when there is one (fsync costs nothing there); what an input added is removed after it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { AesGcmCipher } from '../../support/aes-gcm-cipher';
import { EXPORT_FORMAT, MAX_IMPORT_CHARS } from '../../../main/vault/export-format';
import { SAFE_ID } from '../../../main/vault/records';
import { Vault } from '../../../main/vault/vault';
import { sampleMeta, sampleOrg, sampleProfile, storeFactory, TEST_KEY } from '../../support/vault';
import { expectTyped, type FuzzTarget } from '../target';

const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
  '__lookupSetter__',
];
/** Already in the vault before every input: an import must never change them. */
const BASE_ORGS = ['base-org', 'constructor'];
const BASE_PROFILES = ['base-profile', '__proto__'];

let dir = '';
let vault: Vault;
let baseline: unknown;
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

async function snapshot(v: Vault): Promise<unknown> {
  const orgs = BASE_ORGS.map((id) => v.getOrg(id));
  const profiles = BASE_PROFILES.map((id) => v.getProfile(id));
  const tokens = await Promise.all(BASE_ORGS.map((id) => v.readToken(id, 'access')));
  const secrets = await Promise.all(BASE_PROFILES.map((id) => v.readProfileSecret(id)));
  return { orgs, profiles, tokens, secrets, settings: v.settings };
}

// ------------------------------------------------------------------ inputs

const id = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/) },
  { weight: 3, arbitrary: fc.constantFrom(...PROTO_KEYS, ...BASE_ORGS, ...BASE_PROFILES) },
  { weight: 1, arbitrary: fc.constantFrom('', '../evil', 'a/b', 'x'.repeat(101), 'é', ' ', 'a.json', 'nul\u0000') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
const text = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom(...PROTO_KEYS));
const nullableText = fc.option(text, { nil: null });

const exportedOrg = fc.record({
  id,
  label: text,
  orgId: nullableText,
  userId: nullableText,
  username: nullableText,
  displayName: nullableText,
  instanceUrl: nullableText,
  identityUrl: nullableText,
  myDomain: nullableText,
  loginHost: text,
  orgType: fc.constantFrom('production', 'sandbox', 'developer', 'scratch', 'unknown', 'mainframe'),
  color: nullableText,
  group: nullableText,
  pinned: fc.boolean(),
  profileId: fc.option(id, { nil: null }),
  grant: fc.constantFrom('authorization_code', 'jwt_bearer', 'client_credentials', 'device', 'password'),
  audience: nullableText,
  addedAt: fc.integer(),
  updatedAt: fc.integer(),
});
const exportedProfile = fc.record({
  id,
  name: text,
  kind: fc.constantFrom('connected-app', 'external-client-app', 'oidc', 'other'),
  consumerKey: text,
  callbackUrl: text,
  scopes: fc.array(text, { maxLength: 4 }),
});
const validDoc = fc.record({
  format: fc.constant(EXPORT_FORMAT),
  version: fc.constant(1),
  exportedAt: fc.constant('2025-01-01T00:00:00.000Z'),
  orgs: fc.array(exportedOrg, { maxLength: 4 }),
  profiles: fc.array(exportedProfile, { maxLength: 3 }),
});

/** A value put somewhere in a document: JSON of any kind, a prototype key, a huge string, deep nesting. */
const wild = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 2_000 }).map((n) => nest(n)) },
);

function nest(depth: number): unknown {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
}

/** One change to a document: a field set to `value` or removed, at the top, in an entry, or on a prototype key. */
const mutation = fc.record({
  where: fc.constantFrom('top', 'org', 'profile'),
  index: fc.nat(4),
  field: fc.oneof(
    fc.constantFrom('id', 'label', 'name', 'profileId', 'consumerKey', 'orgs', 'profiles', 'format', 'version'),
    fc.constantFrom(...PROTO_KEYS),
    fc.string({ maxLength: 8 }),
  ),
  remove: fc.boolean(),
  value: wild,
});
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

/** Applies mutations to a copy; `__proto__` is set as an own key (as JSON.parse makes it), never a prototype. */
function mutate(doc: Record<string, unknown>, changes: Mutation[]): Record<string, unknown> {
  const copy = structuredClone(doc);
  for (const m of changes) {
    const list = m.where === 'org' ? copy['orgs'] : m.where === 'profile' ? copy['profiles'] : null;
    const target =
      m.where === 'top' ? copy : Array.isArray(list) && list.length > 0 ? list[m.index % list.length] : null;
    if (typeof target !== 'object' || target === null) continue;
    if (m.remove) delete (target as Record<string, unknown>)[m.field];
    else
      Object.defineProperty(target, m.field, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const inputs: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: validDoc.map((d) => JSON.stringify(d)) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(validDoc, fc.array(mutation, { minLength: 1, maxLength: 3 }))
      .map(([d, m]) => JSON.stringify(mutate(d, m))),
  },
  // A valid file cut short or with a byte changed.
  {
    weight: 1,
    arbitrary: fc.tuple(validDoc, fc.nat(), fc.string({ maxLength: 2 })).map(([d, at, s]) => {
      const json = JSON.stringify(d);
      const i = at % (json.length + 1);
      return json.slice(0, i) + s + json.slice(i + (s ? 1 : json.length));
    }),
  },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  // Deep nesting, as a whole file and inside an entry.
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1_000, max: 100_000 })
      .map(
        (n) =>
          `{"format":"${EXPORT_FORMAT}","version":1,"profiles":[],"orgs":[{"id":"deep","label":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}]}`,
      ),
  },
  // __proto__ as an own key of the file and of its entries, as a hand-written file has it.
  {
    weight: 1,
    arbitrary: fc.tuple(validDoc, fc.constantFrom('top', 'orgs', 'entry')).map(([d, where]) => {
      const json = JSON.stringify(d);
      if (where === 'top') return `{"__proto__":${json},"constructor":{"prototype":{"polluted":1}}}`;
      if (where === 'orgs') return json.replace('"orgs":', '"__proto__":{"orgs":[]},"orgs":');
      return json.replace(/"profiles":\[\{/, '"profiles":[{"__proto__":{"polluted":1,"id":"base-profile"},');
    }),
  },
  { weight: 1, arbitrary: fc.constant(' '.repeat(MAX_IMPORT_CHARS + 1)) },
);

// ------------------------------------------------------------------ the target

const target: FuzzTarget<string> = {
  name: 'import codec',
  longRuns: 22_000,
  shortRuns: 250,
  arbitrary: inputs,

  async setup() {
    dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sfti-fuzz-import-'));
    vault = await Vault.open({ dataDir: dir, cipher: new AesGcmCipher(TEST_KEY), storeFactory: await storeFactory() });
    await vault.saveProfile(sampleProfile('base-profile'), { clientSecret: 'base-secret' });
    await vault.saveProfile(sampleProfile('__proto__'), { clientSecret: 'proto-secret' });
    for (const orgId of BASE_ORGS) {
      await vault.saveOrg(sampleOrg(orgId, { profileId: 'base-profile' }));
      await vault.saveTokens(orgId, [{ meta: sampleMeta('access'), value: `token-${orgId}` }]);
    }
    baseline = await snapshot(vault);
  },

  async teardown() {
    await vault?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  },

  async run(input) {
    let report: Awaited<ReturnType<Vault['importData']>> | null = null;
    await expectTyped(async () => {
      report = await vault.importData(input);
    });
    try {
      if (!isDeepStrictEqual(await snapshot(vault), baseline))
        throw new Error('an import changed what was already in the vault');
      const polluted = Object.getOwnPropertyNames(Object.prototype).sort();
      if (!isDeepStrictEqual(polluted, prototypeKeys))
        throw new Error(`Object.prototype changed: ${polluted.join(', ')}`);
      const profileIds = new Set(vault.listProfiles().map((p) => p.id));
      const orgIds = new Set(vault.listOrgs().map((o) => o.record.id));
      for (const p of profileIds) if (!SAFE_ID.test(p)) throw new Error(`unsafe profile id ${p}`);
      for (const { record } of vault.listOrgs()) {
        if (!SAFE_ID.test(record.id)) throw new Error(`unsafe org id ${record.id}`);
        if (record.profileId !== null && !profileIds.has(record.profileId))
          throw new Error(`org ${record.id} points at a profile that is not listed: ${record.profileId}`);
      }
      // A prototype key that is not a listed id is no record at all.
      for (const key of PROTO_KEYS) {
        if (!orgIds.has(key) && vault.getOrg(key) !== null) throw new Error(`getOrg(${key}) found a record`);
        if (!profileIds.has(key) && vault.getProfile(key) !== null) throw new Error(`getProfile(${key}) found one`);
      }
      if (report !== null) {
        const doc = JSON.parse(input) as { orgs: unknown[]; profiles: unknown[] };
        const { imported, skipped } = report as { imported: number; skipped: unknown[] };
        if (imported + skipped.length !== doc.orgs.length + doc.profiles.length)
          throw new Error('the report does not account for every entry');
      }
    } finally {
      // Back to the baseline for the next input (orgs first: they may use an imported profile).
      for (const { record } of vault.listOrgs()) if (!BASE_ORGS.includes(record.id)) await vault.deleteOrg(record.id);
      for (const p of vault.listProfiles()) if (!BASE_PROFILES.includes(p.id)) await vault.deleteProfile(p.id);
    }
  },
};

export default target;
