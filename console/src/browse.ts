// Where an item was opened from: the dataset grid writes the ids it has loaded (in its order, under its filter)
// when an item is opened, so the item page can go to the previous and next item with the arrow keys, and back
// to the grid with Escape. Kept in the tab's session storage, like the token.
const KEY = "labelgraph.browse";

export interface Browse { datasetId: string; ids: string[] }

export function rememberBrowse(b: Browse): void {
  try { sessionStorage.setItem(KEY, JSON.stringify(b)); } catch { /* full or unavailable: no prev/next */ }
}

/** The previous and next item around `itemId` in the list it was opened from, and its place there. */
export function neighbours(datasetId: string, itemId: string): { prev: string | null; next: string | null;
  index: number; total: number } | null {
  let b: Browse | null = null;
  try { b = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as Browse | null; } catch { b = null; }
  if (!b || b.datasetId !== datasetId) return null;
  const index = b.ids.indexOf(itemId);
  if (index < 0) return null;
  return { prev: index > 0 ? b.ids[index - 1] : null, next: index + 1 < b.ids.length ? b.ids[index + 1] : null,
    index, total: b.ids.length };
}
