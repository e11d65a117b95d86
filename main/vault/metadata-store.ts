import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { KeyedQueue } from './atomic-file';
import { withIo } from './io-error';
import {
  appProfileRecordSchema,
  DEFAULT_SETTINGS,
  EMPTY_NOTIFICATION_LOG,
  NOTIFICATION_HISTORY_LIMIT,
  notificationEntrySchema,
  orgRecordSchema,
  SAID_CAUSES_LIMIT,
  ownValue,
  settingsSchema,
  type AppProfileRecord,
  type NotificationLog,
  type OrgRecord,
  type Settings,
  type StoreShape,
} from './records';

/** What the vault needs of electron-store / conf (electron-store extends conf, so both fit). */
export interface ConfLike {
  readonly path: string;
  get store(): Record<string, unknown>;
  set(key: string, value: unknown): void;
}

export interface ConfOptions {
  cwd: string;
  /**
   * The file name without `.json`. electron-store reads only `name` (default `config`) and overwrites
   * `configName` with it, so without `name` the app's file would be `config.json`.
   */
  name: typeof STORE_NAME;
  /** The same name as conf spells it, for code that opens the store with conf directly (bench/run.ts). */
  configName: typeof STORE_NAME;
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
/** The file electron-store wrote before it was given `name` (it defaults to `config`). */
const LEGACY_STORE_FILE = 'config.json';

/** A top-level field of the store file: a map of records by id, or a plain object. */
type FieldRule =
  { form: 'map'; required: readonly string[]; record: string; whole: string } | { form: 'object'; whole: string };

/**
 * The rules conf/electron-store check on open and on every write, stated once: the JSON schema in OPTIONS
 * and the pre-check that runs before the store opens are both derived from this, so the pre-check removes
 * exactly what would make the store's constructor throw "Config schema violation". Each record is then
 * checked in full with zod (records.ts).
 */
const FILE_RULES = {
  orgs: { form: 'map', required: ['id', 'label'], record: 'org', whole: 'the whole org list' },
  profiles: {
    form: 'map',
    required: ['id', 'consumerKey'],
    record: 'app profile',
    whole: 'the whole app profile list',
  },
  settings: { form: 'object', whole: 'the settings (the defaults are used)' },
  notifications: { form: 'object', whole: 'the notification history' },
} as const satisfies Record<keyof StoreShape, FieldRule>;

const RULES: [string, FieldRule][] = Object.entries(FILE_RULES);

/** A JSON object as JSON schema's `type: 'object'` means it: not null, not an array. */
function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON schema conf/electron-store are given, derived from FILE_RULES. */
export const STORE_SCHEMA: Record<string, object> = Object.fromEntries(
  RULES.map(([key, rule]) => [
    key,
    rule.form === 'map'
      ? { type: 'object', additionalProperties: { type: 'object', required: [...rule.required] } }
      : { type: 'object' },
  ]),
);

/**
 * The raw file checked against FILE_RULES (what STORE_SCHEMA states): a top-level field of the wrong type
 * and a record that is not an object or misses a required field are left out; everything else, including
 * conf's `__internal__` (the migration version), is kept as it is.
 */
export function precheckStoreFile(raw: Record<string, unknown>): { cleaned: Record<string, unknown>; left: string[] } {
  const left: string[] = [];
  const cleaned = Object.fromEntries(
    Object.entries(raw).flatMap(([key, value]): [string, unknown][] => {
      const rule = RULES.find(([name]) => name === key)?.[1];
      if (key === INTERNAL_KEY) {
        // conf parses the last migration's version with semver and throws on garbage: forget it instead, so
        // the (idempotent) migrations run again.
        const migrations = isJsonObject(value) ? ownValue(value, 'migrations') : undefined;
        const version = isJsonObject(migrations) ? ownValue(migrations, 'version') : '';
        if (typeof version === 'string' && SEMVER.test(version)) return [[key, value]];
        left.push('the record of which migrations ran (they run again)');
        return [];
      }
      if (!rule) return [[key, value]];
      if (!isJsonObject(value)) {
        left.push(rule.whole);
        return [];
      }
      if (rule.form === 'object') return [[key, value]];
      const kept = Object.entries(value).filter(([id, record]) => {
        const ok = isJsonObject(record) && rule.required.every((field) => Object.hasOwn(record, field));
        if (!ok) left.push(`${rule.record} ${quote(id)}`);
        return ok;
      });
      return [[key, Object.fromEntries(kept)]];
    }),
  );
  return { cleaned, left };
}

const quote = (id: string): string => JSON.stringify(id).slice(0, 40);

/** Where conf keeps the version of the last migration that ran. */
const INTERNAL_KEY = '__internal__';
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** The options the app's store is opened with (exported so the migrations can be tested on odd data). */
export const OPTIONS = (cwd: string): ConfOptions => ({
  cwd,
  name: STORE_NAME,
  configName: STORE_NAME,
  projectVersion: STORE_VERSION,
  schema: STORE_SCHEMA,
  migrations: {
    // 1.1.0 added `needsSignIn` and `identityUrl` to orgs. Anything that is not an org object is left for
    // the record check to drop, rather than failing the migration (which would stop start-up).
    '1.1.0': (store) => {
      const orgs = store.get('orgs');
      if (!isJsonObject(orgs)) return;
      for (const org of Object.values(orgs)) {
        if (!isJsonObject(org)) continue;
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
  defaults: { orgs: {}, profiles: {}, settings: DEFAULT_SETTINGS, notifications: EMPTY_NOTIFICATION_LOG },
});

/**
 * What the store recovered from on open (storage-status.ts words it): a file that could not be read at all,
 * or the parts of it that were `left` out; either way the original is `keptAs`.
 */
export type StoreRecovery =
  { kind: 'unreadable'; keptAs: string } | { kind: 'left_out'; left: string[]; keptAs: string };

export interface OpenedStore {
  conf: ConfLike;
  data: StoreShape;
  recovery: StoreRecovery | null;
}

/**
 * Opens the metadata store. An unreadable file is moved aside to `store.corrupt-<time>.json` (kept, never
 * deleted) and the app starts with whatever records still validate, so one damaged record never costs the
 * others (see docs/SECURITY.md, "Tokens and files").
 */
export function openMetadataStore(dataDir: string, factory: StoreFactory, now: () => number = Date.now): OpenedStore {
  const file = join(dataDir, `${STORE_NAME}.json`);
  const asideName = (): string => {
    const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
    let aside = join(dataDir, `${STORE_NAME}.corrupt-${stamp}.json`);
    for (let n = 1; existsSync(aside); n++) aside = join(dataDir, `${STORE_NAME}.corrupt-${stamp}-${n}.json`);
    return aside;
  };
  let recovery: StoreRecovery | null = null;
  /** The file's bytes as they were before anything here or in the store touched them. */
  let original: Buffer | null = null;
  /** Where `original` was kept, once it has been. */
  let keptAs: string | null = null;
  const left: string[] = [];

  // Earlier builds let electron-store name the file config.json; take it over so no org is lost.
  const legacy = join(dataDir, LEGACY_STORE_FILE);
  if (!existsSync(file) && existsSync(legacy)) renameSync(legacy, file);

  if (existsSync(file)) {
    original = readFileSync(file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(original.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (!isJsonObject(parsed)) {
      const aside = asideName();
      renameSync(file, aside);
      original = null;
      recovery = { kind: 'unreadable', keptAs: aside };
    } else {
      const checked = precheckStoreFile(parsed);
      if (checked.left.length > 0) {
        // The copy first, then the cleaned file replaces the original: a crash in between leaves both.
        keptAs = keepAside(asideName(), original);
        writeFileReplacing(file, JSON.stringify(checked.cleaned, undefined, '\t'));
        left.push(...checked.left);
      }
    }
  }

  // Migrations run inside conf/electron-store; records are checked afterwards, in their current shape.
  const conf = factory(OPTIONS(dataDir));
  const checked = checkRecords(conf.store);
  if (checked.dropped.length > 0 || checked.badTopLevel) {
    if (keptAs === null && original !== null) keptAs = keepAside(asideName(), original);
    conf.set('orgs', Object.fromEntries(checked.clean.orgs));
    conf.set('profiles', Object.fromEntries(checked.clean.profiles));
    conf.set('settings', checked.clean.settings);
    conf.set('notifications', checked.clean.notifications);
    left.push(...checked.dropped);
    if (checked.badTopLevel && checked.dropped.length === 0) left.push('fields of the wrong type');
  }
  if (left.length > 0 && keptAs !== null) {
    recovery = { kind: 'left_out', left, keptAs };
  }
  return { conf, data: checked.clean, recovery };
}

/** Keeps the original bytes, unchanged, under `aside` (a name not yet taken); returns `aside`. */
function keepAside(aside: string, original: Buffer): string {
  writeFileSync(aside, original, { mode: 0o600, flag: 'wx' });
  return aside;
}

/** Writes a file with mode 0600 through a temporary file and a rename, so a crash never leaves half of it. */
function writeFileReplacing(path: string, content: string): void {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Every record checked in full. Records go into Maps and fields are read as own properties only, so a record
 * keyed `__proto__`, `constructor` or `toString` is an ordinary record, never a prototype.
 */
function checkRecords(raw: Record<string, unknown>): { clean: StoreShape; dropped: string[]; badTopLevel: boolean } {
  const dropped: string[] = [];
  const clean: StoreShape = {
    orgs: new Map(),
    profiles: new Map(),
    settings: { ...DEFAULT_SETTINGS },
    notifications: EMPTY_NOTIFICATION_LOG,
  };
  let badTopLevel = false;
  const orgs = ownValue(raw, 'orgs') ?? {};
  const profiles = ownValue(raw, 'profiles') ?? {};
  if (!isJsonObject(orgs) || !isJsonObject(profiles)) badTopLevel = true;
  if (isJsonObject(orgs)) {
    for (const [key, value] of Object.entries(orgs)) {
      const r = orgRecordSchema.safeParse(value);
      if (r.success && r.data.id === key) clean.orgs.set(key, r.data);
      else dropped.push(`${FILE_RULES.orgs.record} ${quote(key)}`);
    }
  }
  if (isJsonObject(profiles)) {
    for (const [key, value] of Object.entries(profiles)) {
      const r = appProfileRecordSchema.safeParse(value);
      if (r.success && r.data.id === key) clean.profiles.set(key, r.data);
      else dropped.push(`${FILE_RULES.profiles.record} ${quote(key)}`);
    }
  }
  const settings = ownValue(raw, 'settings');
  if (settings !== undefined) {
    const s = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...(isJsonObject(settings) ? settings : {}) });
    if (s.success && isJsonObject(settings)) clean.settings = s.data;
    else dropped.push(FILE_RULES.settings.whole);
  }
  const log = ownValue(raw, 'notifications');
  if (log !== undefined) {
    const checked = checkNotificationLog(log);
    clean.notifications = checked.log;
    if (checked.dropped) dropped.push(FILE_RULES.notifications.whole);
  }
  return { clean, dropped, badTopLevel };
}

/** The notification history entry by entry: a damaged entry is left out, the others kept. */
function checkNotificationLog(raw: unknown): { log: NotificationLog; dropped: boolean } {
  if (!isJsonObject(raw)) return { log: EMPTY_NOTIFICATION_LOG, dropped: true };
  const entries = ownValue(raw, 'entries');
  const said = ownValue(raw, 'said');
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const log: NotificationLog = {
    entries: list(entries)
      .flatMap((e) => {
        const r = notificationEntrySchema.safeParse(e);
        return r.success ? [r.data] : [];
      })
      .slice(-NOTIFICATION_HISTORY_LIMIT),
    said: list(said)
      .filter((k): k is string => typeof k === 'string' && k.length <= 300)
      .slice(-SAID_CAUSES_LIMIT),
  };
  const dropped =
    !Array.isArray(entries) ||
    !Array.isArray(said) ||
    log.entries.length < Math.min(entries.length, NOTIFICATION_HISTORY_LIMIT) ||
    log.said.length < Math.min(said.length, SAID_CAUSES_LIMIT);
  return { log, dropped };
}

/** The next value of one field of the store. */
export type FieldChange =
  | { field: 'orgs'; value: Map<string, OrgRecord> }
  | { field: 'profiles'; value: Map<string, AppProfileRecord> }
  | { field: 'settings'; value: Settings }
  | { field: 'notifications'; value: NotificationLog };

/**
 * The records and settings of an open store, as the vault holds them: records by id in Maps, so an id is
 * only ever an id (`__proto__` and `toString` included). Changes run one at a time in call order, each
 * planned on the latest state, and memory takes a change only once it is written; a file-system error is
 * `vault/io` and changes nothing.
 */
export class MetadataStore {
  readonly #conf: ConfLike;
  readonly #data: StoreShape;
  readonly #queue: KeyedQueue;
  readonly #assertWritable: () => Promise<void>;

  /** `assertWritable` runs before each write and throws when the vault may no longer write. */
  constructor(opened: OpenedStore, queue: KeyedQueue, assertWritable: () => Promise<void>) {
    this.#conf = opened.conf;
    this.#data = { ...opened.data };
    this.#queue = queue;
    this.#assertWritable = assertWritable;
  }

  get orgs(): ReadonlyMap<string, OrgRecord> {
    return this.#data.orgs;
  }

  get profiles(): ReadonlyMap<string, AppProfileRecord> {
    return this.#data.profiles;
  }

  get settings(): Settings {
    return this.#data.settings;
  }

  get notifications(): NotificationLog {
    return this.#data.notifications;
  }

  /**
   * One change, in order with the others: `plan` (run in turn, on the latest state) gives the field's next
   * value, or null when there is nothing to change. `what` names it in a `vault/io` error.
   */
  change(what: string, plan: () => FieldChange | null): Promise<void> {
    return this.#queue.run('store', async () => {
      const planned = plan();
      if (planned === null) return;
      await withIo(what, this.#conf.path, async () => {
        await this.#assertWritable();
        const { field, value } = planned;
        this.#conf.set(field, value instanceof Map ? Object.fromEntries(value) : value);
      });
      this.#take(planned);
    });
  }

  #take(change: FieldChange): void {
    if (change.field === 'orgs') this.#data.orgs = change.value;
    else if (change.field === 'profiles') this.#data.profiles = change.value;
    else if (change.field === 'notifications') this.#data.notifications = change.value;
    else this.#data.settings = change.value;
  }
}
