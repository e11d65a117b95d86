import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appProfileRecordSchema, DEFAULT_SETTINGS, orgRecordSchema, settingsSchema, type StoreShape } from './records';

/** What the vault needs of electron-store / conf (electron-store extends conf, so both fit). */
export interface ConfLike {
  readonly path: string;
  get store(): Record<string, unknown>;
  set(key: string, value: unknown): void;
}

export interface ConfOptions {
  cwd: string;
  configName: string;
  projectVersion: string;
  schema: Record<string, object>;
  migrations: Record<string, (store: { get(key: string): unknown; set(key: string, value: unknown): void }) => void>;
  configFileMode: number;
  clearInvalidConfig: boolean;
  watch: boolean;
  accessPropertiesByDotNotation: boolean;
  defaults: Record<string, unknown>;
}

export type StoreFactory = (options: ConfOptions) => ConfLike;

export const STORE_NAME = 'store';
export const STORE_VERSION = '1.1.0';

const OPTIONS = (cwd: string): ConfOptions => ({
  cwd,
  configName: STORE_NAME,
  projectVersion: STORE_VERSION,
  // conf/electron-store check this JSON schema on open and on every write; each record is also checked with
  // zod (records.ts) on open, so one bad org is dropped and reported instead of failing the whole file.
  schema: {
    orgs: { type: 'object', additionalProperties: { type: 'object', required: ['id', 'label'] } },
    profiles: { type: 'object', additionalProperties: { type: 'object', required: ['id', 'consumerKey'] } },
    settings: { type: 'object' },
  },
  migrations: {
    // 1.1.0 added `needsSignIn` and `identityUrl` to orgs.
    '1.1.0': (store) => {
      const orgs = (store.get('orgs') ?? {}) as Record<string, Record<string, unknown>>;
      for (const org of Object.values(orgs)) {
        org['needsSignIn'] ??= false;
        org['identityUrl'] ??= null;
      }
      store.set('orgs', orgs);
    },
  },
  configFileMode: 0o600,
  clearInvalidConfig: false,
  watch: false,
  accessPropertiesByDotNotation: false,
  defaults: { orgs: {}, profiles: {}, settings: DEFAULT_SETTINGS },
});

export interface OpenedStore {
  conf: ConfLike;
  data: StoreShape;
  /** What was recovered from, in words, or null. */
  recovery: string | null;
}

/**
 * Opens the metadata store. An unreadable file is moved aside to `store.corrupt-<time>.json` (kept, never
 * deleted) and the app starts with whatever records still validate (SECURITY.md item 20).
 */
export function openMetadataStore(dataDir: string, factory: StoreFactory, now: () => number = Date.now): OpenedStore {
  const file = join(dataDir, `${STORE_NAME}.json`);
  const asideName = () =>
    join(dataDir, `${STORE_NAME}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}.json`);
  let recovery: string | null = null;
  let original: string | null = null;

  if (existsSync(file)) {
    original = readFileSync(file, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(original);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      const aside = asideName();
      renameSync(file, aside);
      original = null;
      recovery = `The org list could not be read (the file is damaged), so the app started with an empty list. It was kept as ${aside}.`;
    }
  }

  // Migrations run inside conf/electron-store; records are checked afterwards, in their current shape.
  const conf = factory(OPTIONS(dataDir));
  const checked = checkRecords(conf.store);
  if ((checked.dropped.length > 0 || checked.badTopLevel) && original !== null) {
    const aside = asideName();
    writeFileSync(aside, original, { mode: 0o600 });
    conf.set('orgs', checked.clean.orgs);
    conf.set('profiles', checked.clean.profiles);
    conf.set('settings', checked.clean.settings);
    recovery = `Some saved data did not pass validation and was left out (${checked.dropped.join(', ') || 'top-level fields'}); everything else was recovered. The original file was kept as ${aside}.`;
  }
  return { conf, data: checked.clean, recovery };
}

function checkRecords(raw: Record<string, unknown>): { clean: StoreShape; dropped: string[]; badTopLevel: boolean } {
  const dropped: string[] = [];
  const clean: StoreShape = { orgs: {}, profiles: {}, settings: { ...DEFAULT_SETTINGS } };
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  let badTopLevel = false;
  const orgs = raw['orgs'] ?? {};
  const profiles = raw['profiles'] ?? {};
  if (!isMap(orgs) || !isMap(profiles)) badTopLevel = true;
  if (isMap(orgs)) {
    for (const [key, value] of Object.entries(orgs)) {
      const r = orgRecordSchema.safeParse(value);
      if (r.success && r.data.id === key) clean.orgs[key] = r.data;
      else dropped.push(`org ${JSON.stringify(key).slice(0, 40)}`);
    }
  }
  if (isMap(profiles)) {
    for (const [key, value] of Object.entries(profiles)) {
      const r = appProfileRecordSchema.safeParse(value);
      if (r.success && r.data.id === key) clean.profiles[key] = r.data;
      else dropped.push(`app profile ${JSON.stringify(key).slice(0, 40)}`);
    }
  }
  if (raw['settings'] !== undefined) {
    const s = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...(isMap(raw['settings']) ? raw['settings'] : {}) });
    if (s.success && isMap(raw['settings'])) clean.settings = s.data;
    else dropped.push('settings');
  }
  return { clean, dropped, badTopLevel };
}
