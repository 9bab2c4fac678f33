// A project's executions by status, live: the first page from `executions`, then every change from the
// `executionsUpdated` subscription (per execution in version order), merged by id. Progress bars move as
// executions report progress; a new execution is started with `executionCreate`.
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, onConnected, request, subscribe } from "../api";
import { ExecutionCreate, ExecutionsUpdated, ProjectExecutions } from "../operations";
import type { ExecutionFieldsFragment, ExecutionStatus } from "../gql/graphql";
import { useQuery } from "../hooks";
import { Crumbs, ErrorBox, Loading } from "../ui";

export const STATUSES: ExecutionStatus[] = ["CREATED", "IN_PROGRESS", "SUCCESS", "FAILED", "SYSTEM_FAILURE",
  "TERMINATED", "ABORTED", "CANCELED"];
export const statusLabel = (s: string) => s.toLowerCase().replace("_", " ");

type Ex = ExecutionFieldsFragment;

function merge(map: Map<string, Ex>, e: Ex): Map<string, Ex> {
  const old = map.get(e.id);
  if (old && old.version > e.version) return map;
  const next = new Map(map);
  next.set(e.id, e);
  return next;
}

export function Progress({ e }: { e: Ex }) {
  return <progress max={100} value={e.progress} aria-label={`progress of ${e.functionName} ${e.id}`}>{e.progress}%</progress>;
}

export function Board({ projectId }: { projectId: string }) {
  const { data, error, reload } = useQuery(ProjectExecutions, { projectId });
  const [map, setMap] = useState<Map<string, Ex>>(new Map());
  const [live, setLive] = useState<ApiError | null>(null);
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    // subscribe first, then merge the page: a change between the two is kept by version
    // (re)connected: read the page again, so nothing that changed while the socket was down is missed
    const stopConnected = onConnected(() => { setConnected(true); reload(); });
    const stop = subscribe(ExecutionsUpdated, { projectId }, (d) => setMap((m) => merge(m, d.executionsUpdated)),
      (e) => { setConnected(false); setLive(e); });
    return () => { stop(); stopConnected(); };
  }, [projectId, reload]);
  useEffect(() => {
    if (data?.project) setMap((m) => data.project!.executions.nodes.reduce(merge, m));
  }, [data]);

  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading what="executions" />;
  const project = data.project;
  if (!project) return <ErrorBox error={new Error(`project ${projectId} not found`)} />;
  const all = [...map.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <section>
      <Crumbs><a href={`#/projects/${project.id}`}>{project.name}</a> / <span>Executions</span></Crumbs>
      <h1>Executions <span className="count">({all.length})</span></h1>
      <p className="muted" aria-live="polite">{connected ? "Live: changes appear as they commit." : "Connecting…"}</p>
      <ErrorBox error={live} />
      <StartForm services={project.services.nodes} onStarted={(e) => setMap((m) => merge(m, e))} />
      <div className="board">
        {STATUSES.filter((s) => ["CREATED", "IN_PROGRESS", "SUCCESS", "FAILED"].includes(s) || all.some((e) => e.status === s)).map((s) => {
          const col = all.filter((e) => e.status === s);
          return (
            <section key={s} className="column" data-status={s} aria-labelledby={`col-${s}`}>
              <h2 id={`col-${s}`}>{statusLabel(s)} <span className="count">({col.length})</span></h2>
              <ul className="plain">
                {col.map((e) => (
                  <li key={e.id} className="excard" data-execution-id={e.id} data-status={e.status}>
                    <a href={`#/executions/${e.id}`}>{e.service.name}.{e.functionName}</a>
                    <Progress e={e} />
                    <span className="small muted"><span data-testid="execution-percent">{e.progress}%</span>
                      {e.latestStatus.message ? <> · <span data-testid="execution-message">{e.latestStatus.message}</span></> : null}</span>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </section>
  );
}

function StartForm({ services, onStarted }: { services: { id: string; name: string; active: boolean }[];
  onStarted: (e: Ex) => void }) {
  const [serviceId, setServiceId] = useState(services[0]?.id ?? "");
  const [fn, setFn] = useState("run");
  const [input, setInput] = useState("{}");
  const [error, setError] = useState<Error | null>(null);
  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setError(null);
    let parsed: unknown;
    try { parsed = JSON.parse(input || "{}"); } catch (e) {
      setError(new Error(`input: not JSON (${(e as Error).message})`));
      return;
    }
    try {
      const r = await request(ExecutionCreate, { input: { serviceId, functionName: fn, input: parsed } });
      const p = r.executionCreate;
      if (p.errors.length) throw new ApiError(p.errors.map((x) => (x.field ? `${x.field.join(".")}: ` : "") + x.message).join("; "), p.errors[0].code);
      if (p.execution) onStarted(p.execution);
    } catch (e) { setError(e as Error); }
  }
  if (!services.length) return <p className="muted">This project has no service to run.</p>;
  return (
    <form className="filters" onSubmit={submit} aria-label="Start an execution">
      <div className="field"><label htmlFor="x-service">Service</label>
        <select id="x-service" value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
          {services.map((s) => <option key={s.id} value={s.id}>{s.name}{s.active ? "" : " (inactive)"}</option>)}
        </select></div>
      <div className="field"><label htmlFor="x-function">Function</label>
        <input id="x-function" value={fn} onChange={(e) => setFn(e.target.value)} /></div>
      <div className="field"><label htmlFor="x-input">Input (JSON)</label>
        <input id="x-input" value={input} onChange={(e) => setInput(e.target.value)} /></div>
      <button type="submit">Start execution</button>
      <ErrorBox error={error} />
    </form>
  );
}
