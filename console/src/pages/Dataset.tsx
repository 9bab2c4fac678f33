// A dataset's items: a filter bar, the count, and a virtualized grid (only the visible rows are in the DOM,
// so 10,000 items scroll like 100) that loads the next keyset page (`after: endCursor`) as the end comes near.
// Arrow keys move between cells, Enter opens an item (the item page then steps through the grid's items: browse.ts). "Export" starts a dataset export (Jobs.tsx).
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { ApiError, request } from "../api";
import { DatasetItems } from "../operations";
import type { ItemCardFragment, ItemFilter, DatasetItemsQuery } from "../gql/graphql";
import { thumbnail } from "../content";
import { rememberBrowse } from "../browse";
import { Crumbs, ErrorBox } from "../ui";
import { ExportForm } from "./Jobs";

const PAGE = 100;
const CELL_W = 168;
const CELL_H = 156;

interface Filters { dir: string; name: string; annotated: "" | "yes" | "no"; label: string; metaPath: string; metaValue: string }
const EMPTY: Filters = { dir: "", name: "", annotated: "", label: "", metaPath: "", metaValue: "" };

function toFilter(f: Filters): ItemFilter | null {
  const filter: ItemFilter = {};
  if (f.dir) filter.dir = f.dir.includes("*") ? { glob: f.dir } : { eq: f.dir };
  if (f.name) filter.name = f.name.includes("*") || f.name.includes("?") ? { glob: f.name } : { eq: f.name };
  if (f.annotated) filter.annotated = f.annotated === "yes";
  if (f.label) filter.annotations = { label: { eq: f.label } };  // items with at least one annotation of the label
  if (f.metaPath) {
    let value: unknown = f.metaValue;
    try { value = JSON.parse(f.metaValue); } catch { /* a bare word is a string */ }
    filter.metadata = [{ path: f.metaPath, eq: value }];
  }
  return Object.keys(filter).length ? filter : null;
}

type Dataset = NonNullable<DatasetItemsQuery["dataset"]>;

export function DatasetView({ id }: { id: string }) {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [dataset, setDataset] = useState<Dataset | null>(null);
  const [items, setItems] = useState<ItemCardFragment[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [cursor, setCursor] = useState<{ end: string | null; more: boolean }>({ end: null, more: true });
  const [error, setError] = useState<ApiError | null>(null);
  const loading = useRef(false);
  const generation = useRef(0);

  const load = useCallback(async (after: string | null, reset: boolean) => {
    if (loading.current && !reset) return;
    loading.current = true;
    const gen = reset ? ++generation.current : generation.current;
    try {
      const data = await request(DatasetItems, { id, first: PAGE, after, filter: toFilter(filters) });
      if (gen !== generation.current) return;
      const d = data.dataset;
      if (!d) throw new ApiError(`dataset ${id} not found`, "NOT_FOUND");
      setDataset(d);
      setTotal(d.items.totalCount);
      setItems((prev) => (reset ? d.items.nodes : [...prev, ...d.items.nodes]));
      setCursor({ end: d.items.pageInfo.endCursor ?? null, more: d.items.pageInfo.hasNextPage });
      setError(null);
    } catch (e) {
      if (gen === generation.current) setError(e as ApiError);
    } finally {
      if (gen === generation.current) loading.current = false;
    }
  }, [id, filters]);

  useEffect(() => { setItems([]); setTotal(null); void load(null, true); }, [load]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters(draft);
  }

  return (
    <section>
      {dataset ? (
        <Crumbs>
          <a href={`#/projects/${dataset.project.id}`}>{dataset.project.name}</a> / <span>{dataset.name}</span>
        </Crumbs>
      ) : null}
      <h1>{dataset?.name ?? "Dataset"}</h1>
      {dataset ? <ExportForm datasetId={dataset.id} projectId={dataset.project.id} filter={toFilter(filters)} /> : null}
      <form className="filters" onSubmit={apply} aria-label="Filter items">
        <Field id="f-dir" label="Directory"><input id="f-dir" value={draft.dir} placeholder="/train or /train/**"
          onChange={(e) => setDraft({ ...draft, dir: e.target.value })} /></Field>
        <Field id="f-name" label="Name"><input id="f-name" value={draft.name} placeholder="*.jpg"
          onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></Field>
        <Field id="f-annotated" label="Annotated"><select id="f-annotated" value={draft.annotated}
          onChange={(e) => setDraft({ ...draft, annotated: e.target.value as Filters["annotated"] })}>
          <option value="">any</option><option value="yes">yes</option><option value="no">no</option>
        </select></Field>
        <Field id="f-label" label="Label"><select id="f-label" value={draft.label}
          onChange={(e) => setDraft({ ...draft, label: e.target.value })}>
          <option value="">any</option>
          {(dataset?.labels ?? []).map((l) => <option key={l.tag} value={l.tag}>{l.tag}</option>)}
        </select></Field>
        <Field id="f-path" label="Metadata path"><input id="f-path" value={draft.metaPath} placeholder="user.split"
          onChange={(e) => setDraft({ ...draft, metaPath: e.target.value })} /></Field>
        <Field id="f-value" label="Metadata value"><input id="f-value" value={draft.metaValue}
          placeholder='"train" or 3' onChange={(e) => setDraft({ ...draft, metaValue: e.target.value })} /></Field>
        <button type="submit">Filter</button>
        <button type="button" onClick={() => { setDraft(EMPTY); setFilters(EMPTY); }}>Clear</button>
      </form>
      <p aria-live="polite" className="count" data-testid="item-count">
        {total === null ? "Loading items…" : `${total.toLocaleString("en")} item${total === 1 ? "" : "s"}`}
        {total !== null && items.length < total ? ` (${items.length.toLocaleString("en")} loaded)` : ""}
      </p>
      <ErrorBox error={error} />
      <ItemGrid items={items} more={cursor.more} onNeedMore={() => cursor.more && void load(cursor.end, false)}
        onOpen={() => rememberBrowse({ datasetId: id, ids: items.map((i) => i.id) })} />
    </section>
  );
}

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return <div className="field"><label htmlFor={id}>{label}</label>{children}</div>;
}

