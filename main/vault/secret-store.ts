import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors';
import { writeFileAtomic, type KeyedQueue } from './atomic-file';
import type { Cipher } from './cipher';
import { withIo } from './io-error';
import {
  appProfileRecordSchema,
  orgEventSchema,
  ownValue,
  SAFE_ID,
  tokenMetaSchema,
  type OrgEvent,
  type TokenMeta,
} from './records';

/**
 * Why tokens do not live in electron-store: it rewrites its whole JSON file on every `set`, so with 1,000
 * orgs one refreshed token would rewrite megabytes. Each org instead has its own small file (token
 * metadata + sealed tokens), so a token update costs the same with 10 orgs and with 1,000; the metadata
 * store only changes when an org's identity or label does. See `npm run bench`.
 */
export const profileFieldsSchema = appProfileRecordSchema.omit({ hasSecret: true, hasPrivateKey: true });
export type ProfileFields = z.infer<typeof profileFieldsSchema>;
export const ownerFileSchema = z.object({
  v: z.literal(1),
  tokens: z.array(tokenMetaSchema),
  secrets: z.record(z.string(), z.string()),
  /** An org's history (records.ts), newest last; files written before it was kept have none. */
  history: z.array(orgEventSchema).optional(),
  /**
   * An app profile's file also holds the profile's fields as last saved with these secrets: it is written
   * before the metadata store, so after a crash between the two `open` rolls the store forward to it.
   */
  profile: profileFieldsSchema.optional(),
});
export type OwnerFile = z.infer<typeof ownerFileSchema>;
/** Secrets by name (`access`, `clientSecret`, …), in objects without a prototype. */
export type Secrets = Record<string, string>;

/** The secrets an app profile may have. */
export type ProfileSecretName = 'clientSecret' | 'privateKey';

/**
 * A change to an owner's file: it edits `file` (a copy) and may return the session-only secrets the owner
 * now has (undefined: the session copy it was given, changed or not).
 */
export type Change = (file: OwnerFile, session: Secrets) => Promise<Secrets | void>;

/** Tokens to store for an org; `value: null` keeps the secret stored for that kind. */
export interface TokenInput {
  meta: TokenMeta;
  value: string | null;
}

/** What the secret store asks of the vault it belongs to. */
export interface SecretStoreHost {
  /** Secrets may be written to disk (encrypted); else they are kept for this session only. */
  persists(): boolean;
  /** The vault is not closing. */
  isOpen(): boolean;
  /** Before each write: throws when the vault may no longer write (closing, or its lock is lost). */
  assertWritable(): Promise<void>;
  /** The owner of `key` (`orgs/<id>`, `profiles/<id>`) is listed in the metadata store. */
  isListed(key: string): boolean;
}

/** Suffixes of owner files in the middle of a two-file change (see {@link SecretStore.remove} and saveProfile). */
const DELETED = '.deleted';
export const NEW_SUFFIX = '.new';

/**
 * The owner files: one per org (token metadata and sealed tokens) and per app profile (sealed secrets and
 * the profile's fields), each `<folder>/<id>.json` in the data folder, under a key `<folder>/<id>`. Secrets
 * that may not be written to disk are kept in memory for the session. Every file is replaced atomically;
 * memory takes a change only once it is written; changes to one file run one after another, in call order.
 */
export class SecretStore {
  readonly #dir: string;
  readonly #cipher: Cipher;
  readonly #queue: KeyedQueue;
  readonly #host: SecretStoreHost;
  readonly #files: Map<string, OwnerFile>;
  readonly #session = new Map<string, Secrets>();

  /** `files`: the owner files as loaded (and repaired) at open, by key (see repair.ts). */
  constructor(dir: string, cipher: Cipher, queue: KeyedQueue, host: SecretStoreHost, files: Map<string, OwnerFile>) {
    this.#dir = dir;
    this.#cipher = cipher;
    this.#queue = queue;
    this.#host = host;
    this.#files = files;
  }

  tokens(key: string): TokenMeta[] {
    return this.#files.get(key)?.tokens ?? [];
  }

  history(key: string): readonly OrgEvent[] {
    return this.#files.get(key)?.history ?? [];
  }

