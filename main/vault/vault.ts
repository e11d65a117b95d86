import { randomUUID } from 'node:crypto';
import type { ImportReport, StorageStatus, TokenKind } from '../../preload/contract';
import { AppError, isAppError } from '../errors';
import { KeyedQueue } from './atomic-file';
import { DecryptError, type Cipher } from './cipher';
import { encodeExport, importExport } from './export-format';
import { VaultLock } from './lock';
import { MetadataStore, openMetadataStore, type OpenedStore, type StoreFactory } from './metadata-store';
import {
  appProfileRecordSchema,
  NOTIFICATION_HISTORY_LIMIT,
  notificationEntrySchema,
  SAID_CAUSES_LIMIT,
  ORG_HISTORY_LIMIT,
  orgEventSchema,
  orgRecordSchema,
  SAFE_ID,
  tokenMetaSchema,
} from './records';
import type { AppProfileRecord, NotificationLog, NotificationRecord, OrgEvent, OrgRecord } from './records';
import type { Settings, TokenMeta } from './records';
import { checkId, orgKey, profileFieldsSchema, profileKey, SecretStore, type Change } from './secret-store';
import type { ProfileSecretName, TokenInput } from './secret-store';
import { repairAtOpen } from './repair';
import { persistsSecrets, storageStatus } from './storage-status';

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

export type { ProfileSecretName, TokenInput };
/** Secrets to change: a value replaces, '' removes, undefined (or no key) keeps the stored one. */
export type ProfileSecrets = { [K in ProfileSecretName]?: string | undefined };

/**
 * Orgs, app profiles, settings and their encrypted secrets (see docs/SECURITY.md, "Tokens and files"): the
 * one object the rest of the app uses, made of the metadata store (records and settings, metadata-store.ts),
 * the secret store (the owner files with tokens and secrets, secret-store.ts), the export codec
 * (export-format.ts) and the storage status (storage-status.ts).
 *
 * Rules every method keeps:
 * - Memory changes only after the write succeeded; a file-system error is `vault/io` and changes nothing.
 * - One vault per data folder: {@link VaultLock} is held from `open` to `close`.
 * - Crash safety: every file is replaced atomically, and writes that span two files go in an order whose
 *   half-done state `open` repairs (repair.ts).
 */
export class Vault {
  readonly #cipher: Cipher;
  readonly #lock: VaultLock;
  readonly #queue = new KeyedQueue();
  readonly #meta: MetadataStore;
  readonly #secrets: SecretStore;
  readonly #now: () => number;
  readonly #recovery: string | null;
  #closing: Promise<void> | null = null;

  private constructor(
    options: VaultOptions,
    lock: VaultLock,
    opened: OpenedStore,
    { files, recovery }: Awaited<ReturnType<typeof repairAtOpen>>,
  ) {
    this.#cipher = options.cipher;
    this.#lock = lock;
    this.#now = options.now ?? Date.now;
    this.#recovery = recovery;
    this.#meta = new MetadataStore(opened, this.#queue, () => this.#assertWritable());
    const host = {
      persists: () => this.persistsSecrets,
      isOpen: () => !this.#closing,
      assertWritable: () => this.#assertWritable(),
      isListed: (key: string) => this.#isListed(key),
    };
    this.#secrets = new SecretStore(options.dataDir, options.cipher, this.#queue, host, files);
  }

