/**
 * Two decoded tokens side by side, claim by claim: which claims one has and the other lacks, which changed,
 * which are the same, and for times how far apart they are in words ("1 h later").
 */
import type { ClaimRow, TokenInspection } from '../../preload/contract';
import { formatDuration } from '../components/inspector/relative-time';

export type DiffStatus = 'added' | 'removed' | 'changed' | 'same';

export interface ClaimDiff {
  name: string;
  status: DiffStatus;
  left: ClaimRow | null;
  right: ClaimRow | null;
  /** For a time claim in both: the right one relative to the left ("45 min later"). */
  shift: string | null;
}

export interface PartDiff {
  part: 'Header' | 'Payload';
  rows: ClaimDiff[];
  /** How many rows are not `same`. */
  changes: number;
}

/** The claim rows of each part a token has: a JWS its header and payload, a JWE its header, others none. */
function partsOf(t: TokenInspection): { Header: ClaimRow[] | null; Payload: ClaimRow[] | null } {
  if (t.kind === 'jws') return { Header: t.header, Payload: t.payload };
  if (t.kind === 'jwe') return { Header: t.header, Payload: null };
  return { Header: null, Payload: null };
}

/** "45 min later", "2 d earlier", "same time". */
function shiftOf(left: ClaimRow, right: ClaimRow): string | null {
  if (left.epochSeconds === undefined || right.epochSeconds === undefined) return null;
  const diffMs = (right.epochSeconds - left.epochSeconds) * 1000;
  if (Math.abs(diffMs) < 1000) return 'same time';
  return `${formatDuration(diffMs)} ${diffMs > 0 ? 'later' : 'earlier'}`;
}

function diffRows(left: ClaimRow[], right: ClaimRow[]): ClaimDiff[] {
  const byName = new Map(right.map((r) => [r.name, r]));
  const rows: ClaimDiff[] = [];
  for (const l of left) {
    const r = byName.get(l.name) ?? null;
    byName.delete(l.name);
    if (!r) rows.push({ name: l.name, status: 'removed', left: l, right: null, shift: null });
    else {
      const same = l.display === r.display;
      rows.push({
        name: l.name,
        status: same ? 'same' : 'changed',
        left: l,
        right: r,
        shift: same ? null : shiftOf(l, r),
      });
    }
  }
  for (const r of byName.values()) rows.push({ name: r.name, status: 'added', left: null, right: r, shift: null });
  return rows;
}

/**
 * The claim diff of two tokens, left to right: "added" is a claim only the right token has. A part only one
 * token has (a JWE has no readable payload) compares against no claims.
 */
export function diffTokens(left: TokenInspection, right: TokenInspection): PartDiff[] {
  const l = partsOf(left);
  const r = partsOf(right);
  const out: PartDiff[] = [];
  for (const part of ['Header', 'Payload'] as const) {
    if (l[part] === null && r[part] === null) continue;
    const rows = diffRows(l[part] ?? [], r[part] ?? []);
    out.push({ part, rows, changes: rows.filter((d) => d.status !== 'same').length });
  }
  return out;
}
