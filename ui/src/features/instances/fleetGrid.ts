// The picker table's two pure rules: which rows a scroll position shows (fixed row
// height, so the window is computed, never measured), and what a click on a row's
// checkbox does to the selection (shift extends from the last click, as a file list).

/** Rows `[start, end)` to render for a viewport at `scrollTop`, with `overscan` rows each side. */
export function visibleRange(scrollTop: number, viewport: number, count: number, rowHeight: number, overscan: number): [number, number] {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.max(0, Math.min(count, first - overscan));
  const end = Math.min(count, first + Math.ceil(viewport / rowHeight) + overscan);
  return [start, Math.max(start, end)];
}

/** The keys a click changes: the clicked row, or with shift the rows from the anchor to it. */
export function clickedKeys(keys: readonly string[], index: number, anchor: number | undefined, shift: boolean): string[] {
  if (!shift || anchor === undefined || anchor >= keys.length) return keys.slice(index, index + 1);
  const [from, to] = anchor < index ? [anchor, index] : [index, anchor];
  return keys.slice(from, to + 1);
}

export function toggle(current: readonly string[], keys: readonly string[], on: boolean): string[] {
  const set = new Set(current);
  for (const k of keys) {
    if (on) set.add(k);
    else set.delete(k);
  }
  return [...set];
}
