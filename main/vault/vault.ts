import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ImportReport, StorageStatus, TokenKind } from '../../preload/contract';
import { AppError } from '../errors';
import { KeyedQueue, TEMP_SUFFIX, writeFileAtomic } from './atomic-file';
import type { Cipher } from './cipher';
import { decodeExport, encodeExport } from './export-format';
import { withIo } from './io-error';
import { LOCK_FILE, VaultLock } from './lock';
import { openMetadataStore, STORE_NAME, type ConfLike, type StoreFactory } from './metadata-store';
import {
  appProfileRecordSchema,
  orgRecordSchema,
  ownValue,
  SAFE_ID,
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
const profileFieldsSchema = appProfileRecordSchema.omit({ hasSecret: true, hasPrivateKey: true });
type ProfileFields = z.infer<typeof profileFieldsSchema>;
const ownerFileSchema = z.object({
  v: z.literal(1),
  tokens: z.array(tokenMetaSchema),
  secrets: z.record(z.string(), z.string()),
  /**
   * An app profile's file also holds the profile's fields as last saved with these secrets: it is written
   * before the metadata store, so after a crash between the two `open` rolls the store forward to it.
   */
  profile: profileFieldsSchema.optional(),
});
type OwnerFile = z.infer<typeof ownerFileSchema>;
/** Secrets by name (`access`, `clientSecret`, …), in objects without a prototype. */
type Secrets = Record<string, string>;

export interface OrgEntry {
  record: OrgRecord;
  tokens: TokenMeta[];
}

export interface VaultOptions {
  dataDir: string;
  cipher: Cipher;
  storeFactory: StoreFactory;
  now?: () => number;
  /**
   * The caller already holds a process-level lock on this folder (in the app: Electron's single-instance
   * lock, which is keyed on the same userData folder), so a lock file found there is stale by construction
   * and is taken over. Without it a crashed app's lock could be kept by a reused pid or a changed host name.
   */
  staleLocksOnly?: boolean;
}

/** The secrets an app profile may have. */
export type ProfileSecretName = 'clientSecret' | 'privateKey';
export type ProfileSecrets = Partial<Record<ProfileSecretName, string>>;

/** Tokens to store for an org; `value: null` keeps the secret stored for that kind. */
export interface TokenInput {
  meta: TokenMeta;
  value: string | null;
}

/**
 * Orgs, app profiles, settings and their encrypted secrets (SECURITY.md items 17-20).
 *
 * Rules every method keeps:
 * - Records are kept in Maps, so an id is only ever an id (`__proto__` and `toString` included).
 * - Memory changes only after the write succeeded; a file-system error is `vault/io` and changes nothing.
 * - One vault per data folder: {@link VaultLock} is held from `open` to `close`.
 * - Crash safety: every file is replaced atomically, and writes that span two files go in an order whose
 *   half-done state `open` repairs, so each org and each app profile comes back as it was before the
 *   interrupted call or as that call left it: an owner file (tokens/secrets) without its org or app
 *   profile is removed (a delete that had begun, or a new profile not yet listed), an app profile whose
 *   file is newer than its record is rolled forward to the file, and `hasSecret`/`hasPrivateKey` follow
 *   the secrets on disk.
 */
export class Vault {
  readonly #dir: string;
  readonly #cipher: Cipher;
  readonly #conf: ConfLike;
  readonly #lock: VaultLock;
  #orgs: Map<string, OrgRecord>;
  #profiles: Map<string, AppProfileRecord>;
  #settings: Settings;
  readonly #files = new Map<string, OwnerFile>();
  readonly #session = new Map<string, Secrets>();
  readonly #queue = new KeyedQueue();
  readonly #now: () => number;
  #recovery: string | null;
  #closing: Promise<void> | null = null;

  private constructor(
    options: VaultOptions,
    lock: VaultLock,
    conf: ConfLike,
    data: StoreShape,
    recovery: string | null,
  ) {
    this.#dir = options.dataDir;
    this.#cipher = options.cipher;
    this.#lock = lock;
    this.#conf = conf;
    this.#orgs = data.orgs;
    this.#profiles = data.profiles;
    this.#settings = data.settings;
    this.#now = options.now ?? Date.now;
    this.#recovery = recovery;
  }

  /**
   * Opens the vault of `dataDir`, taking its lock: `vault/unavailable` when another vault (in this process
   * or another) has it open. A lock left by a process that no longer runs is taken over.
   */
  static async open(options: VaultOptions): Promise<Vault> {
    const lock = await VaultLock.acquire(options.dataDir, Date.now, {
      staleLocksOnly: options.staleLocksOnly ?? false,
    });
    try {
      const { conf, data, recovery } = openMetadataStore(options.dataDir, options.storeFactory, options.now);
      const vault = new Vault(options, lock, conf, data, recovery);
      // With a damaged store the lists may be incomplete (the original is kept aside to restore by hand):
      // then no owner file is removed for not being listed.
      const trusted = recovery === null && !(await hasKeptOriginal(options.dataDir));
      await vault.#finishInterrupted({ removeUnlisted: trusted });
      await vault.#loadOwnerFiles();
      await vault.#tidy({ removeOrphans: trusted });
      return vault;
    } catch (e) {
      await lock.release().catch(() => undefined);
      throw e;
    }
  }

  /**
   * Finishes the writes already asked for, then releases the data folder's lock. Later changes are refused
   * with `vault/unavailable`; reads keep working. Safe to call more than once.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#queue.idle();
      await this.#lock.release();
    })();
    return this.#closing;
  }

  // ------------------------------------------------------------------ status and settings

  get settings(): Settings {
    return this.#settings;
  }

  /** True when secrets are written to disk (encrypted); false: they live until the app quits. */
  get persistsSecrets(): boolean {
    return this.#persists(this.#settings);
  }

  #persists(settings: Settings): boolean {
    const backend = this.#cipher.backend;
    if (backend === 'unavailable') return false;
    return backend !== 'basic-text' || settings.weakStorageOptIn;
  }

  status(): StorageStatus {
    const backend = this.#cipher.backend;
    let banner: string | null = null;
    if (backend === 'unavailable') {
      banner =
        'No system keychain is available, so tokens are kept only until you quit the app. Unlock or set up your keychain and restart.';
    } else if (backend === 'basic-text' && !this.#settings.weakStorageOptIn) {
      banner =
        'No system keyring was found (on Linux: GNOME Keyring or KWallet), so tokens are kept only until you quit. Install and unlock a keyring and restart, or allow weaker storage in Settings.';
    } else if (backend === 'basic-text') {
      banner =
        'Tokens are saved with weak protection because no system keyring was found. Install a keyring for real encryption.';
    }
    return {
      backend,
      persistent: this.persistsSecrets,
      weakStorageOptIn: this.#settings.weakStorageOptIn,
      banner,
      recovery: this.#recovery,
    };
  }

  async setSettings(patch: Partial<Settings>): Promise<Settings> {
    this.#assertOpen();
    await this.#storeTask('the settings', () => {
      const next = { ...this.#settings, ...patch };
      return { field: 'settings', value: next, commit: () => (this.#settings = next) };
    });
    // Storing (now) allowed: seal and write what this session holds. A write that fails leaves the secret
    // in the session, and saving the settings again retries it.
    if (this.persistsSecrets) {
      for (const [key, session] of [...this.#session]) {
        if (Object.keys(session).length === 0) continue;
        if (key.startsWith('orgs/') && !this.#orgs.has(key.slice(5))) continue;
        await this.#mutate(key, 'the secrets kept for this session', async (file, kept) => {
          for (const [name, value] of Object.entries(kept)) file.secrets[name] = await this.#cipher.encrypt(value);
          return secrets();
        });
      }
    }
    return this.#settings;
  }

  // ------------------------------------------------------------------ orgs

  listOrgs(): OrgEntry[] {
    return [...this.#orgs.values()].map((record) => ({ record, tokens: this.#tokensOf(record.id) }));
  }

  getOrg(id: string): OrgEntry | null {
    const record = this.#orgs.get(id);
    return record ? { record, tokens: this.#tokensOf(id) } : null;
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
    this.#assertOpen();
    checkId(record.id);
    if (record.profileId !== null) checkId(record.profileId);
    const clean = orgRecordSchema.parse(record);
    await this.#storeTask(`the org "${clean.label}"`, () => {
      const next = new Map(this.#orgs).set(clean.id, clean);
      return { field: 'orgs', value: next, commit: () => (this.#orgs = next) };
    });
  }

  /**
   * Removes the org and its token file. The file is first renamed `<id>.json.deleted`, then the org leaves
   * the list, then the file is removed: a crash in between leaves a `.deleted` file that the next open
   * puts back (the org is still listed) or removes (it is not).
   */
  async deleteOrg(id: string): Promise<void> {
    this.#assertOpen();
    if (!SAFE_ID.test(id)) return;
    const key = orgKey(id);
    const label = this.#orgs.get(id)?.label ?? id;
    await this.#deleteOwner(key, `the removal of the org "${label}"`, () => {
      if (!this.#orgs.has(id)) return null;
      const next = new Map(this.#orgs);
      next.delete(id);
      return { field: 'orgs', value: next, commit: () => (this.#orgs = next) };
    });
  }

  /** Replaces the org's token set. A token without a value keeps the secret stored for its kind. */
  async saveTokens(id: string, tokens: TokenInput[]): Promise<void> {
    this.#assertOpen();
    const metas = tokens.map((t) => tokenMetaSchema.parse(t.meta));
    await this.#mutateOrg(id, async (file, session) => {
      const sealed = secrets();
      const kept = secrets();
      for (const { meta, value } of tokens) {
        const stored = ownValue(file.secrets, meta.kind);
        const inSession = ownValue(session, meta.kind);
        if (value === null) {
          if (stored !== undefined) sealed[meta.kind] = stored;
          else if (inSession !== undefined) kept[meta.kind] = inSession;
        } else if (this.persistsSecrets) sealed[meta.kind] = await this.#cipher.encrypt(value);
        else kept[meta.kind] = value;
      }
      file.tokens = metas;
      file.secrets = sealed;
      return kept;
    });
  }

  /** Changes one token's metadata (status, expiry, last checked) without touching its secret. */
  async updateTokenMeta(id: string, kind: TokenKind, patch: Partial<TokenMeta>): Promise<void> {
    this.#assertOpen();
    await this.#mutateOrg(id, async (file) => {
      file.tokens = file.tokens.map((t) => (t.kind === kind ? tokenMetaSchema.parse({ ...t, ...patch }) : t));
    });
  }

  /** Removes one token and its secret (after a revocation). */
  async dropToken(id: string, kind: TokenKind): Promise<void> {
    this.#assertOpen();
    await this.#mutateOrg(id, async (file, session) => {
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
      const record = this.#orgs.get(id);
      // Remembered when it can be written; the error below is what matters to the caller either way.
      if (record && !this.#closing)
        await this.saveOrg({ ...record, needsSignIn: true, updatedAt: this.#now() }).catch(() => undefined);
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
    return [...this.#profiles.values()];
  }

  getProfile(id: string): AppProfileRecord | null {
    return this.#profiles.get(id) ?? null;
  }

  /**
   * Saves an app profile and its secrets: each of `secrets` is a new value, `''` to remove it, or
   * undefined to keep the stored one. The consumer secret and the JWT bearer private key are sealed
   * like tokens. The profile's file (secrets and fields) is written first, then the record; when the
   * record cannot be written the file is put back as it was (and if even that fails, or the app stops in
   * between, the next open rolls the record forward to the file).
   */
  async saveProfile(
    profile: Omit<AppProfileRecord, 'hasSecret' | 'hasPrivateKey'>,
    secretChanges: ProfileSecrets = {},
  ): Promise<AppProfileRecord> {
    this.#assertOpen();
    checkId(profile.id);
    const fields = profileFieldsSchema.parse(profile);
    const key = profileKey(fields.id);
    const what = `the app profile "${fields.name}"`;
    const changes = Object.entries(secretChanges).filter(
      (e): e is [ProfileSecretName, string] => (e[0] === 'clientSecret' || e[0] === 'privateKey') && e[1] !== undefined,
    );
    return this.#queue.run(key, async () => {
      const before = this.#files.get(key);
      const file = { ...cloneFile(before ?? emptyFile()), profile: fields };
      const session = secrets(this.#session.get(key));
      for (const [name, value] of changes) {
        delete file.secrets[name];
        delete session[name];
        if (value === '') continue;
        if (this.persistsSecrets) file.secrets[name] = await this.#cipher.encrypt(value);
        else session[name] = value;
      }
      // A new profile's file is written as `<id>.json.new` and moved into place once the profile is listed:
      // a crash in between leaves a `.new` file that the next open removes (not listed) or moves in. A new
      // profile with nothing to seal needs no file (the store write alone is atomic).
      const isNew = !this.#profiles.has(fields.id);
      const needsFile = before !== undefined || (this.persistsSecrets && Object.keys(file.secrets).length > 0);
      if (needsFile) await this.#writeOwner(key, file, what, isNew ? NEW : '');
      const record = appProfileRecordSchema.parse({
        ...fields,
        hasSecret: await this.#usable(file, session, 'clientSecret'),
        hasPrivateKey: await this.#usable(file, session, 'privateKey'),
      });
      try {
        await this.#storeTask(what, () => {
          const next = new Map(this.#profiles).set(record.id, record);
          return { field: 'profiles', value: next, commit: () => (this.#profiles = next) };
        });
      } catch (e) {
        if (needsFile && isNew) await rm(this.#ownerPath(key, NEW), { force: true }).catch(() => undefined);
        else if (needsFile) await this.#restoreOwner(key, before).catch(() => undefined);
        throw e;
      }
      if (needsFile) this.#files.set(key, file);
      this.#session.set(key, session);
      // The profile is saved; if the move fails, the next open makes it (the profile is listed).
      if (needsFile && isNew) await rename(this.#ownerPath(key, NEW), this.#ownerPath(key)).catch(() => undefined);
      return record;
    });
  }

  /** Removes the app profile and its secrets file, the way {@link deleteOrg} does. */
  async deleteProfile(id: string): Promise<void> {
    this.#assertOpen();
    // An id the app could never have made names nothing: deleting it is a no-op, as for any missing profile.
    if (!SAFE_ID.test(id)) return;
    const key = profileKey(id);
    const name = this.#profiles.get(id)?.name ?? id;
    await this.#deleteOwner(key, `the removal of the app profile "${name}"`, () => {
      if ([...this.#orgs.values()].some((o) => o.profileId === id)) {
        throw new AppError(
          'profile/in_use',
          'Orgs still use this app profile. Sign out of them or re-authenticate them with another profile first.',
        );
      }
      if (!this.#profiles.has(id)) return null;
      const next = new Map(this.#profiles);
      next.delete(id);
      return { field: 'profiles', value: next, commit: () => (this.#profiles = next) };
    });
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
    return encodeExport(this.#orgs.values(), this.#profiles.values(), this.#now());
  }

  /**
   * Adds the valid orgs and profiles of an export; every skipped entry is reported with its reason. Never
   * changes what is already in the vault: an entry whose id is taken is skipped.
   */
  async importData(json: string): Promise<ImportReport> {
    this.#assertOpen();
    const report: ImportReport = { imported: 0, skipped: [] };
    for (const entry of decodeExport(json)) {
      const { index } = entry;
      if (entry.kind === 'skip') report.skipped.push({ index, reason: entry.reason });
      else if (entry.kind === 'profile') {
        if (this.#profiles.has(entry.profile.id))
          report.skipped.push({ index, reason: `App profile "${entry.profile.name}" is already in the app.` });
        else {
          await this.saveProfile(entry.profile);
          report.imported++;
        }
      } else if (this.#orgs.has(entry.org.id)) {
        report.skipped.push({ index, reason: `Org "${entry.org.label}" is already in the list.` });
      } else {
        const { profileId } = entry.org;
        const known = profileId !== null && this.#profiles.has(profileId) ? profileId : null;
        await this.saveOrg({ ...entry.org, profileId: known, needsSignIn: true });
        report.imported++;
      }
    }
    return report;
  }

  // ------------------------------------------------------------------ files

  #tokensOf(id: string): TokenMeta[] {
    return this.#files.get(`orgs/${id}`)?.tokens ?? [];
  }

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
              const file = ownerFileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
              this.#files.set(key, { ...file, secrets: secrets(file.secrets) });
            } catch {
              const aside = `${path}.corrupt-${new Date(this.#now()).toISOString().replace(/[:.]/g, '-')}`;
              await rename(path, aside);
              const id = name.slice(0, -5);
              const record = folder === 'orgs' ? this.#orgs.get(id) : undefined;
              if (record) this.#orgs.set(id, { ...record, needsSignIn: true });
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

  /**
   * Finishes or undoes what a crash between two writes left (see deleteOrg and saveProfile): a `.deleted`
   * file goes back into place if its owner is still listed, else it is removed; a `.new` file goes into
   * place if its profile is listed, else it is removed (removals only when the lists can be trusted).
   */
  async #finishInterrupted({ removeUnlisted }: { removeUnlisted: boolean }): Promise<void> {
    for (const folder of ['orgs', 'profiles'] as const) {
      const names = await readdir(join(this.#dir, folder)).catch(() => [] as string[]);
      for (const name of names) {
        const marked = /^([A-Za-z0-9_-]{1,100})\.json(\.deleted|\.new)$/.exec(name);
        if (!marked) continue;
        const [, id, mark] = marked as unknown as [string, string, string];
        const key = `${folder}/${id}`;
        const listed = this.#ownerExists(key);
        const from = join(this.#dir, folder, name);
        const to = this.#ownerPath(key);
        // A `.deleted` file never replaces a file that is in place (a later save made it).
        if (listed && (mark === NEW || !existsSync(to))) await rename(from, to);
        else if (listed || removeUnlisted) await rm(from, { force: true });
      }
    }
  }

  /**
   * Tidies what an interrupted write can leave (this vault holds the lock, so nothing else writes):
   * temporary files, owner files whose org or profile is not listed (when the lists can be trusted), app
   * profiles whose file is newer than their record (rolled forward), and profile flags that do not match
   * the secrets on disk.
   */
  async #tidy({ removeOrphans }: { removeOrphans: boolean }): Promise<void> {
    const removals: Promise<void>[] = [];
    const storeTemp = new RegExp(`^${STORE_NAME}\\.json\\.tmp-\\d{10}[0-9a-f]{6}$`);
    const lockAside = new RegExp(`^${LOCK_FILE.replace('.', '\\.')}\\.stale-[0-9a-f]+$`);
    for (const name of await readdir(this.#dir)) {
      if (storeTemp.test(name) || lockAside.test(name)) removals.push(rm(join(this.#dir, name), { force: true }));
    }
    for (const folder of ['orgs', 'profiles'] as const) {
      const names = await readdir(join(this.#dir, folder)).catch(() => [] as string[]);
      for (const name of names) {
        if (TEMP_SUFFIX.test(name)) removals.push(rm(join(this.#dir, folder, name), { force: true }));
      }
    }
    if (removeOrphans) {
      for (const key of [...this.#files.keys()]) {
        if (this.#ownerExists(key)) continue;
        this.#files.delete(key);
        removals.push(rm(this.#ownerPath(key), { force: true }));
      }
    }
    await Promise.all(removals);
    let rolledForward = false;
    if (removeOrphans) {
      for (const [id, record] of this.#profiles) {
        const saved = this.#files.get(`profiles/${id}`)?.profile;
        if (saved && saved.id === id && !sameFields(saved, record)) {
          this.#profiles.set(id, { ...record, ...saved });
          rolledForward = true;
        }
      }
    }
    for (const [id, record] of this.#profiles) {
      const sealed = this.#files.get(`profiles/${id}`)?.secrets ?? secrets();
      const hasSecret = ownValue(sealed, 'clientSecret') !== undefined;
      const hasPrivateKey = ownValue(sealed, 'privateKey') !== undefined;
      if (record.hasSecret !== hasSecret || record.hasPrivateKey !== hasPrivateKey) {
        this.#profiles.set(id, { ...record, hasSecret, hasPrivateKey });
      }
    }
    if (rolledForward) this.#conf.set('profiles', Object.fromEntries(this.#profiles));
  }

  async #readSecret(key: string, name: string): Promise<string | null> {
    const sessionValue = ownValue(this.#session.get(key) ?? {}, name);
    if (sessionValue !== undefined) return sessionValue;
    const sealed = ownValue(this.#files.get(key)?.secrets ?? {}, name);
    if (sealed === undefined) return null;
    const { plain, shouldReEncrypt } = await this.#cipher.decrypt(sealed);
    if (shouldReEncrypt && this.persistsSecrets && !this.#closing && this.#ownerExists(key)) {
      // The read worked: a re-encryption that cannot be written now is tried again on the next read.
      await this.#mutate(key, 'a re-encrypted secret', async (file) => {
        if (ownValue(file.secrets, name) === sealed) file.secrets[name] = await this.#cipher.encrypt(plain);
      }).catch(() => undefined);
    }
    return plain;
  }

  /** Whether `name` is there and can be decrypted (what `hasSecret`/`hasPrivateKey` say). */
  async #usable(file: OwnerFile | undefined, session: Secrets | undefined, name: string): Promise<boolean> {
    if (ownValue(session ?? {}, name) !== undefined) return true;
    const sealed = ownValue(file?.secrets ?? {}, name);
    if (sealed === undefined) return false;
    return this.#cipher.decrypt(sealed).then(
      () => true,
      () => false,
    );
  }

  #ownerExists(key: string): boolean {
    const id = key.slice(key.indexOf('/') + 1);
    return key.startsWith('orgs/') ? this.#orgs.has(id) : this.#profiles.has(id);
  }

  /** An org's file changed by `change`, refused with `org/not_found` once the org is gone (no orphan). */
  #mutateOrg(id: string, change: Change): Promise<number> {
    const key = orgKey(id);
    return this.#mutate(key, `the tokens of "${this.#orgs.get(id)?.label ?? id}"`, async (file, session) => {
      if (!this.#orgs.has(id))
        throw new AppError('org/not_found', 'This org is no longer in the list. Refresh the list or add it again.');
      return change(file, session);
    });
  }

  /**
   * Applies one change to a copy of an owner's file and writes it, atomically; memory takes the copy only
   * once the write succeeded. Changes to one file run one after another in call order, so concurrent
   * updates never overwrite each other. `change` may return the session-only secrets the owner now has
   * (undefined: the session copy it was given, changed or not).
   */
  #mutate(key: string, what: string, change: Change): Promise<number> {
    return this.#queue.run(key, async () => {
      const file = cloneFile(this.#files.get(key) ?? emptyFile());
      const session = secrets(this.#session.get(key));
      const nextSession = (await change(file, session)) ?? session;
      const bytes = await this.#writeOwner(key, file, what);
      this.#files.set(key, file);
      this.#session.set(key, secrets(nextSession));
      return bytes;
    });
  }

  /** Writes an owner's file as this vault stores it (secrets only when they may be stored). */
  #writeOwner(key: string, file: OwnerFile, what: string, suffix = ''): Promise<number> {
    const onDisk: OwnerFile = this.persistsSecrets ? file : { ...file, secrets: {} };
    const path = this.#ownerPath(key, suffix);
    return withIo(what, path, async () => {
      await this.#assertWritable();
      return writeFileAtomic(path, JSON.stringify(onDisk));
    });
  }

  /** Puts an owner's file back as it was before a change (no file: none). */
  async #restoreOwner(key: string, before: OwnerFile | undefined): Promise<void> {
    if (before) await this.#writeOwner(key, before, 'the previous secrets');
    else await rm(this.#ownerPath(key), { force: true });
  }

  #ownerPath(key: string, suffix = ''): string {
    return join(this.#dir, `${key}.json${suffix}`);
  }

  /**
   * Removes an owner: its file is renamed `.deleted`, the store change `plan` is written, then the file is
   * removed. When the store cannot be written the file is put back; a file that cannot be removed at the
   * end is removed by the next open (its owner is no longer listed).
   */
  async #deleteOwner(key: string, what: string, plan: StorePlan): Promise<void> {
    const path = this.#ownerPath(key);
    const trash = this.#ownerPath(key, DELETED);
    await this.#queue.run(key, async () => {
      const moved = await withIo(what, path, async () => {
        await this.#assertWritable();
        return rename(path, trash).then(
          () => true,
          (e: NodeJS.ErrnoException) => {
            if (e.code === 'ENOENT') return false;
            throw e;
          },
        );
      });
      try {
        await this.#storeTask(what, plan);
      } catch (e) {
        if (moved) await rename(trash, path).catch(() => undefined);
        throw e;
      }
      this.#files.delete(key);
      this.#session.delete(key);
      await rm(trash, { force: true }).catch(() => undefined);
    });
  }

  /**
   * One change to the metadata store, in order with the others: `plan` (run in turn, on the latest state)
   * gives the field's next value and how memory takes it (null: nothing to change); memory takes it only
   * once it is written.
   */
  #storeTask(what: string, plan: StorePlan): Promise<void> {
    return this.#queue.run('store', async () => {
      const planned = plan();
      if (planned === null) return;
      const { field, value, commit } = planned;
      await withIo(what, this.#conf.path, async () => {
        await this.#assertWritable();
        this.#conf.set(field, value instanceof Map ? Object.fromEntries(value) : value);
      });
      commit();
    });
  }

  #assertOpen(): void {
    if (this.#closing) throw closedError();
  }

  /** Before each write: the vault is open and its lock is still its own. */
  async #assertWritable(): Promise<void> {
    if (!(await this.#lock.isHeld())) {
      if (this.#closing) throw closedError();
      await this.#lock.assertHeld();
    }
  }
}

type Change = (file: OwnerFile, session: Secrets) => Promise<Secrets | void>;
type StorePlan = () => {
  field: keyof StoreShape;
  value: Map<string, unknown> | Settings;
  commit: () => void;
} | null;

/** Suffixes of owner files in the middle of a two-file change (see deleteOrg and saveProfile). */
const DELETED = '.deleted';
const NEW = '.new';

/** Whether a damaged store's original is kept in the folder (`store.corrupt-….json`) for restoring by hand. */
async function hasKeptOriginal(dir: string): Promise<boolean> {
  return (await readdir(dir)).some((n) => n.startsWith(`${STORE_NAME}.corrupt-`));
}

function closedError(): AppError {
  return new AppError(
    'vault/unavailable',
    'The app is closing, so this change was not saved. Start the app again and make the change again.',
  );
}

/** A secrets object without a prototype, with the own entries of `from`. */
function secrets(from?: Readonly<Record<string, string>>): Secrets {
  const out = Object.create(null) as Secrets;
  for (const [name, value] of Object.entries(from ?? {})) out[name] = value;
  return out;
}

function cloneFile(file: OwnerFile): OwnerFile {
  return { ...file, tokens: [...file.tokens], secrets: secrets(file.secrets) };
}

/** Whether two app profiles' fields are the same (the store keeps them in its own key order). */
function sameFields(a: ProfileFields, b: ProfileFields): boolean {
  return JSON.stringify(profileFieldsSchema.parse(a)) === JSON.stringify(profileFieldsSchema.parse(b));
}

function orgKey(id: string): string {
  checkId(id);
  return `orgs/${id}`;
}

function profileKey(id: string): string {
  checkId(id);
  return `profiles/${id}`;
}

/** Ids are made by the app; anything else (from the window or a file) is refused as a bad argument. */
function checkId(id: string): void {
  if (typeof id !== 'string' || !SAFE_ID.test(id))
    throw new AppError(
      'ipc/bad_argument',
      `${JSON.stringify(String(id)).slice(0, 40)} is not an id this app gives out. Reload the list and try again.`,
    );
}

function emptyFile(): OwnerFile {
  return { v: 1, tokens: [], secrets: secrets() };
}