function ItemGrid({ items, more, onNeedMore, onOpen }: { items: ItemCardFragment[]; more: boolean;
  onNeedMore: () => void; onOpen: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, width: 800, height: 600 });
  const [focus, setFocus] = useState(0);
  const columns = Math.max(1, Math.floor(view.width / CELL_W));
  const rows = Math.ceil(items.length / columns);
  const first = Math.max(0, Math.floor(view.top / CELL_H) - 2);
  const last = Math.min(rows, Math.ceil((view.top + view.height) / CELL_H) + 2);

  const measure = useCallback(() => {
    const el = box.current;
    if (el) setView({ top: el.scrollTop, width: el.clientWidth, height: el.clientHeight });
  }, []);
  useLayoutEffect(() => {
    measure();
    const ro = new ResizeObserver(measure);
    if (box.current) ro.observe(box.current);
    return () => ro.disconnect();
  }, [measure]);
  useEffect(() => {
    // the next page when the last loaded row comes within two screens (or the grid does not fill the box)
    if (more && last * columns >= items.length - columns * 2 - 1) onNeedMore();
  }, [more, last, columns, items.length, onNeedMore]);

  function onKey(e: KeyboardEvent) {
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns, Home: -items.length,
      End: items.length }[e.key];
    if (step === undefined || !items.length) return;
    e.preventDefault();
    const next = Math.min(items.length - 1, Math.max(0, focus + step));
    setFocus(next);
    const el = box.current!;
    const rowTop = Math.floor(next / columns) * CELL_H;
    if (rowTop < el.scrollTop) el.scrollTop = rowTop;
    else if (rowTop + CELL_H > el.scrollTop + el.clientHeight) el.scrollTop = rowTop + CELL_H - el.clientHeight;
    requestAnimationFrame(() => box.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
  }

  const cells = [];
  for (let i = first * columns; i < Math.min(items.length, last * columns); i++) {
    const item = items[i];
    const thumb = thumbnail(item);
    cells.push(
      <div key={item.id} role="listitem" className="cell"
        style={{ top: Math.floor(i / columns) * CELL_H, left: (i % columns) * CELL_W }}>
      <a href={`#/items/${item.id}`} data-index={i} data-item-id={item.id}
        tabIndex={i === focus ? 0 : -1} onFocus={() => setFocus(i)} onClick={onOpen}>
        {thumb ? <img src={thumb} alt="" loading="lazy" /> : <span className="thumb" aria-hidden="true">{item.type === "dir" ? "📁" : (item.mimetype ?? "file").split("/")[0]}</span>}
        <span className="name">{item.name}</span>
        <span className="muted small">{item.annotationsCount} annotation{item.annotationsCount === 1 ? "" : "s"}</span>
      </a>
      </div>,
    );
  }
  return (
    <div ref={box} className="grid" onScroll={measure} onKeyDown={onKey}>
      <div role="list" aria-label="Items"
        style={{ height: rows * CELL_H + (more ? CELL_H : 0), position: "relative" }}>{cells}</div>
    </div>
  );
}
