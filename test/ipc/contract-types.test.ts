/**
 * Type-level proof that the contract binds main, preload and renderer: `tsc` (part of `npm test`) fails
 * when any `@ts-expect-error` below stops being an error, and `expectTypeOf` pins the derived types.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { Handlers } from '../../main/ipc/router';
import { argumentSchemas, type ArgumentSchemas } from '../../main/ipc/schemas';
import { createApi } from '../../preload/api-factory';
import type { Api, ApiArgument, ApiValue, AppInfo, ErrorCode, Result, TokenInspection } from '../../preload/contract';

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
});
