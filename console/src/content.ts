// Item content: Item.thumbnailUrl (grid) and Item.url (item page) are absolute signed URLs that need no
// Authorization header (on the gateway: /files/blobs/<sha256>?e=…&s=…), null when an item has no content.
export interface HasContent {
  thumbnailUrl?: string | null;
  url?: string | null;
  mimetype?: string | null;
}

export function thumbnail(item: object): string | null {
  return (item as HasContent).thumbnailUrl ?? null;
}

export function image(item: object): string | null {
  return (item as HasContent).url ?? null;
}

export function isVideo(item: object): boolean {
  return ((item as HasContent).mimetype ?? "").startsWith("video/");
}
