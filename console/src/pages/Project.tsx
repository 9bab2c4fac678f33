import { ProjectPage } from "../operations";
import { useQuery } from "../hooks";
import { Crumbs, ErrorBox, Loading } from "../ui";

export function ProjectView({ id }: { id: string }) {
  const { data, error, loading } = useQuery(ProjectPage, { id });
  if (error) return <ErrorBox error={error} />;
  if (loading || !data) return <Loading what="the project" />;
  const p = data.project;
  if (!p) return <ErrorBox error={new Error(`project ${id} not found`)} />;
  return (
    <section>
      <Crumbs><a href="#/">{p.organization.name}</a> / <span>{p.name}</span></Crumbs>
      <h1>{p.name}</h1>
      {p.description ? <p>{p.description}</p> : null}
      <p><a href={`#/projects/${p.id}/executions`}>Executions board</a> ({p.services.nodes.length} services) ·{" "}
        <a href={`#/projects/${p.id}/jobs`}>Jobs</a> (exports, clones, merges)</p>
      <h2>Datasets <span className="count">({p.datasets.totalCount})</span></h2>
      <table>
        <thead><tr><th scope="col">Dataset</th><th scope="col">Items</th><th scope="col">Annotated</th></tr></thead>
        <tbody>
          {p.datasets.nodes.map((d) => (
            <tr key={d.id}>
              <td><a href={`#/datasets/${d.id}`}>{d.name}</a>{d.readonly ? " (read-only)" : ""}</td>
              <td className="num">{d.itemsCount}</td>
              <td className="num">{d.annotatedCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
