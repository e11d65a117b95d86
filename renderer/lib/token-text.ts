/**
 * Where the token is in what the user pasted, and how to colour it: the same stripping main does before it
 * decodes (surrounding whitespace, a leading `Bearer `, matching quotes), kept as offsets so the coloured view
 * can mirror the text exactly as typed.
 */
import type { ClaimRow, TokenInspection } from '../../preload/contract';

/** The token inside the pasted text: `raw.slice(start, end)` is what main decodes. */
function locateToken(raw: string): { start: number; end: number } {
  let start = 0;
  let end = raw.length;
  const trim = () => {
    while (start < end && /\s/.test(raw[start] ?? '')) start++;
    while (end > start && /\s/.test(raw[end - 1] ?? '')) end--;
  };
  trim();
  const bearer = /^bearer(\s+|$)/i.exec(raw.slice(start, end));
  if (bearer) start += bearer[0].length;
  const first = raw[start];
  if (end - start >= 2 && (first === '"' || first === "'") && raw[end - 1] === first) {
    start++;
    end--;
  }
  trim();
  return { start, end };
}

/** A claim's key in the linked views: the part it is in and its name. */
export type ClaimKey = `${'header' | 'payload'}:${string}`;

export const claimKey = (part: 'header' | 'payload', name: string): ClaimKey => `${part}:${name}`;

/** One run of text in the coloured view: which part it belongs to and which claims' bytes it holds. */
export interface TextSegment {
  text: string;
  /** The colour: a part's index (header 0, payload 1, ...), 'dot' for a separator, null for text around it. */
  part: number | 'dot' | null;
  claims: ClaimKey[];
}

/** The part names of each token shape, for colours and legends (JWS 3 parts, JWE 5). */
export const JWS_PARTS = ['Header', 'Payload', 'Signature'] as const;
export const JWE_PARTS = ['Protected header', 'Encrypted key', 'IV', 'Ciphertext', 'Tag'] as const;

/**
 * A part of the token cut at its claims' spans (`span` offsets are in the part's own text). Spans widened
 * to base64 quanta can overlap by a few characters: such characters hold both claims.
 */
export function partSegments(
  text: string,
  part: number,
  rows: readonly ClaimRow[] | null,
  name: 'header' | 'payload' | null,
): TextSegment[] {
  const spans = name && rows ? rows.filter((r) => r.span && r.span.end > r.span.start) : [];
  if (spans.length === 0) return [{ text, part, claims: [] }];
  const cuts = new Set<number>([0, text.length]);
  for (const r of spans) {
    cuts.add(Math.max(0, Math.min(text.length, r.span!.start)));
    cuts.add(Math.max(0, Math.min(text.length, r.span!.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: TextSegment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i]!;
    const to = points[i + 1]!;
    if (to <= from) continue;
    const claims = spans.filter((r) => r.span!.start < to && r.span!.end > from).map((r) => claimKey(name!, r.name));
    out.push({ text: text.slice(from, to), part, claims });
  }
  return out;
}

/**
 * The pasted text as coloured runs. Claims are linked only when `inspection` decoded this very text (its
 * parts equal the text's), so a stale answer never marks the wrong bytes while the user types.
 */
export function tokenSegments(raw: string, inspection: TokenInspection | null): TextSegment[] {
  const { start, end } = locateToken(raw);
  const token = raw.slice(start, end);
  const parts = token.split('.');
  const out: TextSegment[] = [];
  if (start > 0) out.push({ text: raw.slice(0, start), part: null, claims: [] });
  // A Salesforce opaque token (its secret may hold dots): the org ID before `!` is the readable part.
  const bang = /^00D[a-zA-Z0-9]{12,15}!/.exec(token);
  if (bang) {
    out.push({ text: bang[0].slice(0, -1), part: 0, claims: [] });
    out.push({ text: '!', part: 'dot', claims: [] });
    out.push({ text: token.slice(bang[0].length), part: 2, claims: [] });
  } else if (parts.length === 3 || parts.length === 5) {
    const jws =
      inspection?.kind === 'jws' && inspection.parts.header === parts[0] && inspection.parts.payload === parts[1];
    parts.forEach((text, i) => {
      if (i > 0) out.push({ text: '.', part: 'dot', claims: [] });
      if (jws && i < 2) {
        const rows = i === 0 ? inspection.header : inspection.payload;
        out.push(...partSegments(text, i, rows, i === 0 ? 'header' : 'payload'));
      } else out.push({ text, part: i, claims: [] });
    });
  } else if (token !== '') out.push({ text: token, part: null, claims: [] });
  if (end < raw.length) out.push({ text: raw.slice(end), part: null, claims: [] });
  return out;
}

/** Tokens longer than this are shown folded: {@link FOLD_EDGE} characters of their start and end. */
export const FOLD_CHARS = 16_384;
const FOLD_EDGE = 1_200;

/**
 * The first and last {@link FOLD_EDGE} characters of the coloured runs, each run cut where the fold cuts it,
 * and how many characters lie between.
 */
export function foldSegments(segments: readonly TextSegment[]): {
  head: TextSegment[];
  tail: TextSegment[];
  hidden: number;
} {
  const total = segments.reduce((n, s) => n + s.text.length, 0);
  const head: TextSegment[] = [];
  const tail: TextSegment[] = [];
  let at = 0;
  for (const seg of segments) {
    const from = at;
    const to = at + seg.text.length;
    at = to;
    if (from < FOLD_EDGE) head.push({ ...seg, text: seg.text.slice(0, FOLD_EDGE - from) });
    if (to > total - FOLD_EDGE) tail.push({ ...seg, text: seg.text.slice(Math.max(0, total - FOLD_EDGE - from)) });
  }
  return { head, tail, hidden: Math.max(0, total - 2 * FOLD_EDGE) };
}