  /** The secret, or null when none is kept. A secret that cannot be decrypted is the cipher's DecryptError. */
  async read(key: string, name: string): Promise<string | null> {
    const sessionValue = ownValue(this.#session.get(key) ?? {}, name);
    if (sessionValue !== undefined) return sessionValue;
    const sealed = ownValue(this.#files.get(key)?.secrets ?? {}, name);
    if (sealed === undefined) return null;
    const { plain, shouldReEncrypt } = await this.#cipher.decrypt(sealed);
    if (shouldReEncrypt && this.#host.persists() && this.#host.isOpen() && this.#host.isListed(key)) {
      // The read worked: a re-encryption that cannot be written now is tried again on the next read.
      await this.change(key, 'a re-encrypted secret', async (file) => {
        if (ownValue(file.secrets, name) === sealed) file.secrets[name] = await this.#cipher.encrypt(plain);
      }).catch(() => undefined);
    }
    return plain;
  }

  /**
   * Applies one change to a copy of an owner's file and writes it, atomically; memory takes the copy only
   * once the write succeeded. Changes to one file run one after another in call order, so concurrent
   * updates never overwrite each other. Gives the bytes written.
   */
  change(key: string, what: string, change: Change): Promise<number> {
    return this.#queue.run(key, async () => {
      const file = cloneFile(this.#files.get(key) ?? emptyFile());
      const session = secrets(this.#session.get(key));
      const nextSession = (await change(file, session)) ?? session;
      const bytes = await this.#write(key, file, what);
      this.#files.set(key, file);
      this.#session.set(key, secrets(nextSession));
      return bytes;
    });
  }

  /**
   * The change that replaces an owner's token set with `tokens` (metadata already checked): a token without
   * a value keeps the secret stored (or kept for the session) for its kind.
   */
  replaceTokens(tokens: readonly TokenInput[]): Change {
    return async (file, session) => {
      const sealed = secrets();
      const kept = secrets();
      for (const { meta, value } of tokens) {
        const stored = ownValue(file.secrets, meta.kind);
        const inSession = ownValue(session, meta.kind);
        if (value === null) {
          if (stored !== undefined) sealed[meta.kind] = stored;
          else if (inSession !== undefined) kept[meta.kind] = inSession;
        } else if (this.#host.persists()) sealed[meta.kind] = await this.#cipher.encrypt(value);
        else kept[meta.kind] = value;
      }
      file.tokens = tokens.map((t) => t.meta);
      file.secrets = sealed;
      return kept;
    };
  }

  /**
   * Seals and writes what this session holds (storing has just been allowed). A write that fails leaves the
   * secret in the session, and the next call retries it.
   */
  async sealSession(): Promise<void> {
    for (const [key, session] of [...this.#session]) {
      if (Object.keys(session).length === 0) continue;
      if (key.startsWith('orgs/') && !this.#host.isListed(key)) continue;
      await this.change(key, 'the secrets kept for this session', async (file, kept) => {
        for (const [name, value] of Object.entries(kept)) file.secrets[name] = await this.#cipher.encrypt(value);
        return secrets();
      });
    }
  }

  /**
   * An app profile's fields and secret changes (a new value, or `''` to remove it), written before its
   * record: `record` is told which secrets are usable and writes the record. When it fails the file is put
   * back as it was (and if even that fails, or the app stops in between, the next open rolls the record
   * forward to the file).
   */
  saveProfile<T>(
    key: string,
    what: string,
    fields: ProfileFields,
    changes: readonly [ProfileSecretName, string][],
    record: (usable: Record<'hasSecret' | 'hasPrivateKey', boolean>) => Promise<T>,
  ): Promise<T> {
    return this.#queue.run(key, async () => {
      const before = this.#files.get(key);
      const file = { ...cloneFile(before ?? emptyFile()), profile: fields };
      const session = secrets(this.#session.get(key));
      for (const [name, value] of changes) {
        delete file.secrets[name];
        delete session[name];
        if (value === '') continue;
        if (this.#host.persists()) file.secrets[name] = await this.#cipher.encrypt(value);
        else session[name] = value;
      }
      // A new profile's file is written as `<id>.json.new` and moved into place once the profile is listed:
      // a crash in between leaves a `.new` file that the next open removes (not listed) or moves in. A new
      // profile with nothing to seal needs no file (the store write alone is atomic).
      const isNew = !this.#host.isListed(key);
      const needsFile = before !== undefined || (this.#host.persists() && Object.keys(file.secrets).length > 0);
      if (needsFile) await this.#write(key, file, what, isNew ? NEW_SUFFIX : '');
      const usable = {
        hasSecret: await this.#usable(file, session, 'clientSecret'),
        hasPrivateKey: await this.#usable(file, session, 'privateKey'),
      };
      let result: T;
      try {
        result = await record(usable);
      } catch (e) {
        if (needsFile && isNew) await rm(this.#path(key, NEW_SUFFIX), { force: true }).catch(() => undefined);
        else if (needsFile) await this.#restore(key, before).catch(() => undefined);
        throw e;
      }
      if (needsFile) this.#files.set(key, file);
      this.#session.set(key, session);
      // The profile is saved; if the move fails, the next open makes it (the profile is listed).
      if (needsFile && isNew) await rename(this.#path(key, NEW_SUFFIX), this.#path(key)).catch(() => undefined);
      return result;
    });
  }

  /**
   * Removes an owner: its file is renamed `.deleted`, `unlist` writes the store change, then the file is
   * removed. When the store cannot be written the file is put back; a file that cannot be removed at the
   * end is removed by the next open (its owner is no longer listed).
   */
  async remove(key: string, what: string, unlist: () => Promise<void>): Promise<void> {
    const path = this.#path(key);
    const trash = this.#path(key, DELETED);
    await this.#queue.run(key, async () => {
      const moved = await withIo(what, path, async () => {
        await this.#host.assertWritable();
        return rename(path, trash).then(
          () => true,
          (e: NodeJS.ErrnoException) => {
            if (e.code === 'ENOENT') return false;
            throw e;
          },
        );
      });
      try {
        await unlist();
      } catch (e) {
        if (moved) await rename(trash, path).catch(() => undefined);
        throw e;
      }
      this.#files.delete(key);
      this.#session.delete(key);
      await rm(trash, { force: true }).catch(() => undefined);
    });
  }

  /** Whether `name` is there and can be decrypted (what `hasSecret`/`hasPrivateKey` say). */
  async #usable(file: OwnerFile, session: Secrets, name: string): Promise<boolean> {
    if (ownValue(session, name) !== undefined) return true;
    const sealed = ownValue(file.secrets, name);
    if (sealed === undefined) return false;
    return this.#cipher.decrypt(sealed).then(
      () => true,
      () => false,
    );
  }

  /** Writes an owner's file as this vault stores it (secrets only when they may be stored). */
  #write(key: string, file: OwnerFile, what: string, suffix = ''): Promise<number> {
    const onDisk: OwnerFile = this.#host.persists() ? file : { ...file, secrets: {} };
    const path = this.#path(key, suffix);
    return withIo(what, path, async () => {
      await this.#host.assertWritable();
      return writeFileAtomic(path, JSON.stringify(onDisk));
    });
  }

  /** Puts an owner's file back as it was before a change (no file: none). */
  async #restore(key: string, before: OwnerFile | undefined): Promise<void> {
    if (before) await this.#write(key, before, 'the previous secrets');
    else await rm(this.#path(key), { force: true });
  }

  #path(key: string, suffix = ''): string {
    return join(this.#dir, `${key}.json${suffix}`);
  }
}

/** A secrets object without a prototype, with the own entries of `from`. */
export function secrets(from?: Readonly<Record<string, string>>): Secrets {
  const out = Object.create(null) as Secrets;
  for (const [name, value] of Object.entries(from ?? {})) out[name] = value;
  return out;
}

function cloneFile(file: OwnerFile): OwnerFile {
  return {
    ...file,
    tokens: [...file.tokens],
    secrets: secrets(file.secrets),
    ...(file.history ? { history: [...file.history] } : {}),
  };
}

function emptyFile(): OwnerFile {
  return { v: 1, tokens: [], secrets: secrets() };
}

export function orgKey(id: string): string {
  checkId(id);
  return `orgs/${id}`;
}

export function profileKey(id: string): string {
  checkId(id);
  return `profiles/${id}`;
}

/** Ids name files, and are made by the app; anything else (from the window or a file) is a bad argument. */
export function checkId(id: string): void {
  if (typeof id !== 'string' || !SAFE_ID.test(id))
    throw new AppError(
      'ipc/bad_argument',
      `${JSON.stringify(String(id)).slice(0, 40)} is not an id this app gives out. Reload the list and try again.`,
    );
}
