/**
 * JSON text cut into runs for syntax colour: keys, strings, numbers, literals (true/false/null) and the rest.
 * The text is shown as text (never as HTML), so a run only needs its kind.
 */
export type JsonTokenKind = 'key' | 'string' | 'number' | 'literal' | 'plain';

export interface JsonToken {
  kind: JsonTokenKind;
  text: string;
}

/** Past this many runs the rest is one plain run: colour is not worth a million DOM nodes. */
const MAX_TOKENS = 20_000;

const STRING = /"(?:[^"\\]|\\.)*"?/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/**
 * Runs of `json` in order; joined they give back `json` exactly. Text that is not JSON still comes back
 * whole, as plain runs.
 */
export function highlightJson(json: string): JsonToken[] {
  const out: JsonToken[] = [];
  let plainFrom = 0;
  let i = 0;
  const flushPlain = (to: number) => {
    if (to > plainFrom) out.push({ kind: 'plain', text: json.slice(plainFrom, to) });
  };
  const take = (re: RegExp): string | null => {
    re.lastIndex = i;
    const m = re.exec(json);
    return m ? m[0] : null;
  };
  while (i < json.length) {
    if (out.length >= MAX_TOKENS) break;
    const c = json[i];
    let kind: JsonTokenKind | null = null;
    let text: string | null = null;
    if (c === '"') {
      text = take(STRING);
      kind = text !== null && isKey(json, i + text.length) ? 'key' : 'string';
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      text = take(NUMBER);
      kind = 'number';
    } else if (c === 't' || c === 'f' || c === 'n') {
      text = take(LITERAL);
      kind = 'literal';
    }
    if (text && kind) {
      flushPlain(i);
      out.push({ kind, text });
      i += text.length;
      plainFrom = i;
    } else i++;
  }
  flushPlain(json.length);
  return out;
}

/** A string is a key when the next non-space character is a colon. */
function isKey(json: string, from: number): boolean {
  for (let j = from; j < json.length; j++) {
    const c = json[j];
    if (c === ':') return true;
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') return false;
  }
  return false;
}
