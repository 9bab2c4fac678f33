import { Organizations } from "../operations";
import { useQuery } from "../hooks";
import { ErrorBox, Loading } from "../ui";

export function Home() {
  const { data, error, loading } = useQuery(Organizations, {});
  if (error) return <ErrorBox error={error} />;
  if (loading || !data) return <Loading what="organizations" />;
  return (
    <section>
      <h1>Organizations <span className="count">({data.organizations.totalCount})</span></h1>
      {data.organizations.nodes.length === 0 ? <p>You belong to no organization yet.</p> : null}
      {data.organizations.nodes.map((org) => (
        <article key={org.id} className="card org">
          <h2>{org.name} <span className="muted">{org.plan}</span></h2>
          <p>{org.projects.totalCount} project{org.projects.totalCount === 1 ? "" : "s"}</p>
          <ul className="plain">
            {org.projects.nodes.map((p) => (
              <li key={p.id}>
                <a href={`#/projects/${p.id}`}>{p.name}</a>{" "}
                <span className="muted">{p.datasets.totalCount} dataset{p.datasets.totalCount === 1 ? "" : "s"}</span>
              </li>
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}
