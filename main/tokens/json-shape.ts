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
  /**
   * When the text is an object: each top-level member's name as written between its quotes (escapes not yet
   * undone) and where the member is in the text's UTF-8 bytes, from its name's opening quote to the end of
   * its value (end exclusive). Empty for anything else, or when the scan stopped early.
   */
  members: JsonMember[];
  /** True when the text stops inside a string or with a bracket still open: JSON cut short. */
  unclosed: boolean;
}

export interface JsonMember {
  rawName: string;
  start: number;
  end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** UTF-8 bytes of one UTF-16 code unit of well-formed text (a surrogate pair is 4 bytes, 2 for each half). */
const utf8Bytes = (c: number): number => (c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3);

/**
 * Scans JSON text (valid or not: text that is not JSON is left for `JSON.parse` to refuse) without building
 * anything but the list of top-level members. Brackets inside strings do not count. Stops as soon as the
 * nesting passes `maxDepth`.
 */
export function scanJson(text: string, maxDepth: number): JsonShape {
  let depth = 0;
  let deepest = 0;
  let extra = 0;
  let inString = false;
  // Where the scan is, in UTF-8 bytes, and the top-level member being read.
  let byte = 0;
  const members: JsonMember[] = [];
  let memberStart = -1;
  let nameStart = -1;
  let rawName: string | null = null;
  let valueEnd = -1;
  const endMember = () => {
    if (rawName !== null && valueEnd > memberStart) members.push({ rawName, start: memberStart, end: valueEnd });
    rawName = null;
    memberStart = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const at = byte;
    byte += utf8Bytes(c);
    if (inString) {
      if (c === BACKSLASH) {
        i++;
        if (i < text.length) byte += utf8Bytes(text.charCodeAt(i));
      } else if (c === QUOTE) {
        inString = false;
        if (depth === 1 && nameStart !== -1) {
          rawName = text.slice(nameStart, i);
          nameStart = -1;
        }
      }
      valueEnd = byte;
      continue;
    }
    switch (c) {
      case QUOTE:
        inString = true;
        if (depth === 1 && memberStart === -1) {
          memberStart = at;
          nameStart = i + 1;
        }
        break;
      case OPEN_ARRAY:
      case OPEN_OBJECT:
        depth++;
        if (depth > maxDepth) return { depth, tooDeep: true, prettyChars: Infinity, members: [], unclosed: true };
        if (depth > deepest) deepest = depth;
        extra += 1 + 2 * depth;
        break;
      case CLOSE_ARRAY:
      case CLOSE_OBJECT:
        if (depth === 1) endMember();
        if (depth > 0) depth--;
        extra += 1 + 2 * depth;
        break;
      case COMMA:
        if (depth === 1) endMember();
        extra += 1 + 2 * depth;
        break;
      case COLON:
        extra += 1;
        break;
    }
    if (c !== SPACE && c !== TAB && c !== LF && c !== CR && !(depth <= 1 && (c === COMMA || c === COLON)))
      valueEnd = byte;
  }
  const isObject = text.trimStart().startsWith('{');
  return {
    depth: deepest,
    tooDeep: false,
    prettyChars: text.length + extra,
    members: isObject ? members : [],
    unclosed: inString || depth > 0,
  };
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
