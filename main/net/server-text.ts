import { AppError } from '../errors';

const TOKEN_LIKE = [
  // JWS / JWE compact serializations.
  /eyJ[\w-]*\.[\w-]*\.[\w.-]*/g,
  // Salesforce opaque tokens: 15/18-character org id, "!", the secret part.
  /\b00D\w{12,15}![\w.]+/g,
  // Any other long run of token characters (refresh tokens, codes, secrets).
  /[\w.~+/=-]{40,}/g,
];

/**
 * Server-supplied text (an `error_description`, an HTML page) made fit for an error message: control
 * characters removed, anything that looks like a token or secret replaced, and at most `max` characters.
 */
export function sanitizeServerText(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  let out = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  for (const pattern of TOKEN_LIKE) out = out.replace(pattern, '[redacted]');
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/**
 * The cause kept on an AppError: library errors may carry a whole response body (tokens included) in
 * their `cause` (oauth4webapi's do), so only their name, code and sanitized message are kept.
 */
export function safeCause(e: unknown): Error | undefined {
  if (!(e instanceof Error)) return undefined;
  if (e instanceof AppError) return e;
  const raw: unknown = (e as { code?: unknown }).code;
  const code = typeof raw === 'string' ? ` [${raw}]` : '';
  const copy = new Error(`${e.name}${code}: ${sanitizeServerText(e.message, 300)}`);
  copy.name = e.name;
  return copy;
}
