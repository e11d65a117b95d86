import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_SUFFIX } from './atomic-file';
import { LOCK_FILE } from './lock';
import { STORE_NAME, type OpenedStore } from './metadata-store';
import { ownValue, SAFE_ID, type StoreShape } from './records';
import {
  NEW_SUFFIX,
  ownerFileSchema,
  profileFieldsSchema,
  secrets,
  type OwnerFile,
  type ProfileFields,
} from './secret-store';
import { recoveryText, type DamagedFile } from './storage-status';

const OWNER_FOLDERS = ['orgs', 'profiles'] as const;

/**
 * What the vault's open repairs before anything else runs (it holds the folder's lock, so nothing else
 * writes). A crash between the two writes of one change leaves a half-done state; this finishes or undoes
 * it, so each org and each app profile comes back as it was before the interrupted call or as that call left
 * it: an owner file (tokens/secrets) without its org or app profile is removed (a delete that had begun, or a
 * new profile not yet listed), an app profile whose file is newer than its record is rolled forward to the
 * file, and `hasSecret`/`hasPrivateKey` follow the secrets on disk. Temporary files are removed, and an owner
 * file that cannot be read is moved aside (its org then needs sign-in).
 *
 * Changes the opened store's records in memory (and writes the profiles when one was rolled forward); gives
 * the owner files loaded, by key, and what was recovered from, in words.
 */
export async function repairAtOpen(
  dir: string,
  opened: OpenedStore,
  now: () => number,
): Promise<{ files: Map<string, OwnerFile>; recovery: string | null }> {
  const { data } = opened;
  const isListed = (key: string): boolean => {
    const id = key.slice(key.indexOf('/') + 1);
    return key.startsWith('orgs/') ? data.orgs.has(id) : data.profiles.has(id);
  };
  // With a damaged store the lists may be incomplete (the original is kept aside to restore by hand): then
  // no owner file is removed for not being listed.
  const trusted = opened.recovery === null && !(await hasKeptOriginal(dir));
  await finishInterrupted(dir, isListed, { removeUnlisted: trusted });
  const { files, damaged } = await loadOwnerFiles(dir, now);
  const labels = damaged.map(({ key, aside }): DamagedFile => {
    const id = key.slice(key.indexOf('/') + 1);
    const record = key.startsWith('orgs/') ? data.orgs.get(id) : undefined;
    if (record) data.orgs.set(id, { ...record, needsSignIn: true });
    return { label: record ? record.label : null, aside };
  });

  const removals: Promise<void>[] = [];
  const storeTemp = new RegExp(`^${STORE_NAME}\\.json\\.tmp-\\d{10}[0-9a-f]{6}$`);
  const lockAside = new RegExp(`^${LOCK_FILE.replace('.', '\\.')}\\.stale-[0-9a-f]+$`);
  for (const name of await readdir(dir)) {
    if (storeTemp.test(name) || lockAside.test(name)) removals.push(rm(join(dir, name), { force: true }));
  }
  for (const folder of OWNER_FOLDERS) {
    for (const name of await names(dir, folder)) {
      if (TEMP_SUFFIX.test(name)) removals.push(rm(join(dir, folder, name), { force: true }));
    }
  }
  if (trusted) {
    for (const key of [...files.keys()]) {
      if (isListed(key)) continue;
      files.delete(key);
      removals.push(rm(join(dir, `${key}.json`), { force: true }));
    }
  }
  await Promise.all(removals);
  if (profilesFollowFiles(data, files, { rollForward: trusted })) {
    opened.conf.set('profiles', Object.fromEntries(data.profiles));
  }
  return { files, recovery: recoveryText(opened.recovery, labels) };
}

/** Whether a damaged store's original is kept in the folder (`store.corrupt-….json`) for restoring by hand. */
async function hasKeptOriginal(dir: string): Promise<boolean> {
  return (await readdir(dir)).some((n) => n.startsWith(`${STORE_NAME}.corrupt-`));
}

