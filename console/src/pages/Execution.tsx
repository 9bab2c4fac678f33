// One execution, live (`executionUpdated`: its state, then every change until a terminal status): its status
// log, progress, rerun (the same execution queued again: its stream and log tail start over) and terminate, and
// its logs tailing (Logs.tsx).
import { useEffect, useState } from "react";
import { ApiError, request, subscribe } from "../api";
import { ExecutionPage, ExecutionRerun, ExecutionTerminate, ExecutionUpdated } from "../operations";
import { useQuery } from "../hooks";
import { Crumbs, ErrorBox, Json, Loading } from "../ui";
import { Progress, statusLabel } from "./Board";
import { LogTail } from "./Logs";
import type { ExecutionPageQuery, ExecutionUpdatedSubscription } from "../gql/graphql";

type Ex = NonNullable<ExecutionPageQuery["execution"]>;
type Live = ExecutionUpdatedSubscription["executionUpdated"];
const TERMINAL = ["SUCCESS", "FAILED", "TERMINATED", "ABORTED", "CANCELED", "SYSTEM_FAILURE"];

export function ExecutionView({ id }: { id: string }) {
  const { data, error } = useQuery(ExecutionPage, { id });
  const [live, setLive] = useState<Live | null>(null);
  const [problem, setProblem] = useState<Error | null>(null);
  // a rerun queues the same execution again: its stream (which completed at the terminal status) and its log
  // tail start again
  const [run, setRun] = useState(0);
  useEffect(() => { setLive(null); setRun(0); }, [id]);
  useEffect(() => subscribe(ExecutionUpdated, { id }, (d) => setLive((old) =>
    !old || d.executionUpdated.version >= old.version ? d.executionUpdated : old), setProblem), [id, run]);

  async function act(which: "rerun" | "terminate") {
    setProblem(null);
    try {
      const payload = which === "rerun"
        ? (await request(ExecutionRerun, { id })).executionRerun
        : (await request(ExecutionTerminate, { id })).executionTerminate;
      if (payload.errors.length) throw new ApiError(payload.errors.map((e) => e.message).join("; "), payload.errors[0].code);
      if (payload.execution && payload.execution.id !== id) location.hash = `#/executions/${payload.execution.id}`;
      else if (which === "rerun") setRun((r) => r + 1);
    } catch (e) { setProblem(e as Error); }
  }

  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading what="the execution" />;
  const base = data.execution;
  if (!base) return <ErrorBox error={new Error(`execution ${id} not found`)} />;
  const e: Ex = live && live.version >= base.version ? { ...base, ...live } : base;
  return (
    <section>
      <Crumbs>
        <a href={`#/projects/${e.project.id}`}>{e.project.name}</a> /{" "}
        <a href={`#/projects/${e.project.id}/executions`}>Executions</a> / <span>{e.id}</span>
      </Crumbs>
      <h1>{e.service.name}.{e.functionName}</h1>
      <p>Status: <strong data-testid="execution-status">{statusLabel(e.status)}</strong>{" "}
        <Progress e={e} /> {e.progress}%
        {e.latestStatus.message ? <> · <span data-testid="execution-message">{e.latestStatus.message}</span></> : null}
        {" "}· attempt {e.attempts} of {e.maxAttempts}
        {e.toTerminate ? " · termination requested" : ""}</p>
      <p>
        <button type="button" onClick={() => act("rerun")} disabled={!TERMINAL.includes(e.status)}>Rerun</button>{" "}
        <button type="button" onClick={() => act("terminate")} disabled={TERMINAL.includes(e.status)}>Terminate</button>
      </p>
      <ErrorBox error={problem} />
      <h2>Status log</h2>
      <table>
        <thead><tr><th scope="col">Time</th><th scope="col">Status</th><th scope="col">%</th><th scope="col">Message</th></tr></thead>
        <tbody>
          {e.statusLog.map((s, i) => (
            <tr key={i}><td>{s.timestamp}</td><td>{statusLabel(s.status)}</td><td className="num">{s.percentComplete ?? ""}</td><td>{s.message ?? ""}</td></tr>
          ))}
        </tbody>
      </table>
      <h2>Input</h2><Json value={e.input} />
      {e.output != null ? <><h2>Output</h2><Json value={e.output} /></> : null}
      {e.error != null ? <><h2>Error</h2><Json value={e.error} /></> : null}
      <h2>Logs</h2>
      <LogTail key={run} id={e.id} />
    </section>
  );
}
