// An item: its image (when item content lands: src/content.ts) with the annotations drawn over it in SVG, in
// their labels' colours (boxes, polygons, polylines, points; classes as chips), its metadata and task statuses.
import { ItemPage } from "../operations";
import type { ItemPageQuery } from "../gql/graphql";
import { useQuery } from "../hooks";
import { image } from "../content";
import { Crumbs, ErrorBox, Json, Loading } from "../ui";

type Annotation = NonNullable<ItemPageQuery["item"]>["annotations"]["nodes"][number];
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

export function ItemView({ id }: { id: string }) {
  const { data, error, loading } = useQuery(ItemPage, { id });
  if (error) return <ErrorBox error={error} />;
  if (loading || !data) return <Loading what="the item" />;
  const item = data.item;
  if (!item) return <ErrorBox error={new Error(`item ${id} not found`)} />;
  const colors = new Map(item.dataset.labels.map((l) => [l.tag, l.color]));
  const color = (tag: string) => colors.get(tag) ?? "#6b7280";
  const anns = item.annotations.nodes;
  const all = anns.flatMap(points);
  const width = item.width ?? Math.max(640, ...all.map((p) => p.x + 10));
  const height = item.height ?? Math.max(480, ...all.map((p) => p.y + 10));
  const src = image(item);
  const classes = anns.filter((a) => a.type === "CLASSIFICATION");
  return (
    <section>
      <Crumbs>
        <a href={`#/projects/${item.dataset.project.id}`}>{item.dataset.project.name}</a> /{" "}
        <a href={`#/datasets/${item.dataset.id}`}>{item.dataset.name}</a> / <span>{item.name}</span>
      </Crumbs>
      <h1>{item.name}</h1>
      <div className="item-layout">
        <figure className="canvas">
          <svg viewBox={`0 0 ${width} ${height}`} role="img" data-testid="annotation-canvas"
            aria-label={`${item.name} with ${anns.length} annotations`}>
            {src ? <image href={src} width={width} height={height} /> : <rect width={width} height={height} className="placeholder" />}
            {anns.map((a) => <Shape key={a.id} a={a} color={color(a.label)} />)}
          </svg>
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
              {item.taskStatuses.map((t, i) => <li key={i}>{t.task?.name ?? "task"}: {t.status ?? "no status"}</li>)}
            </ul>
          )}
          <h2>Details</h2>
          <dl>
            <dt>Directory</dt><dd>{item.dir}</dd>
            <dt>Type</dt><dd>{item.mimetype ?? item.type}</dd>
            <dt>Size</dt><dd>{item.width && item.height ? `${item.width} × ${item.height}` : "unknown"}</dd>
            <dt>Updated</dt><dd>{item.updatedAt}</dd>
          </dl>
          <h2>Metadata</h2>
          <Json value={item.metadata} />
        </aside>
      </div>
    </section>
  );
}
