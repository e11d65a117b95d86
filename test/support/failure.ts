/** The AppError a handler call ended with (handlers may return a value or a promise), or null when it worked. */
export function failureOf(call: unknown): Promise<{ code: string; message: string } | null> {
  return Promise.resolve(call).then(
    () => null,
    (e: { code: string; message: string }) => e,
  );
}
