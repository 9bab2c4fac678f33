// An item: its image (Item.url) at its natural size, scaled to the page, with the annotations drawn over it in
// SVG in their labels' colours (boxes, polygons, polylines, points; classes as chips), or its video with the
// player's controls (seeking: the gateway answers Range requests) and the current frame's annotations over it;
// its metadata, and its status in each of its tasks, which can be set here (itemStatusSet). Keyboard: ← and →
// open the previous and next item of the grid it was opened from (browse.ts), Escape goes back to the grid.
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, request } from "../api";
import { ItemPage, ItemStatusSet } from "../operations";
import type { ItemPageQuery } from "../gql/graphql";
import { useQuery } from "../hooks";
import { image, isVideo } from "../content";
import { neighbours } from "../browse";
import { Crumbs, ErrorBox, Json, Loading } from "../ui";

type ItemData = NonNullable<ItemPageQuery["item"]>;
type Annotation = ItemData["annotations"]["nodes"][number];
type TaskStatus = ItemData["taskStatuses"][number];
interface P { x: number; y: number }

const isP = (v: unknown): v is P =>
  typeof v === "object" && v !== null && typeof (v as P).x === "number" && typeof (v as P).y === "number";

function points(a: Annotation): P[] {
  const c = a.coordinates;
  if (isP(c)) return [c];
  if (Array.isArray(c)) {
    const flat = Array.isArray(c[0]) ? (c[0] as unknown[]) : c;
    return flat.filter(isP);
  }
  return [];
}

function Shape({ a, color }: { a: Annotation; color: string }) {
  const ps = points(a);
  const common = { "data-annotation-id": a.id, "data-type": a.type, "data-label": a.label, stroke: color,
    className: "shape" };
  const title = <title>{`${a.label} (${a.type.toLowerCase()})`}</title>;
  if (a.type === "BOX" && ps.length >= 2) {
    const [p, q] = ps;
    return (
      <rect {...common} x={Math.min(p.x, q.x)} y={Math.min(p.y, q.y)} width={Math.abs(q.x - p.x)}
        height={Math.abs(q.y - p.y)} fill={color} fillOpacity={0.15}>{title}</rect>
    );
  }
  if (a.type === "POLYGON" && ps.length >= 3) {
    return <polygon {...common} points={ps.map((p) => `${p.x},${p.y}`).join(" ")} fill={color} fillOpacity={0.2}>{title}</polygon>;
  }
  if (a.type === "POLYLINE" && ps.length >= 2) {
    return <polyline {...common} points={ps.map((p) => `${p.x},${p.y}`).join(" ")} fill="none">{title}</polyline>;
  }
  if (a.type === "POINT" && ps.length >= 1) {
    return <circle {...common} cx={ps[0].x} cy={ps[0].y} r={5} fill={color}>{title}</circle>;
  }
  return null;
}

function TaskStatusRow({ itemId, ts }: { itemId: string; ts: TaskStatus }) {
  const task = ts.task;
  const [status, setStatus] = useState<string | null>(ts.status ?? null);
  const [draft, setDraft] = useState<string>(ts.status ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (!task) return <li>task: {status ?? "no status"}</li>;
  const selectId = `status-${task.id}`;
  const shown = task.availableActions.find((a) => a.action === status);
  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const next = draft === "" ? null : draft;
      const r = await request(ItemStatusSet, { input: { taskId: task!.id, itemId, status: next } });
      const err = r.itemStatusSet.errors[0];
      if (err) setError(new ApiError(err.message, err.code));
      else { setStatus(next); setError(null); }
    } catch (x) {
      setError(x as ApiError);
    } finally {
      setBusy(false);
    }
  }
  return (
    <li data-task-id={task.id}>
      <form className="status-form" onSubmit={save} aria-label={`Status in ${task.name}`}>
        <span>{task.name}: </span>
        {shown ? <span className="swatch" style={{ background: shown.color }} aria-hidden="true" /> : null}
        <strong data-testid="task-status">{shown?.displayName ?? status ?? "no status"}</strong>{" "}
        <label htmlFor={selectId} className="visually-hidden">{`New status in ${task.name}`}</label>
        <select id={selectId} value={draft} onChange={(e) => setDraft(e.target.value)} disabled={busy}>
          <option value="">no status</option>
          {task.availableActions.map((a) => <option key={a.action} value={a.action}>{a.displayName}</option>)}
        </select>{" "}
        <button type="submit" disabled={busy || draft === (status ?? "")}>Set status</button>
      </form>
      <ErrorBox error={error} />
    </li>
  );
}

