import { MAX_TOKEN_CHARS } from '../../preload/contract';
import { api } from './api';

/**
 * Puts non-secret text the inspector shows (a claim's value, the decoded JSON) on the clipboard, through main
 * (the bridge's `copyText` takes up to {@link MAX_TOKEN_CHARS} characters, as much as a token can decode to
 * without being cut). Answers null, or what went wrong in words.
 */
export async function copyShownText(text: string): Promise<string | null> {
  if (text.length > MAX_TOKEN_CHARS) {
    return `Too long to copy (${text.length.toLocaleString('en')} characters). Select the text and copy it with Ctrl+C.`;
  }
  const r = await api.copyText({ text });
  return r.ok ? null : r.error.message;
}
