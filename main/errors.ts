import type { ApiError, ErrorCode } from '../preload/contract';

/** What a server answered, when an error comes from its answer: its OAuth error code, its HTTP status. */
export interface ServerAnswer {
  code: string | null;
  httpStatus: number | null;
}

/** The one error type thrown inside main. `message` must say what to do and never contain a secret. */
export class AppError extends Error {
  override readonly name = 'AppError';
  /** The server's answer this error reads, kept as data (evidence of a refusal), or null. */
  readonly answer: ServerAnswer | null;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; answer?: ServerAnswer },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.answer = options?.answer ?? null;
  }
}

export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}

/** Converts anything thrown into the value that crosses IPC. Unknown errors never leak their text. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof AppError) return { code: e.code, message: e.message };
  return {
    code: 'internal',
    message: 'Something went wrong inside the app. Try again; if it keeps happening, restart the app.',
  };
}
