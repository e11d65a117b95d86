/** The record schemas and the id rules every store shares. */
import { describe, expect, it } from 'vitest';
import {
  appProfileRecordSchema,
  DEFAULT_SETTINGS,
  orgRecordSchema,
  ownValue,
  SAFE_ID,
  settingsSchema,
  tokenMetaSchema,
} from '../../main/vault/records';
import { sampleMeta, sampleOrg, sampleProfile } from '../support/vault';

describe('records', () => {
  it('reads own properties only, never one of Object.prototype', () => {
    const object: Record<string, string> = { toString: 'own' };
    expect(ownValue(object, 'toString')).toBe('own');
    expect(ownValue({}, 'toString')).toBeUndefined();
    expect(ownValue({}, '__proto__')).toBeUndefined();
    expect(ownValue({}, 'constructor')).toBeUndefined();
  });

  it('takes as ids only what can name a file', () => {
    for (const id of ['o1', '__proto__', 'a-b_C9', 'x'.repeat(100)]) expect(SAFE_ID.test(id), id).toBe(true);
    for (const id of ['', '../x', 'a b', 'a.json', 'x'.repeat(101)]) expect(SAFE_ID.test(id), id).toBe(false);
  });

  it('fills in the fields later versions added to an org, and keeps token metadata without the token', () => {
    const { grant: _g, audience: _a, ...older } = sampleOrg('o1');
    expect(orgRecordSchema.parse(older)).toMatchObject({ grant: 'authorization_code', audience: null });
    expect(settingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
    expect(tokenMetaSchema.safeParse({ ...sampleMeta('access'), hint: 'longer than eight' }).success).toBe(false);
  });

  it('loads profiles and token metadata written before resource, audience, validation and the previous token', () => {
    const older = { ...sampleProfile('p1'), hasSecret: false, hasPrivateKey: false };
    expect(appProfileRecordSchema.parse(older)).toEqual(older);
    expect(appProfileRecordSchema.parse({ ...older, resource: 'urn:example:api', audience: null })).toMatchObject({
      resource: 'urn:example:api',
      audience: null,
    });
    const meta = sampleMeta('id');
    expect(tokenMetaSchema.parse(meta)).toEqual(meta);
    const previous = { unsigned: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0', signatureBytes: 256, replacedAt: 5 };
    expect(tokenMetaSchema.parse({ ...meta, previous }).previous).toEqual(previous);
    // Never a whole token: a third part (the signature) is refused.
    const signed = { ...previous, unsigned: `${previous.unsigned}.c2ln` };
    expect(tokenMetaSchema.safeParse({ ...meta, previous: signed }).success).toBe(false);
    const check = { check: 'signature', outcome: 'passed', detail: 'RS256 signature verified' };
    const validation = { at: 5, during: 'sign-in', checks: [check] };
    expect(tokenMetaSchema.parse({ ...meta, idTokenValidation: validation }).idTokenValidation).toEqual(validation);
    expect(tokenMetaSchema.safeParse({ ...meta, idTokenValidation: { ...validation, during: 'later' } }).success).toBe(
      false,
    );
  });
});