function Stage({ item, anns, color }: { item: ItemData; anns: Annotation[]; color: (tag: string) => string }) {
  const src = image(item);
  const all = anns.flatMap(points);
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const [frame, setFrame] = useState(0);
  // the image's natural size once it has loaded (else the probed size, else the annotations' extent)
  const width = natural?.w ?? item.width ?? Math.max(640, ...all.map((p) => p.x + 10));
  const height = natural?.h ?? item.height ?? Math.max(480, ...all.map((p) => p.y + 10));
  const video = src !== null && isVideo(item);
  // on a video: the annotations of the frame on screen (frame..endFrame), and those of no frame
  const onFrame = (a: Annotation) => a.frame == null || (a.frame <= frame && frame <= (a.endFrame ?? a.frame));
  const drawn = video ? anns.filter(onFrame) : anns;
  const overlay = (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" data-testid="annotation-canvas" preserveAspectRatio="none"
      aria-label={`${item.name} with ${anns.length} annotations`} className={src ? "overlay" : undefined}>
      {src ? null : <rect width={width} height={height} className="placeholder" />}
      {drawn.map((a) => <Shape key={a.id} a={a} color={color(a.label)} />)}
    </svg>
  );
  if (!src) return overlay;
  return (
    <div className="stage" style={{ aspectRatio: `${width} / ${height}`, maxWidth: `${width}px` }}>
      {video ? (
        <video src={src} controls preload="metadata" data-testid="item-video" aria-label={item.name}
          onLoadedMetadata={(e) => setNatural({ w: e.currentTarget.videoWidth, h: e.currentTarget.videoHeight })}
          onTimeUpdate={(e) => setFrame(Math.floor(e.currentTarget.currentTime * (item.fps ?? 25)))}
          onSeeked={(e) => setFrame(Math.floor(e.currentTarget.currentTime * (item.fps ?? 25)))} />
      ) : (
        <img src={src} alt={item.name} data-testid="item-image"
          onLoad={(e) => setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })} />
      )}
      {overlay}
    </div>
  );
}

/** ← / → to the previous / next item of the grid, Escape back to it; not while typing in a field or using the
 * video player's own keys. */
function ItemKeys({ datasetId, itemId }: { datasetId: string; itemId: string }) {
  const around = neighbours(datasetId, itemId);
  useEffect(() => {
    function onKey(e: globalThis.KeyboardEvent) {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.closest("input, select, textarea, video, [contenteditable=true]") || t.isContentEditable)) return;
      const to = e.key === "ArrowLeft" ? around?.prev : e.key === "ArrowRight" ? around?.next : undefined;
      if (to) { e.preventDefault(); location.hash = `#/items/${to}`; }
      else if (e.key === "Escape") { e.preventDefault(); location.hash = `#/datasets/${datasetId}`; }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [datasetId, around?.prev, around?.next]);
  return (
    <nav aria-label="Items of the dataset" className="item-nav">
      {around?.prev ? <a href={`#/items/${around.prev}`} rel="prev">← Previous</a> : null}
      {around ? <span data-testid="item-position">{`${around.index + 1} of ${around.total}`}</span> : null}
      {around?.next ? <a href={`#/items/${around.next}`} rel="next">Next →</a> : null}
      <span className="muted small">{around ? "← → between items, " : ""}Esc back to the grid</span>
    </nav>
  );
}

export function ItemView({ id }: { id: string }) {
  const { data, error, loading } = useQuery(ItemPage, { id });
  if (error) return <ErrorBox error={error} />;
  if (loading || !data) return <Loading what="the item" />;
  const item = data.item;
  if (!item) return <ErrorBox error={new Error(`item ${id} not found`)} />;
  const colors = new Map(item.dataset.labels.map((l) => [l.tag, l.color]));
  const color = (tag: string) => colors.get(tag) ?? "#6b7280";
  const anns = item.annotations.nodes;
  const classes = anns.filter((a) => a.type === "CLASSIFICATION");
  return (
    <section>
      <Crumbs>
        <a href={`#/projects/${item.dataset.project.id}`}>{item.dataset.project.name}</a> /{" "}
        <a href={`#/datasets/${item.dataset.id}`}>{item.dataset.name}</a> / <span>{item.name}</span>
      </Crumbs>
      <h1>{item.name}</h1>
      <ItemKeys datasetId={item.dataset.id} itemId={item.id} />
      <div className="item-layout">
        <figure className="canvas">
          <Stage item={item} anns={anns} color={color} />
          <figcaption>
            {classes.map((a) => (
              <span key={a.id} className="chip" data-annotation-id={a.id} data-type={a.type}
                style={{ borderColor: color(a.label) }}>{a.label}</span>
            ))}
          </figcaption>
        </figure>
        <aside>
          <h2>Annotations ({item.annotations.totalCount})</h2>
          <ul className="plain">
            {anns.map((a) => (
              <li key={a.id}><span className="swatch" style={{ background: color(a.label) }} aria-hidden="true" />
                {a.label} <span className="muted">{a.type.toLowerCase()}</span></li>
            ))}
          </ul>
          <h2>Task statuses</h2>
          {item.taskStatuses.length === 0 ? <p className="muted">No task has this item.</p> : (
            <ul className="plain">
              {item.taskStatuses.map((t, i) => <TaskStatusRow key={t.task?.id ?? i} itemId={item.id} ts={t} />)}
            </ul>
          )}
          <h2>Details</h2>
          <dl>
            <dt>Directory</dt><dd>{item.dir}</dd>
            <dt>Type</dt><dd>{item.mimetype ?? item.type}</dd>
            <dt>Size</dt><dd>{item.width && item.height ? `${item.width} × ${item.height}` : "unknown"}</dd>
            {item.duration ? <><dt>Duration</dt><dd>{`${item.duration.toFixed(2)} s at ${item.fps ?? "?"} fps`}</dd></> : null}
            <dt>Updated</dt><dd>{item.updatedAt}</dd>
          </dl>
          <h2>Metadata</h2>
          <Json value={item.metadata} />
        </aside>
      </div>
    </section>
  );
}
