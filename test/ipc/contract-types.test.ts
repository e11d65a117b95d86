/**
 * Type-level proof that the contract binds main, preload and renderer: `tsc` (part of `npm test`) fails
 * when any `@ts-expect-error` below stops being an error, and `expectTypeOf` pins the derived types.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { Handlers } from '../../preload/contract';
import { argumentSchemas, type ArgumentSchemas, type ExactSchema } from '../../main/ipc/schemas';
import { createApi } from '../../preload/api-factory';
import {
  API_METHODS,
  SUBJECT_TOKEN_TYPES,
  type Api,
  type ApiArgument,
  type ApiMethod,
  type ApiValue,
  type AppInfo,
  type ErrorCode,
  type ExactMethodList,
  type Result,
  type TokenInspection,
} from '../../preload/contract';

/** beginSignIn's argument, member by member, to build schemas that cover all, part or more of the union. */
const signInBase = {
  profileId: z.string(),
  loginHost: z.string(),
  orgRef: z.string().optional(),
  label: z.string().optional(),
};
const signInMembers = [
  z.strictObject({ ...signInBase, method: z.literal('authorization_code') }),
  z.strictObject({ ...signInBase, method: z.literal('device') }),
  z.strictObject({ ...signInBase, method: z.literal('client_credentials') }),
  z.strictObject({
    ...signInBase,
    method: z.literal('jwt_bearer'),
    username: z.string(),
    audience: z.string().optional(),
  }),
  z.strictObject({
    ...signInBase,
    method: z.literal('password'),
    username: z.string(),
    password: z.string(),
    securityToken: z.string().optional(),
  }),
  z.strictObject({ ...signInBase, method: z.literal('user_agent') }),
] as const;
const tokenExchange = z.strictObject({
  ...signInBase,
  method: z.literal('token_exchange'),
  subjectToken: z.string(),
  subjectTokenType: z.enum(SUBJECT_TOKEN_TYPES),
});

describe('contract types', () => {
  it('derives argument and value types from the Api', () => {
    expectTypeOf<ApiArgument<'inspectToken'>>().toEqualTypeOf<{ token: string }>();
    expectTypeOf<ApiArgument<'getAppInfo'>>().toEqualTypeOf<undefined>();
    expectTypeOf<ApiValue<'inspectToken'>>().toEqualTypeOf<TokenInspection>();
    expectTypeOf<ApiValue<'getAppInfo'>>().toEqualTypeOf<AppInfo>();
    expectTypeOf<Result<number>>().toEqualTypeOf<
      { ok: true; value: number } | { ok: false; error: { code: ErrorCode; message: string } }
    >();
  });

  it('makes the preload factory, handlers and schemas follow the contract', () => {
    expectTypeOf(createApi).returns.toEqualTypeOf<Api>();
    expectTypeOf<Handlers['inspectToken']>().parameter(0).toEqualTypeOf<{ token: string }>();
    expectTypeOf(argumentSchemas).toEqualTypeOf<ArgumentSchemas>();
  });

  it('rejects code that disagrees with the contract', () => {
    // @ts-expect-error a handler taking the wrong argument type does not compile
    const badHandler: Handlers['inspectToken'] = (arg: { token: number }) => {
      throw new Error(String(arg));
    };
    // @ts-expect-error a schema that validates something else than the contract's argument does not compile
    const badSchema: ArgumentSchemas['inspectToken'] = z.object({ token: z.number() });
    // @ts-expect-error an error code outside the union does not compile
    const badCode: ErrorCode = 'oauth/made_up';
    const api = createApi(async () => ({ ok: true, value: null }));
    // Only compiled, never run: the calls below exist to be rejected by the type checker.
    const renderer = () => {
      // @ts-expect-error the renderer cannot call a method with a misspelt argument
      void api.inspectToken({ tokn: 'x' });
      // @ts-expect-error nor a method that does not exist
      void api.deleteEverything();
    };
    void [badHandler, badSchema, badCode, renderer];
  });

  it('holds every argument schema to exactly its argument type, in both directions', () => {
    // The whole union compiles: the failures below fail for what they leave out or add, not for their shape.
    const whole = z.discriminatedUnion('method', [...signInMembers, tokenExchange]);
    const exact: ExactSchema<'beginSignIn', typeof whole> = whole;

    const partOfTheUnion = z.discriminatedUnion('method', [...signInMembers]);
    // The loose type alone accepts a schema covering only part of the union (outputs are covariant)...
    const loose: ArgumentSchemas['beginSignIn'] = partOfTheUnion;
    // @ts-expect-error ...the exact check does not: a beginSignIn schema without token-exchange does not compile
    const tooNarrow: ExactSchema<'beginSignIn', typeof partOfTheUnion> = partOfTheUnion;

    const magicLink = z.strictObject({ ...signInBase, method: z.literal('magic-link') });
    const moreThanTheUnion = z.discriminatedUnion('method', [...signInMembers, tokenExchange, magicLink]);
    // @ts-expect-error a beginSignIn schema with a member the contract does not have does not compile
    const tooWide: ExactSchema<'beginSignIn', typeof moreThanTheUnion> = moreThanTheUnion;

    const withoutLabel = z.strictObject({ url: z.string(), flowId: z.string().optional() });
    // @ts-expect-error a schema that leaves out an optional key (importSfdxAuthUrl's label) does not compile
    const missingKey: ExactSchema<'importSfdxAuthUrl', typeof withoutLabel> = withoutLabel;

    const withExtraKey = z.strictObject({ token: z.string(), source: z.string() });
    // @ts-expect-error a schema with a key the contract does not have does not compile
    const extraKey: ExactSchema<'inspectToken', typeof withExtraKey> = withExtraKey;
    void [exact, loose, tooNarrow, tooWide, missingKey, extraKey];
  });

  it('lists every bridge method once, and the compiler holds the list to the Api', () => {
    expectTypeOf<(typeof API_METHODS)[number]>().toEqualTypeOf<ApiMethod>();
    expectTypeOf(createApi).returns.toEqualTypeOf<Api>();
    expect(new Set(API_METHODS).size).toBe(API_METHODS.length);

    const all = API_METHODS;
    const checked: ExactMethodList<typeof all> = all;
    const missingOne = API_METHODS.filter((m) => m !== 'importOrgs') as Exclude<ApiMethod, 'importOrgs'>[];
    // @ts-expect-error a list that leaves out a method of the Api does not compile
    const missing: ExactMethodList<typeof missingOne> = missingOne;
    const withExtra = [...API_METHODS, 'deleteEverything'] as const;
    // @ts-expect-error a list that names a method the Api does not have does not compile
    const extra: ExactMethodList<typeof withExtra> = withExtra;
    void [checked, missing, extra];
  });
});
