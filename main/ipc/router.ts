import {
  API_METHODS,
  type ApiArgument,
  type ApiMethod,
  type ApiValue,
  type Handlers,
  type Result,
} from '../../preload/contract';
import { AppError, toApiError } from '../errors';
import type { ArgumentSchemas } from './schemas';

export interface Router {
  /** The method names this router serves, {@link API_METHODS} (IPC channels are `CHANNEL_PREFIX + method`). */
  readonly methods: readonly ApiMethod[];
  /** Validates `arg`, runs the handler, and turns every outcome into a `Result`. Never throws. */
  dispatch(method: string, arg: unknown): Promise<Result<unknown>>;
}

export function createRouter(handlers: Handlers, schemas: ArgumentSchemas, onError?: (e: unknown) => void): Router {
  const served = new Set<string>(API_METHODS);
  // Only the contract's own names, never a prototype key such as `constructor` or `__proto__`.
  const isMethod = (m: string): m is ApiMethod => served.has(m) && Object.hasOwn(handlers, m);

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
      // The schema's output is exactly the contract's argument type: see `ArgumentSchemas` in schemas.ts.
      const value = await handlers[method](parsed.data as ApiArgument<M>);
      return { ok: true, value };
    } catch (e) {
      if (!(e instanceof AppError)) onError?.(e);
      return { ok: false, error: toApiError(e) };
    }
  }

  return {
    methods: API_METHODS,
    async dispatch(method, arg) {
      if (!isMethod(method)) {
        return { ok: false, error: { code: 'ipc/unknown_method', message: `There is no bridge method "${method}".` } };
      }
      return run(method, arg);
    },
  };
}
