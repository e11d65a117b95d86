import { randomUUID } from 'node:crypto';
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ImportReport, StorageStatus, TokenKind } from '../../preload/contract';
import { AppError } from '../errors';
import { KeyedQueue, writeFileAtomic } from './atomic-file';
import type { Cipher } from './cipher';
import { openMetadataStore, type ConfLike, type StoreFactory } from './metadata-store';
import {
  appProfileRecordSchema,
  orgRecordSchema,
  tokenMetaSchema,
  type AppProfileRecord,
  type OrgRecord,
  type Settings,
  type StoreShape,
  type TokenMeta,
} from './records';

/**
 * Why tokens do not live in electron-store: it rewrites its whole JSON file on every `set`, so with 1,000
 * orgs one refreshed token would rewrite megabytes. Each org instead has its own small file (token
 * metadata + sealed tokens), so a token update costs the same with 10 orgs and with 1,000; the metadata
 * store only changes when an org's identity or label does. See `npm run bench`.
 */
const ownerFileSchema = z.object({
  v: z.literal(1),
  tokens: z.array(tokenMetaSchema),
  secrets: z.record(z.string(), z.string()),
});
type OwnerFile = z.infer<typeof ownerFileSchema>;

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;
const EXPORT_FORMAT = 'sf-token-inspector-export';

export interface OrgEntry {
  record: OrgRecord;
  tokens: TokenMeta[];
}

export interface VaultOptions {
  dataDir: string;
  cipher: Cipher;
  storeFactory: StoreFactory;
  now?: () => number;
}

/** The secrets an app profile may have. */
export type ProfileSecretName = 'clientSecret' | 'privateKey';
export type ProfileSecrets = Partial<Record<ProfileSecretName, string>>;

/** Tokens to store for an org; `value: null` keeps the secret already stored for that kind. */
export interface TokenInput {
  meta: TokenMeta;
  value: string | null;
}

/** Orgs, app profiles, settings and their encrypted secrets (SECURITY.md items 17-20). */
export class Vault {
  readonly #dir: string;
  readonly #cipher: Cipher;
  readonly #conf: ConfLike;
  readonly #data: StoreShape;
  readonly #files = new Map<string, OwnerFile>();
  readonly #session = new Map<string, Record<string, string>>();
  readonly #queue = new KeyedQueue();
  readonly #now: () => number;
  #recovery: string | null;

  private constructor(options: VaultOptions, conf: ConfLike, data: StoreShape, recovery: string | null) {
    this.#dir = options.dataDir;
    this.#cipher = options.cipher;
    this.#conf = conf;
    this.#data = data;
    this.#now = options.now ?? Date.now;
    this.#recovery = recovery;
  }

  static async open(options: VaultOptions): Promise<Vault> {
    const { conf, data, recovery } = openMetadataStore(options.dataDir, options.storeFactory, options.now);
    const vault = new Vault(options, conf, data, recovery);
    await vault.#loadOwnerFiles();
    return vault;
  }

  // ------------------------------------------------------------------ status and settings

  get settings(): Settings {
    return this.#data.settings;
  }

  /** True when secrets are written to disk (encrypted); false: they live until the app quits. */
  get persistsSecrets(): boolean {
    const backend = this.#cipher.backend;
    if (backend === 'unavailable') return false;
    return backend !== 'basic-text' || this.#data.settings.weakStorageOptIn;
  }

  status(): StorageStatus {
    const backend = this.#cipher.backend;
    let banner: string | null = null;
    if (backend === 'unavailable') {
      banner =
        'No system keychain is available, so tokens are kept only until you quit the app. Unlock or set up your keychain and restart.';
    } else if (backend === 'basic-text' && !this.#data.settings.weakStorageOptIn) {
      banner =
        'No system keyring was found (on Linux: GNOME Keyring or KWallet), so tokens are kept only until you quit. Install and unlock a keyring and restart, or allow weaker storage in Settings.';
    } else if (backend === 'basic-text') {
      banner =
        'Tokens are saved with weak protection because no system keyring was found. Install a keyring for real encryption.';
    }
    return {
      backend,
      persistent: this.persistsSecrets,
      weakStorageOptIn: this.#data.settings.weakStorageOptIn,
      banner,
      recovery: this.#recovery,
    };
  }