function names(dir: string, folder: string): Promise<string[]> {
  return readdir(join(dir, folder)).catch(() => [] as string[]);
}

/**
 * Finishes or undoes a two-file change (see SecretStore.remove and SecretStore.saveProfile): a `.deleted`
 * file goes back into place if its owner is still listed, else it is removed; a `.new` file goes into place
 * if its profile is listed, else it is removed (removals only when the lists can be trusted).
 */
async function finishInterrupted(
  dir: string,
  isListed: (key: string) => boolean,
  { removeUnlisted }: { removeUnlisted: boolean },
): Promise<void> {
  for (const folder of OWNER_FOLDERS) {
    for (const name of await names(dir, folder)) {
      const marked = /^([A-Za-z0-9_-]{1,100})\.json(\.deleted|\.new)$/.exec(name);
      if (!marked) continue;
      const [, id, mark] = marked as unknown as [string, string, string];
      const listed = isListed(`${folder}/${id}`);
      const from = join(dir, folder, name);
      const to = join(dir, folder, `${id}.json`);
      // A `.deleted` file never replaces a file that is in place (a later save made it).
      if (listed && (mark === NEW_SUFFIX || !existsSync(to))) await rename(from, to);
      else if (listed || removeUnlisted) await rm(from, { force: true });
    }
  }
}

/** Every owner file that can be read, by key; one that cannot is moved aside to `<file>.corrupt-<time>`. */
async function loadOwnerFiles(
  dir: string,
  now: () => number,
): Promise<{ files: Map<string, OwnerFile>; damaged: { key: string; aside: string }[] }> {
  const files = new Map<string, OwnerFile>();
  const damaged: { key: string; aside: string }[] = [];
  for (const folder of OWNER_FOLDERS) {
    const listed = await names(dir, folder);
    await Promise.all(
      listed
        .filter((n) => n.endsWith('.json') && SAFE_ID.test(n.slice(0, -5)))
        .map(async (name) => {
          const key = `${folder}/${name.slice(0, -5)}`;
          const path = join(dir, folder, name);
          try {
            const file = ownerFileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
            files.set(key, { ...file, secrets: secrets(file.secrets) });
          } catch {
            const aside = `${path}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`;
            await rename(path, aside);
            damaged.push({ key, aside });
          }
        }),
    );
  }
  return { files, damaged };
}

/**
 * App profiles whose file is newer than their record are rolled forward to it (when the lists can be
 * trusted), and `hasSecret`/`hasPrivateKey` follow the secrets on disk. True when one was rolled forward.
 */
function profilesFollowFiles(
  data: StoreShape,
  files: ReadonlyMap<string, OwnerFile>,
  { rollForward }: { rollForward: boolean },
): boolean {
  let rolledForward = false;
  if (rollForward) {
    for (const [id, record] of data.profiles) {
      const saved = files.get(`profiles/${id}`)?.profile;
      if (saved && saved.id === id && !sameFields(saved, record)) {
        data.profiles.set(id, { ...record, ...saved });
        rolledForward = true;
      }
    }
  }
  for (const [id, record] of data.profiles) {
    const sealed = files.get(`profiles/${id}`)?.secrets ?? secrets();
    const hasSecret = ownValue(sealed, 'clientSecret') !== undefined;
    const hasPrivateKey = ownValue(sealed, 'privateKey') !== undefined;
    if (record.hasSecret !== hasSecret || record.hasPrivateKey !== hasPrivateKey) {
      data.profiles.set(id, { ...record, hasSecret, hasPrivateKey });
    }
  }
  return rolledForward;
}

/** Whether two app profiles' fields are the same (the store keeps them in its own key order). */
function sameFields(a: ProfileFields, b: ProfileFields): boolean {
  return JSON.stringify(profileFieldsSchema.parse(a)) === JSON.stringify(profileFieldsSchema.parse(b));
}
