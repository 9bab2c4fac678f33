// The seam for item content. Today the schema has no Item.url / Item.thumbnailUrl: thumbnail() and image()
// answer null and the grid and the item view draw a placeholder and the annotations alone. When content lands,
// add the fields to the ItemCard fragment / ItemPage query (src/operations.ts), regenerate, and return them here.
export interface HasContent {
  thumbnailUrl?: string | null;
  url?: string | null;
}

export function thumbnail(item: object): string | null {
  return (item as HasContent).thumbnailUrl ?? null;
}

export function image(item: object): string | null {
  return (item as HasContent).url ?? null;
}
