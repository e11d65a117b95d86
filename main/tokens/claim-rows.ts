/**
 * The claim table and raw JSON of a decoded header or payload: each claim's meaning from the glossary, its
 * kind, times and scopes read out, the display of a cell cut short, and never more rows or indentation
 * than the limits allow.
 */
import type { ClaimRow, Finding } from '../../preload/contract';
import type { ClaimInfo } from './claim-glossary';
import { jsonPrefix, type JsonShape } from './json-shape';
import { MAX_CLAIM_ROWS, MAX_DISPLAY_CHARS, MAX_PRETTY_JSON_CHARS } from './limits';
import { PART_NAMES } from './token-parts';

export interface PartView {
  rows: ClaimRow[];
  json: string;
  findings: Finding[];
}

/**
 * The claim table and raw JSON of a decoded part: indented JSON unless that would be huge (then compact, the
 * table's cells too), and at most {@link MAX_CLAIM_ROWS} rows, each cell cut short, so that the work stays
 * proportional to the token's length.
 */
export function viewOf(
  obj: Record<string, unknown>,
  glossary: Readonly<Record<string, ClaimInfo>>,
  shape: JsonShape | null,
  index: 0 | 1,
): PartView {
  const name = PART_NAMES[index];
  const findings: Finding[] = [];
  const pretty = shape === null || shape.prettyChars <= MAX_PRETTY_JSON_CHARS;
  if (!pretty) {
    findings.push({
      severity: 'info',
      message: `The ${name} JSON is shown without indentation: indented, it would be over ${MAX_PRETTY_JSON_CHARS.toLocaleString('en')} characters long.`,
    });
  }
  const names = Object.keys(obj);
  if (names.length > MAX_CLAIM_ROWS) {
    findings.push({
      severity: 'info',
      message: `The ${name} has ${names.length.toLocaleString('en')} claims; the table shows the first ${MAX_CLAIM_ROWS.toLocaleString('en')}, the ${name} JSON has them all.`,
    });
  }
  const rows = names
    .slice(0, MAX_CLAIM_ROWS)
    .map((claim) => rowOf(claim, obj[claim], Object.hasOwn(glossary, claim) ? glossary[claim] : undefined, pretty));
  return { rows, json: pretty ? JSON.stringify(obj, null, 2) : JSON.stringify(obj), findings };
}

function rowOf(name: string, value: unknown, info: ClaimInfo | undefined, pretty: boolean): ClaimRow {
  const row: ClaimRow = {
    name,
    meaning: info?.meaning ?? null,
    source: info?.source ?? null,
    kind: kindOf(value),
    display: displayOf(value, pretty),
  };
  if (info?.time) {
    const epoch = epochOf(value);
    if (epoch !== null) {
      row.kind = 'time';
      row.epochSeconds = epoch;
    }
    if (typeof value !== 'number') {
      row.warning =
        epoch !== null
          ? `Sent as a ${typeof value}; RFC 7519 requires a number. Some libraries will reject it.`
          : 'Not a time in seconds since 1970, as RFC 7519 requires.';
    }
  }
  if (info?.scopes) {
    const scopes = Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string')
      : typeof value === 'string'
        ? value.split(' ').filter(Boolean)
        : null;
    if (scopes) {
      row.kind = 'scopes';
      row.scopes = scopes;
    }
  }
  return row;
}

function kindOf(value: unknown): ClaimRow['kind'] {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object';
}

function displayOf(value: unknown, pretty: boolean): string {
  if (typeof value === 'string') {
    return value.length > MAX_DISPLAY_CHARS
      ? `${value.slice(0, MAX_DISPLAY_CHARS)}… (${(value.length - MAX_DISPLAY_CHARS).toLocaleString('en')} more characters)`
      : value;
  }
  // Only the start is printed: a huge claim costs no more than a small one here.
  const { text, cut } = jsonPrefix(value, pretty, MAX_DISPLAY_CHARS);
  return cut
    ? `${text}… (cut at ${MAX_DISPLAY_CHARS.toLocaleString('en')} characters; the JSON view shows all of it)`
    : text;
}

/** Epoch seconds of a time claim: a finite number, or a numeric string (flagged by the row). */
export function epochOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d{1,12}(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}
