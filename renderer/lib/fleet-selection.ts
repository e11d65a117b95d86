/**
 * The fleet's selection as a value: each change makes a new set, so one signal says "the selection changed"
 * and 500 rows are selected in one step.
 */

/** `selected` with `ids` added (`on`) or taken out. */
export function selectMany(selected: ReadonlySet<string>, ids: Iterable<string>, on: boolean): ReadonlySet<string> {
  const next = new Set(selected);
  for (const id of ids) {
    if (on) next.add(id);
    else next.delete(id);
  }
  return next;
}

/**
 * `selected` with row `id` set `on` or off; with an `anchor` among `rows` (the row toggled last, for a
 * shift-click), every row from the anchor to `id` the same way.
 */
export function selectRange(
  selected: ReadonlySet<string>,
  rows: readonly { id: string }[],
  anchor: string | null,
  id: string,
  on: boolean,
): ReadonlySet<string> {
  const from = anchor === null ? -1 : rows.findIndex((o) => o.id === anchor);
  const to = rows.findIndex((o) => o.id === id);
  if (from === -1 || to === -1) return selectMany(selected, [id], on);
  return selectMany(
    selected,
    rows.slice(Math.min(from, to), Math.max(from, to) + 1).map((o) => o.id),
    on,
  );
}
