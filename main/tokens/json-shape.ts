/**
 * What a token part's JSON text costs to show, learned in one linear pass over the text before anything
 * parses or prints it: how deeply it nests, and how long `JSON.stringify(value, null, 2)` could make it.
 *
 * Both matter because printing is where pasted JSON hurts: `JSON.stringify` recurses once per level (a
 * 13 KB token nested 5,000 levels deep overflows the stack), and indentation grows with depth, so a
 * 200 KB payload of many 60-level chains prints as more than 10 MB.
 */

export interface JsonShape {
  /** The deepest nesting of arrays and objects seen (0 for a scalar), up to the limit the scan was given. */
  depth: number;
  /** True when the text nests deeper than that limit; the scan stopped there. */
  tooDeep: boolean;
  /**
   * An upper bound on the length of the value printed with two-space indentation: the text's length plus,
   * for every bracket and comma, a line break and the indentation of its line, and a space after each colon.
   */
  prettyChars: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * Scans JSON text (valid or not: text that is not JSON is left for `JSON.parse` to refuse) without building
 * anything. Brackets inside strings do not count. Stops as soon as the nesting passes `maxDepth`.
 */
export function scanJson(text: string, maxDepth: number): JsonShape {
  let depth = 0;
  let deepest = 0;
  let extra = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    switch (c) {
      case QUOTE:
        inString = true;
        break;
      case OPEN_ARRAY:
      case OPEN_OBJECT:
        depth++;
        if (depth > maxDepth) return { depth, tooDeep: true, prettyChars: Infinity };
        if (depth > deepest) deepest = depth;
        extra += 1 + 2 * depth;
        break;
      case CLOSE_ARRAY:
      case CLOSE_OBJECT:
        if (depth > 0) depth--;
        extra += 1 + 2 * depth;
        break;
      case COMMA:
        extra += 1 + 2 * depth;
        break;
      case COLON:
        extra += 1;
        break;
    }
  }
  return { depth: deepest, tooDeep: false, prettyChars: text.length + extra };
}

/**
 * The first `limit` characters or more of `JSON.stringify(value, null, pretty ? 2 : undefined)` for a value
 * that `JSON.parse` made, without printing the rest: a claim table cell shows only the start of a claim,
 * however large. `cut` says whether anything was left out.
 */
export function jsonPrefix(value: unknown, pretty: boolean, limit: number): { text: string; cut: boolean } {
  const out: string[] = [];
  let length = 0;
  const push = (s: string) => {
    out.push(s);
    length += s.length;
  };
  const write = (v: unknown, indent: string): void => {
    if (length > limit) return;
    if (typeof v === 'string') {
      push(JSON.stringify(v.length > limit ? v.slice(0, limit + 1) : v));
      return;
    }
    if (typeof v !== 'object' || v === null) {
      push(JSON.stringify(v) ?? 'null');
      return;
    }
    const inner = pretty ? `${indent}  ` : '';
    const open = pretty ? `\n${inner}` : '';
    const next = pretty ? `,\n${inner}` : ',';
    const close = pretty ? `\n${indent}` : '';
    if (Array.isArray(v)) {
      if (v.length === 0) return push('[]');
      push('[');
      for (let i = 0; i < v.length && length <= limit; i++) {
        push(i === 0 ? open : next);
        write(v[i], inner);
      }
      push(`${close}]`);
      return;
    }
    const keys = Object.keys(v);
    if (keys.length === 0) return push('{}');
    push('{');
    for (let i = 0; i < keys.length && length <= limit; i++) {
      const key = keys[i] as string;
      push(`${i === 0 ? open : next}${JSON.stringify(key)}:${pretty ? ' ' : ''}`);
      write((v as Record<string, unknown>)[key], inner);
    }
    push(`${close}}`);
  };
  write(value, '');
  return length > limit ? { text: out.join('').slice(0, limit), cut: true } : { text: out.join(''), cut: false };
}
