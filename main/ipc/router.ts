import type { ApiArgument, ApiMethod, ApiValue, Result } from '../../preload/contract';
import { AppError, toApiError } from '../errors';
import type { ArgumentSchemas } from './schemas';

/** What main implements: one function per bridge method, throwing `AppError`s. */
export type Handlers = { [M in ApiMethod]: (arg: ApiArgument<M>) => Promise<ApiValue<M>> | ApiValue<M> };

export interface Router {
  /** The method names this router serves (IPC channels are `CHANNEL_PREFIX + method`). */
  readonly methods: readonly ApiMethod[];
  /** Validates `arg`, runs the handler, and turns every outcome into a `Result`. Never throws. */
  dispatch(method: string, arg: unknown): Promise<Result<unknown>>;
}

export function createRouter(handlers: Handlers, schemas: ArgumentSchemas, onError?: (e: unknown) => void): Router {
  const methods = Object.keys(schemas) as ApiMethod[];
  const isMethod = (m: string): m is ApiMethod => Object.hasOwn(schemas, m) && Object.hasOwn(handlers, m);

  async function run<M extends ApiMethod>(method: M, arg: unknown): Promise<Result<ApiValue<M>>> {
    const parsed = schemas[method].safeParse(arg);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
      return {
        ok: false,
        error: {
          code: 'ipc/bad_argument',
          message: `${method}: invalid argument${where}: ${issue?.message ?? 'rejected'}.`,
        },
      };
    }
    try {
      // The schema's type is pinned to the contract's argument type by `ArgumentSchemas`.
      const value = await handlers[method](parsed.data as ApiArgument<M>);
      return { ok: true, value };
    } catch (e) {
      if (!(e instanceof AppError)) onError?.(e);
      return { ok: false, error: toApiError(e) };
    }
  }

  return {
    methods,
    async dispatch(method, arg) {
      if (!isMethod(method)) {
        return { ok: false, error: { code: 'ipc/unknown_method', message: `There is no bridge method "${method}".` } };
      }
      return run(method, arg);
    },
  };
}