  async setSettings(patch: Partial<Settings>): Promise<Settings> {
    const wasPersisting = this.persistsSecrets;
    this.#data.settings = { ...this.#data.settings, ...patch };
    this.#conf.set('settings', this.#data.settings);
    if (!wasPersisting && this.persistsSecrets) {
      // Opted in to storing: seal what this session holds and write it.
      for (const key of [...this.#session.keys()]) {
        await this.#mutate(key, async (file, session) => {
          for (const [name, value] of Object.entries(session)) file.secrets[name] = await this.#cipher.encrypt(value);
          return {};
        });
      }
    }
    return this.#data.settings;
  }

  // ------------------------------------------------------------------ orgs

  listOrgs(): OrgEntry[] {
    return Object.values(this.#data.orgs).map((record) => ({
      record,
      tokens: this.#files.get(orgKey(record.id))?.tokens ?? [],
    }));
  }

  getOrg(id: string): OrgEntry | null {
    const record = this.#data.orgs[id];
    return record ? { record, tokens: this.#files.get(orgKey(id))?.tokens ?? [] } : null;
  }

  requireOrg(id: string): OrgEntry {
    const entry = this.getOrg(id);
    if (!entry)
      throw new AppError('org/not_found', 'This org is no longer in the list. Refresh the list or add it again.');
    return entry;
  }

  newId(): string {
    return randomUUID();
  }

  async saveOrg(record: OrgRecord): Promise<void> {
    checkId(record.id);
    const clean = orgRecordSchema.parse(record);
    this.#data.orgs[clean.id] = clean;
    await this.#queue.run('store', async () => this.#conf.set('orgs', this.#data.orgs));
  }

  async deleteOrg(id: string): Promise<void> {
    delete this.#data.orgs[id];
    await this.#queue.run('store', async () => this.#conf.set('orgs', this.#data.orgs));
    await this.#deleteOwner(orgKey(id));
  }

  /** Replaces the org's token set. A token without a value keeps the secret stored for its kind. */
  async saveTokens(id: string, tokens: TokenInput[]): Promise<void> {
    const metas = tokens.map((t) => tokenMetaSchema.parse(t.meta));
    await this.#mutate(orgKey(id), async (file, session) => {
      const secrets: Record<string, string> = {};
      const kept: Record<string, string> = {};
      for (const { meta, value } of tokens) {
        if (value === null) {
          if (file.secrets[meta.kind] !== undefined) secrets[meta.kind] = file.secrets[meta.kind]!;
          else if (session[meta.kind] !== undefined) kept[meta.kind] = session[meta.kind]!;
        } else if (this.persistsSecrets) secrets[meta.kind] = await this.#cipher.encrypt(value);
        else kept[meta.kind] = value;
      }
      file.tokens = metas;
      file.secrets = secrets;
      return kept;
    });
  }

  /** Changes one token's metadata (status, expiry, last checked) without touching its secret. */
  async updateTokenMeta(id: string, kind: TokenKind, patch: Partial<TokenMeta>): Promise<void> {
    await this.#mutate(orgKey(id), async (file) => {
      file.tokens = file.tokens.map((t) => (t.kind === kind ? tokenMetaSchema.parse({ ...t, ...patch }) : t));
    });
  }

  /** Removes one token and its secret (after a revocation). */
  async dropToken(id: string, kind: TokenKind): Promise<void> {
    await this.#mutate(orgKey(id), async (file, session) => {
      file.tokens = file.tokens.filter((t) => t.kind !== kind);
      delete file.secrets[kind];
      delete session[kind];
    });
  }

  /**
   * The raw token, or null when none is stored. A secret that cannot be decrypted marks the org
   * "needs sign-in" (its metadata is kept) and gives `org/needs_sign_in`.
   */
  async readToken(id: string, kind: TokenKind): Promise<string | null> {
    try {
      return await this.#readSecret(orgKey(id), kind);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'vault/decrypt_failed') throw e;
      const record = this.#data.orgs[id];
      if (record) await this.saveOrg({ ...record, needsSignIn: true, updatedAt: this.#now() });
      throw new AppError(
        'org/needs_sign_in',
        `${e.message.replace(/ Sign in to this org again\.$/, '')} Re-authenticate this org to get new tokens.`,
        {
          cause: e,
        },
      );
    }
  }

  // ------------------------------------------------------------------ app profiles

  listProfiles(): AppProfileRecord[] {
    return Object.values(this.#data.profiles);
  }

  getProfile(id: string): AppProfileRecord | null {
    return this.#data.profiles[id] ?? null;
  }

  /**
   * Saves an app profile and its secrets: each of `secrets` is a new value, `''` to remove it, or
   * undefined to keep the stored one. The consumer secret and the JWT bearer private key are sealed
   * like tokens.
   */
  async saveProfile(
    profile: Omit<AppProfileRecord, 'hasSecret' | 'hasPrivateKey'>,
    secrets: ProfileSecrets = {},
  ): Promise<AppProfileRecord> {
    checkId(profile.id);
    const key = profileKey(profile.id);
    const changes = Object.entries(secrets).filter((e): e is [ProfileSecretName, string] => e[1] !== undefined);
    if (changes.length > 0) {
      await this.#mutate(key, async (file, session): Promise<Record<string, string>> => {
        const kept = { ...session };
        for (const [name, value] of changes) {
          delete file.secrets[name];
          delete kept[name];
          if (value === '') continue;
          if (this.persistsSecrets) file.secrets[name] = await this.#cipher.encrypt(value);
          else kept[name] = value;
        }
        return kept;
      });
    }
    const has = async (name: ProfileSecretName) => (await this.#readSecret(key, name).catch(() => null)) !== null;
    const record = appProfileRecordSchema.parse({
      ...profile,
      hasSecret: await has('clientSecret'),
      hasPrivateKey: await has('privateKey'),
    });
    this.#data.profiles[record.id] = record;
    await this.#queue.run('store', async () => this.#conf.set('profiles', this.#data.profiles));
    return record;
  }

  async deleteProfile(id: string): Promise<void> {
    if (Object.values(this.#data.orgs).some((o) => o.profileId === id)) {
      throw new AppError(
        'profile/in_use',
        'Orgs still use this app profile. Sign out of them or re-authenticate them with another profile first.',
      );
    }
    delete this.#data.profiles[id];
    await this.#queue.run('store', async () => this.#conf.set('profiles', this.#data.profiles));
    await this.#deleteOwner(profileKey(id));
  }

  /** A profile's consumer secret or JWT bearer private key, or null when none is stored. */
  async readProfileSecret(id: string, name: ProfileSecretName = 'clientSecret'): Promise<string | null> {
    try {
      return await this.#readSecret(profileKey(id), name);
    } catch (e) {
      if (e instanceof AppError && e.code === 'vault/decrypt_failed') {
        throw new AppError(
          'vault/decrypt_failed',
          `The ${name === 'clientSecret' ? 'client secret' : 'private key'} of this app profile could not be decrypted. Enter it again in the app profile.`,
          { cause: e },
        );
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------ export and import

  /** Orgs and app profiles as JSON, without any secret or token. */
  exportData(): string {
    const orgs = Object.values(this.#data.orgs).map(({ needsSignIn: _n, ...rest }) => rest);
    const profiles = Object.values(this.#data.profiles).map(({ hasSecret: _h, hasPrivateKey: _k, ...rest }) => rest);
    return JSON.stringify(
      { format: EXPORT_FORMAT, version: 1, exportedAt: new Date(this.#now()).toISOString(), orgs, profiles },
      null,
      2,
    );
  }

  /** Adds the valid orgs and profiles of an export; every skipped entry is reported with its reason. */
  async importData(json: string): Promise<ImportReport> {
    let doc: unknown;
    try {
      doc = JSON.parse(json);
    } catch {
      throw new AppError('import/invalid', 'This file is not JSON. Choose a file exported by SF Token Inspector.');
    }
    const top = z
      .object({
        format: z.literal(EXPORT_FORMAT),
        version: z.literal(1),
        orgs: z.array(z.unknown()),
        profiles: z.array(z.unknown()),
      })
      .safeParse(doc);
    if (!top.success)
      throw new AppError(
        'import/invalid',
        'This file is not an SF Token Inspector export (format or version is missing or unknown).',
      );
    const report: ImportReport = { imported: 0, skipped: [] };
    let index = 0;
    for (const raw of top.data.profiles) {
      const r = appProfileRecordSchema.omit({ hasSecret: true, hasPrivateKey: true }).safeParse(raw);
      if (!r.success) report.skipped.push({ index, reason: `App profile ${index + 1}: ${describe(r.error)}` });
      else if (!SAFE_ID.test(r.data.id))
        report.skipped.push({ index, reason: `App profile ${index + 1}: its id has characters that are not allowed.` });
      else if (this.#data.profiles[r.data.id])
        report.skipped.push({ index, reason: `App profile "${r.data.name}" is already in the app.` });
      else {
        await this.saveProfile(r.data);
        report.imported++;
      }
      index++;
    }
    for (const raw of top.data.orgs) {
      const r = orgRecordSchema.omit({ needsSignIn: true }).safeParse(raw);
      if (!r.success)
        report.skipped.push({ index, reason: `Org ${index + 1 - top.data.profiles.length}: ${describe(r.error)}` });
      else if (!SAFE_ID.test(r.data.id))
        report.skipped.push({ index, reason: `Org "${r.data.label}": its id has characters that are not allowed.` });
      else if (this.#data.orgs[r.data.id])
        report.skipped.push({ index, reason: `Org "${r.data.label}" is already in the list.` });
      else {
        const profileId = r.data.profileId && this.#data.profiles[r.data.profileId] ? r.data.profileId : null;
        await this.saveOrg({ ...r.data, profileId, needsSignIn: true });
        report.imported++;
      }
      index++;
    }
    return report;
  }

  // ------------------------------------------------------------------ files

  async #loadOwnerFiles(): Promise<void> {
    for (const folder of ['orgs', 'profiles'] as const) {
      const dir = join(this.#dir, folder);
      const names = await readdir(dir).catch(() => [] as string[]);
      await Promise.all(
        names
          .filter((n) => n.endsWith('.json') && SAFE_ID.test(n.slice(0, -5)))
          .map(async (name) => {
            const key = `${folder}/${name.slice(0, -5)}`;
            const path = join(dir, name);
            try {
              this.#files.set(key, ownerFileSchema.parse(JSON.parse(await readFile(path, 'utf8'))));
            } catch {
              const aside = `${path}.corrupt-${new Date(this.#now()).toISOString().replace(/[:.]/g, '-')}`;
              await rename(path, aside);
              const id = name.slice(0, -5);
              const record = folder === 'orgs' ? this.#data.orgs[id] : undefined;
              if (record) this.#data.orgs[id] = { ...record, needsSignIn: true };
              this.#recovery = [
                this.#recovery,
                `The saved tokens of ${record ? `"${record.label}"` : 'one entry'} were damaged and were kept as ${aside}; sign in to it again.`,
              ]
                .filter(Boolean)
                .join(' ');
            }
          }),
      );
    }
  }

  async #readSecret(key: string, name: string): Promise<string | null> {
    const sessionValue = this.#session.get(key)?.[name];
    if (sessionValue !== undefined) return sessionValue;
    const sealed = this.#files.get(key)?.secrets[name];
    if (sealed === undefined) return null;
    const { plain, shouldReEncrypt } = await this.#cipher.decrypt(sealed);
    if (shouldReEncrypt && this.persistsSecrets) {
      await this.#mutate(key, async (file) => {
        if (file.secrets[name] === sealed) file.secrets[name] = await this.#cipher.encrypt(plain);
      });
    }
    return plain;
  }

  /**
   * Applies one change to an owner's file and writes it, atomically. Changes to one file run one after
   * another in call order, so concurrent updates never overwrite each other. `change` may return the
   * session-only secrets the owner now has (undefined leaves them as they are).
   */
  #mutate(
    key: string,
    change: (file: OwnerFile, session: Record<string, string>) => Promise<Record<string, string> | void>,
  ): Promise<number> {
    return this.#queue.run(key, async () => {
      const file = this.#files.get(key) ?? emptyFile();
      const session = this.#session.get(key) ?? {};
      const nextSession = await change(file, session);
      this.#files.set(key, file);
      this.#session.set(key, nextSession ?? session);
      const onDisk: OwnerFile = this.persistsSecrets ? file : { ...file, secrets: {} };
      return writeFileAtomic(join(this.#dir, `${key}.json`), JSON.stringify(onDisk));
    });
  }

  async #deleteOwner(key: string): Promise<void> {
    this.#files.delete(key);
    this.#session.delete(key);
    await this.#queue.run(key, () => rm(join(this.#dir, `${key}.json`), { force: true }));
  }
}

function orgKey(id: string): string {
  checkId(id);
  return `orgs/${id}`;
}

function profileKey(id: string): string {
  checkId(id);
  return `profiles/${id}`;
}

function checkId(id: string): void {
  if (!SAFE_ID.test(id)) throw new AppError('internal', 'An internal id has characters that are not allowed.');
}

function emptyFile(): OwnerFile {
  return { v: 1, tokens: [], secrets: {} };
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'invalid';
}
