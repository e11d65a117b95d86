/**
 * The claim table and raw JSON of a decoded header or payload: each claim's meaning from the glossary, its
 * kind, times and scopes read out, the display of a cell cut short, and never more rows or indentation
 * than the limits allow.
 */
import type { ClaimRow, Finding } from '../../preload/contract';
import type { ClaimInfo } from './claim-glossary';
import { groupOf } from './claim-notes';
import { formatOf, refOf } from './claim-refs';
import { jsonPrefix, type JsonShape } from './json-shape';
import { groupDigits, MAX_CLAIM_ROWS, MAX_DISPLAY_CHARS, MAX_PRETTY_JSON_CHARS } from './limits';
import { PART_NAMES, type Span } from './token-parts';

export interface PartView {
  rows: ClaimRow[];
  json: string;
  findings: Finding[];
}

/**
 * The claim table and raw JSON of a decoded part: indented JSON unless that would be huge (then compact, the
 * table's cells too), and at most {@link MAX_CLAIM_ROWS} rows, each cell cut short, so that the work stays
 * proportional to the token's length. `spans` says where each claim is in the part's base64url text.
 */
export function viewOf(
  obj: Record<string, unknown>,
  glossary: Readonly<Record<string, ClaimInfo>>,
  shape: JsonShape | null,
  index: 0 | 1,
  spans: ReadonlyMap<string, Span> | null = null,
): PartView {
  const name = PART_NAMES[index];
  const findings: Finding[] = [];
  const pretty = shape === null || shape.prettyChars <= MAX_PRETTY_JSON_CHARS;
  if (!pretty) {
    findings.push({
      severity: 'info',
      message: `The ${name} JSON is shown without indentation: indented, it would be over ${groupDigits(MAX_PRETTY_JSON_CHARS)} characters long.`,
    });
  }
  const names = Object.keys(obj);
  if (names.length > MAX_CLAIM_ROWS) {
    findings.push({
      severity: 'info',
      message: `The ${name} has ${groupDigits(names.length)} claims; the table shows the first ${groupDigits(MAX_CLAIM_ROWS)}, the ${name} JSON has them all.`,
    });
  }
  const rows = names.slice(0, MAX_CLAIM_ROWS).map((claim) => {
    const row = rowOf(claim, obj[claim], Object.hasOwn(glossary, claim) ? glossary[claim] : undefined, pretty);
    const span = spans?.get(claim);
    if (span) row.span = span;
    return row;
  });
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
  if (info?.time || info?.isoTime) readTime(row, value, info);
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
  const ref = refOf(name, value);
  if (ref) row.ref = ref;
  const format = formatOf(name, value);
  if (format) row.format = format;
  const group = groupOf(name, value);
  if (group) Object.assign(row, group);
  return row;
}

/**
 * A time claim read as epoch seconds, warned about in the words of the spec that defines it when it is not
 * sent as that spec says: RFC 7519 and OIDC define numbers of seconds, Salesforce writes its own dates
 * as ISO 8601 strings.
 */
function readTime(row: ClaimRow, value: unknown, info: ClaimInfo): void {
  const iso = isoEpochOf(value);
  const epoch = info.isoTime ? iso : (epochOf(value) ?? iso);
  if (epoch !== null) {
    row.kind = 'time';
    row.epochSeconds = epoch;
  }
  if (info.isoTime) {
    if (epoch === null) row.warning = `Not a date: ${info.source} sends it as an ISO 8601 date string.`;
    return;
  }
  if (typeof value === 'number') return;
  const rule = `${info.source} requires a number of seconds since 1970`;
  if (iso !== null && row.name === 'updated_at')
    row.warning = `Sent as a date string, as Salesforce’s userinfo does; ${rule}. Strict OIDC libraries will reject it.`;
  else if (epoch !== null) row.warning = `Sent as a ${typeof value}; ${rule}. Some libraries will reject it.`;
  else row.warning = `Not a time in seconds since 1970, as ${info.source} requires.`;
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
      ? `${value.slice(0, MAX_DISPLAY_CHARS)}… (${groupDigits(value.length - MAX_DISPLAY_CHARS)} more characters)`
      : value;
  }
  // Only the start is printed: a huge claim costs no more than a small one here.
  const { text, cut } = jsonPrefix(value, pretty, MAX_DISPLAY_CHARS);
  return cut ? `${text}… (cut at ${groupDigits(MAX_DISPLAY_CHARS)} characters; the JSON view shows all of it)` : text;
}

/** Epoch seconds of a time claim: a finite number, or a numeric string (flagged by the row). */
export function epochOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d{1,12}(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

/** `2016-12-09T04:02:56.000+0000`, `2024-05-01T10:00:00Z`: an ISO 8601 date and time with its offset. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Epoch seconds of an ISO 8601 date-time string with an offset, or null. */
function isoEpochOf(value: unknown): number | null {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) return null;
  // Date.parse wants the offset as ±hh:mm.
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}
