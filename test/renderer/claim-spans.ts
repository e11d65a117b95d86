/**
 * Claim spans for tests of the linked views: where each claim's bytes are in its part's base64url text,
 * widened to whole base64 quanta (4 characters per 3 bytes), as `ClaimRow.span` says. Only where main's rows
 * carry no spans (or formats) yet does a test add these.
 */
import type { ClaimRow, TokenInspection } from '../../preload/contract';

function spansOf(part: string, rows: ClaimRow[]): ClaimRow[] {
  const json = Buffer.from(part, 'base64url').toString('utf8');
  const bytes = (chars: number) => Buffer.byteLength(json.slice(0, chars), 'utf8');
  const value = JSON.parse(json) as Record<string, unknown>;
  return rows.map((row) => {
    if (row.span) return row;
    const at = json.indexOf(JSON.stringify(row.name) + ':');
    if (at === -1) return row;
    const valueText = JSON.stringify(value[row.name]);
    const valueAt = json.indexOf(valueText, at);
    const end = valueAt === -1 ? at + row.name.length + 2 : valueAt + valueText.length;
    const start = Math.floor(bytes(at) / 3) * 4;
    const stop = Math.min(part.length, Math.ceil(bytes(end) / 3) * 4);
    return { ...row, span: { start, end: stop } };
  });
}

/** Salesforce's `utcOffset` and https URLs marked for people, where main's rows do not mark them yet. */
function formatsOf(rows: ClaimRow[]): ClaimRow[] {
  return rows.map((row) => {
    if (row.format) return row;
    if (row.name === 'utcOffset' && row.kind === 'number') return { ...row, format: 'utc-offset-ms' };
    if (row.kind === 'string' && row.display.startsWith('https://')) return { ...row, format: 'url' };
    return row;
  });
}

/** The inspection with a span on every JWS claim row that has none (and the formats of {@link formatsOf}). */
export function withSpans(inspection: TokenInspection): TokenInspection {
  if (inspection.kind !== 'jws') return inspection;
  return {
    ...inspection,
    header: spansOf(inspection.parts.header, inspection.header),
    payload: formatsOf(spansOf(inspection.parts.payload, inspection.payload)),
  };
}
