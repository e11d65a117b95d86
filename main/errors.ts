import type { ApiError, ErrorCode } from '../preload/contract';

/** The one error type thrown inside main. `message` must say what to do and never contain a secret. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
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
