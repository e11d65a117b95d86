/**
 * The owner files on their own: real files in a temporary folder, the real AES-GCM cipher, and a host that
 * says what the metadata store would (which owners are listed, whether secrets may be stored).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { AesGcmCipher } from '../support/aes-gcm-cipher';
import { KeyedQueue } from '../../main/vault/atomic-file';
import { DecryptError } from '../../main/vault/cipher';
import { checkId, orgKey, profileKey, SecretStore, type OwnerFile } from '../../main/vault/secret-store';
import { expectNoPlaintext } from '../support/files';
import { sampleMeta, sampleProfile, tempDir, TEST_KEY } from '../support/vault';

const ACCESS = 'secret_store_test_access_token_value_0001';

describe('secret store', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  const listed = new Set<string>();
  let persists = true;
  beforeEach(() => {
    listed.clear();
    persists = true;
  });

  function open(files = new Map<string, OwnerFile>(), cipher = new AesGcmCipher(TEST_KEY)): SecretStore {
    return new SecretStore(
      dir,
      cipher,
      new KeyedQueue(),
      {
        persists: () => persists,
        isOpen: () => true,
        assertWritable: async () => undefined,
        isListed: (key) => listed.has(key),
      },
      files,
    );
  }

  const onDisk = async (key: string): Promise<OwnerFile> =>
    JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8')) as OwnerFile;

  it('seals tokens into the owner file, reads them back, and keeps a stored one for a token without value', async () => {
    const store = open();
    const key = orgKey('o1');
    listed.add(key);
    await store.change(key, 'the tokens', store.replaceTokens([{ meta: sampleMeta('access'), value: ACCESS }]));
    await expectNoPlaintext(dir, [ACCESS]);
    expect((await onDisk(key)).tokens).toEqual([sampleMeta('access')]);
    expect(await store.read(key, 'access')).toBe(ACCESS);
    expect(await store.read(key, 'refresh')).toBeNull();

    const meta = sampleMeta('access', { hint: 'new1' });
    await store.change(key, 'the tokens', store.replaceTokens([{ meta, value: null }]));
    expect(store.tokens(key)).toEqual([meta]);
    expect(await store.read(key, 'access')).toBe(ACCESS);
    await store.change(key, 'the tokens', store.replaceTokens([]));
    expect(await store.read(key, 'access')).toBeNull();
  });

  it('keeps secrets for the session when they may not be stored, and seals them once they may', async () => {
    persists = false;
    const store = open();
    const key = orgKey('o1');
    listed.add(key);
    await store.change(key, 'the tokens', store.replaceTokens([{ meta: sampleMeta('access'), value: ACCESS }]));
    expect((await onDisk(key)).secrets).toEqual({});
    expect(await store.read(key, 'access')).toBe(ACCESS);
    persists = true;
    await store.sealSession();
    expect(Object.keys((await onDisk(key)).secrets)).toEqual(['access']);
    expect(await open(new Map([[key, await onDisk(key)]])).read(key, 'access')).toBe(ACCESS);
  });

  it('gives the cipher DecryptError for a secret sealed with another key', async () => {
    const key = orgKey('o1');
    const sealed = await new AesGcmCipher(Buffer.alloc(32, 7)).encrypt(ACCESS);
    const store = open(new Map([[key, { v: 1, tokens: [], secrets: { access: sealed } }]]));
    await expect(store.read(key, 'access')).rejects.toBeInstanceOf(DecryptError);
  });

  it('writes a new profile as .new, moves it in once its record is written, and removes it when that fails', async () => {
    const store = open();
    const key = profileKey('p1');
    const usable = await store.saveProfile(
      key,
      'the app profile',
      sampleProfile('p1'),
      [['clientSecret', 's1']],
      async (u) => {
        expect(existsSync(join(dir, 'profiles/p1.json.new'))).toBe(true);
        listed.add(key);
        return u;
      },
    );
    expect(usable).toEqual({ hasSecret: true, hasPrivateKey: false });
    expect(await readdir(join(dir, 'profiles'))).toEqual(['p1.json']);
    expect((await onDisk(key)).profile).toEqual(sampleProfile('p1'));
    expect(await store.read(key, 'clientSecret')).toBe('s1');

    const refused = new AppError('vault/io', 'the store refused');
    const other = profileKey('p2');
    await expect(
      store.saveProfile(other, 'the app profile', sampleProfile('p2'), [['clientSecret', 's2']], () =>
        Promise.reject(refused),
      ),
    ).rejects.toBe(refused);
    expect(await readdir(join(dir, 'profiles'))).toEqual(['p1.json']);
    // A listed profile whose record cannot be written gets its previous file back.
    await expect(
      store.saveProfile(
        key,
        'the app profile',
        sampleProfile('p1', { name: 'New' }),
        [
          ['clientSecret', ''],
          ['privateKey', 'k'],
        ],
        () => Promise.reject(refused),
      ),
    ).rejects.toBe(refused);
    expect((await onDisk(key)).profile).toEqual(sampleProfile('p1'));
    expect(await store.read(key, 'clientSecret')).toBe('s1');
    expect(await store.read(key, 'privateKey')).toBeNull();
  });

  it('removes an owner: its file is set aside while unlisting, put back when that fails, then removed', async () => {
    const store = open();
    const key = orgKey('o1');
    listed.add(key);
    await store.change(key, 'the tokens', store.replaceTokens([{ meta: sampleMeta('access'), value: ACCESS }]));
    const refused = new AppError('vault/io', 'the store refused');
    await expect(
      store.remove(key, 'the removal', async () => {
        expect(await readdir(join(dir, 'orgs'))).toEqual(['o1.json.deleted']);
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(await readdir(join(dir, 'orgs'))).toEqual(['o1.json']);
    expect(await store.read(key, 'access')).toBe(ACCESS);
    await store.remove(key, 'the removal', async () => void listed.delete(key));
    expect(await readdir(join(dir, 'orgs'))).toEqual([]);
    expect(await store.read(key, 'access')).toBeNull();
    // Removing an owner that has no file only unlists it.
    await store.remove(profileKey('none'), 'the removal', async () => undefined);
  });

  it('turns a file-system refusal into vault/io and changes nothing in memory', async () => {
    const store = open();
    const key = orgKey('o1');
    listed.add(key);
    await mkdir(join(dir, 'orgs/o1.json/in-the-way'), { recursive: true });
    await expect(
      store.change(key, 'the tokens of "Org o1"', store.replaceTokens([{ meta: sampleMeta('access'), value: ACCESS }])),
    ).rejects.toMatchObject({ code: 'vault/io' });
    expect(store.tokens(key)).toEqual([]);
    expect(await store.read(key, 'access')).toBeNull();
  });

  it('refuses keys from ids the app never gives out', () => {
    expect(orgKey('o1')).toBe('orgs/o1');
    expect(profileKey('__proto__')).toBe('profiles/__proto__');
    for (const id of ['../evil', '', 'a b', 'x'.repeat(101)]) {
      expect(() => checkId(id), id).toThrow(expect.objectContaining({ code: 'ipc/bad_argument' }));
    }
  });
});