  /**
   * Opens the vault of `dataDir`, taking its lock: `vault/unavailable` when another vault (in this process
   * or another) has it open. A lock left by a process that no longer runs is taken over.
   */
  static async open(options: VaultOptions): Promise<Vault> {
    const { dataDir } = options;
    const lock = await VaultLock.acquire(dataDir, Date.now, { staleLocksOnly: options.staleLocksOnly ?? false });
    try {
      const opened = openMetadataStore(dataDir, options.storeFactory, options.now);
      const repaired = await repairAtOpen(dataDir, opened, options.now ?? Date.now);
      return new Vault(options, lock, opened, repaired);
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
    return this.#meta.settings;
  }

  /** True when secrets are written to disk (encrypted); false: they live until the app quits. */
  get persistsSecrets(): boolean {
    return persistsSecrets(this.#cipher.backend, this.#meta.settings);
  }

  status(): StorageStatus {
    return storageStatus(this.#cipher.backend, this.#meta.settings, this.#recovery);
  }

  async setSettings(patch: Partial<Settings>): Promise<Settings> {
    this.#assertOpen();
    await this.#meta.change('the settings', () => ({ field: 'settings', value: { ...this.#meta.settings, ...patch } }));
    // Storing (now) allowed: seal and write what this session holds.
    if (this.persistsSecrets) await this.#secrets.sealSession();
    return this.#meta.settings;
  }

  // ------------------------------------------------------------------ notification history

  /** The desktop notifications shown (oldest first) and the causes already said. */
  get notifications(): NotificationLog {
    return this.#meta.notifications;
  }

  /**
   * Keeps a notification that was shown and marks `cause` said, dropping the oldest beyond
   * {@link NOTIFICATION_HISTORY_LIMIT} (and causes beyond {@link SAID_CAUSES_LIMIT}).
   */
  async noteNotification(entry: NotificationRecord, cause: string): Promise<void> {
    this.#assertOpen();
    const checked = notificationEntrySchema.parse(entry);
    await this.#meta.change('the notification history', () => {
      const { entries, said } = this.#meta.notifications;
      return {
        field: 'notifications',
        value: {
          entries: [...entries, checked].slice(-NOTIFICATION_HISTORY_LIMIT),
          said: [...said.filter((k) => k !== cause), cause].slice(-SAID_CAUSES_LIMIT),
        },
      };
    });
  }

  /** Forgets the notifications shown; the causes stay said. */
  async clearNotifications(): Promise<void> {
    this.#assertOpen();
    await this.#meta.change('the notification history', () =>
      this.#meta.notifications.entries.length === 0
        ? null
        : { field: 'notifications', value: { ...this.#meta.notifications, entries: [] } },
    );
  }

  // ------------------------------------------------------------------ orgs

  listOrgs(): OrgEntry[] {
    return [...this.#meta.orgs.values()].map((record) => ({ record, tokens: this.#tokensOf(record.id) }));
  }

  getOrg(id: string): OrgEntry | null {
    const record = this.#meta.orgs.get(id);
    return record ? { record, tokens: this.#tokensOf(id) } : null;
  }

  requireOrg(id: string): OrgEntry {
    const entry = this.getOrg(id);
    if (!entry) throw orgNotFound();
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
    await this.#meta.change(`the org "${clean.label}"`, () => ({
      field: 'orgs',
      value: new Map(this.#meta.orgs).set(clean.id, clean),
    }));
  }

  /**
   * Removes the org and its token file. The file is first renamed `<id>.json.deleted`, then the org leaves
   * the list, then the file is removed: a crash in between leaves a `.deleted` file that the next open
   * puts back (the org is still listed) or removes (it is not).
   */
  async deleteOrg(id: string): Promise<void> {
    this.#assertOpen();
    if (!SAFE_ID.test(id)) return;
    const what = `the removal of the org "${this.#meta.orgs.get(id)?.label ?? id}"`;
    await this.#secrets.remove(orgKey(id), what, () =>
      this.#meta.change(what, () => {
        if (!this.#meta.orgs.has(id)) return null;
        const next = new Map(this.#meta.orgs);
        next.delete(id);
        return { field: 'orgs', value: next };
      }),
    );
  }

  /** Replaces the org's token set. A token without a value keeps the secret stored for its kind. */
  async saveTokens(id: string, tokens: TokenInput[]): Promise<void> {
    this.#assertOpen();
    const checked = tokens.map(({ meta, value }) => ({ meta: tokenMetaSchema.parse(meta), value }));
    await this.#changeOrg(id, this.#secrets.replaceTokens(checked));
  }

  /** Changes one token's metadata (status, expiry, last checked) without touching its secret. */
  async updateTokenMeta(id: string, kind: TokenKind, patch: Partial<TokenMeta>): Promise<void> {
    this.#assertOpen();
    await this.#changeOrg(id, async (file) => {
      file.tokens = file.tokens.map((t) => (t.kind === kind ? tokenMetaSchema.parse({ ...t, ...patch }) : t));
    });
  }

  /** Adds an event to the org's history, dropping the oldest beyond {@link ORG_HISTORY_LIMIT}. */
  async appendOrgEvent(id: string, event: OrgEvent): Promise<void> {
    this.#assertOpen();
    const checked = orgEventSchema.parse(event);
    await this.#changeOrg(id, async (file) => {
      file.history = [...(file.history ?? []), checked].slice(-ORG_HISTORY_LIMIT);
    });
  }

  /** The org's history, oldest first. */
  orgHistory(id: string): readonly OrgEvent[] {
    return this.#secrets.history(orgKey(id));
  }

  /**
   * The raw token, or null when none is stored. A secret that cannot be decrypted marks the org
   * "needs sign-in" (its metadata is kept) and gives `org/needs_sign_in`.
   */
  async readToken(id: string, kind: TokenKind): Promise<string | null> {
    try {
      return await this.#secrets.read(orgKey(id), kind);
    } catch (e) {
      if (!(e instanceof DecryptError)) throw e;
      const record = this.#meta.orgs.get(id);
      // Remembered when it can be written; the error below is what matters to the caller either way.
      if (record && !this.#closing)
        await this.saveOrg({ ...record, needsSignIn: true, updatedAt: this.#now() }).catch(() => undefined);
      throw new AppError('org/needs_sign_in', `${e.problem} Re-authenticate this org to get new tokens.`, { cause: e });
    }
  }

  // ------------------------------------------------------------------ app profiles

  listProfiles(): AppProfileRecord[] {
    return [...this.#meta.profiles.values()];
  }

  getProfile(id: string): AppProfileRecord | null {
    return this.#meta.profiles.get(id) ?? null;
  }

  /**
   * Saves an app profile and its secrets: each of `secrets` is a new value, `''` to remove it, or
   * undefined to keep the stored one. The consumer secret and the JWT bearer private key are sealed
   * like tokens. The profile's file (secrets and fields) is written first, then the record (see
   * {@link SecretStore.saveProfile}).
   */
  async saveProfile(
    profile: Omit<AppProfileRecord, 'hasSecret' | 'hasPrivateKey'>,
    secretChanges: ProfileSecrets = {},
  ): Promise<AppProfileRecord> {
    this.#assertOpen();
    checkId(profile.id);
    const fields = profileFieldsSchema.parse(profile);
    const what = `the app profile "${fields.name}"`;
    const changes = Object.entries(secretChanges).filter(
      (e): e is [ProfileSecretName, string] => (e[0] === 'clientSecret' || e[0] === 'privateKey') && e[1] !== undefined,
    );
    return this.#secrets.saveProfile(profileKey(fields.id), what, fields, changes, async (usable) => {
      const record = appProfileRecordSchema.parse({ ...fields, ...usable });
      await this.#meta.change(what, () => ({
        field: 'profiles',
        value: new Map(this.#meta.profiles).set(record.id, record),
      }));
      return record;
    });
  }

  /** Removes the app profile and its secrets file, the way {@link deleteOrg} does. */
  async deleteProfile(id: string): Promise<void> {
    this.#assertOpen();
    // An id the app could never have made names nothing: deleting it is a no-op, as for any missing profile.
    if (!SAFE_ID.test(id)) return;
    const what = `the removal of the app profile "${this.#meta.profiles.get(id)?.name ?? id}"`;
    await this.#secrets.remove(profileKey(id), what, () =>
      this.#meta.change(what, () => {
        if ([...this.#meta.orgs.values()].some((o) => o.profileId === id)) {
          throw new AppError(
            'profile/in_use',
            'Orgs still use this app profile. Sign out of them or re-authenticate them with another profile first.',
          );
        }
        if (!this.#meta.profiles.has(id)) return null;
        const next = new Map(this.#meta.profiles);
        next.delete(id);
        return { field: 'profiles', value: next };
      }),
    );
  }

  /** A profile's consumer secret or JWT bearer private key, or null when none is stored. */
  async readProfileSecret(id: string, name: ProfileSecretName = 'clientSecret'): Promise<string | null> {
    try {
      return await this.#secrets.read(profileKey(id), name);
    } catch (e) {
      if (!isAppError(e, 'vault/decrypt_failed')) throw e;
      throw new AppError(
        'vault/decrypt_failed',
        `The ${name === 'clientSecret' ? 'client secret' : 'private key'} of this app profile could not be decrypted. Enter it again in the app profile.`,
        { cause: e },
      );
    }
  }

  // ------------------------------------------------------------------ export and import

  /** Orgs and app profiles as JSON, without any secret or token. */
  exportData(): string {
    return encodeExport(this.#meta.orgs.values(), this.#meta.profiles.values(), this.#now());
  }

  /** Adds the valid orgs and profiles of an export, never changing what is already there (see importExport). */
  async importData(json: string): Promise<ImportReport> {
    this.#assertOpen();
    return importExport(json, {
      hasProfile: (id) => this.#meta.profiles.has(id),
      hasOrg: (id) => this.#meta.orgs.has(id),
      addProfile: (profile) => this.saveProfile(profile),
      addOrg: (org) => this.saveOrg(org),
    });
  }

  // ------------------------------------------------------------------ inside

  /** The org's token metadata (the key is not checked: a listed org's id needs none). */
  #tokensOf(id: string): TokenMeta[] {
    return this.#secrets.tokens(`orgs/${id}`);
  }

  /** An org's file changed by `change`, refused with `org/not_found` once the org is gone (no orphan). */
  #changeOrg(id: string, change: Change): Promise<number> {
    const what = `the tokens of "${this.#meta.orgs.get(id)?.label ?? id}"`;
    return this.#secrets.change(orgKey(id), what, async (file, session) => {
      if (!this.#meta.orgs.has(id)) throw orgNotFound();
      return change(file, session);
    });
  }

  #isListed(key: string): boolean {
    const id = key.slice(key.indexOf('/') + 1);
    return key.startsWith('orgs/') ? this.#meta.orgs.has(id) : this.#meta.profiles.has(id);
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

function closedError(): AppError {
  return new AppError(
    'vault/unavailable',
    'The app is closing, so this change was not saved. Start the app again and make the change again.',
  );
}

function orgNotFound(): AppError {
  return new AppError('org/not_found', 'This org is no longer in the list. Refresh the list or add it again.');
}
