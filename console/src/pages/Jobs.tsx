// Dataset jobs (Command: exports, clones, merges…). A project's Jobs page: its newest 100 jobs (`commands`), then
// every change of the project's jobs from the `commandsUpdated` feed, merged by id and version, so a job started
// anywhere (another tab, the CLI, a script) appears and moves without a reload. A job followed alone (the ones a
// dataset's Export form starts) follows its own `commandUpdated` subscription (current state first, then every
// change in version order, complete at SUCCESS, FAILED or ABORTED). Each shows a progress bar that moves, its
// message, its error as the API states it, a download link when it produced a file (Command.url, signed like
// Item.url), and Abort while it runs. A dataset's page starts an export (`datasetExport`: format, the items'
// files or not, splits, the page's filter) here too.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, onConnected, request, subscribe } from "../api";
import { CommandAbort, CommandsUpdated, CommandUpdated, DatasetExport, ProjectJobs } from "../operations";
import type { ExportFormat, ItemFilter, JobFieldsFragment } from "../gql/graphql";
import { useQuery } from "../hooks";
import { Crumbs, ErrorBox, Json, Loading } from "../ui";
import { statusLabel } from "./Board";

export type Job = JobFieldsFragment;
export const JOB_ENDED = ["SUCCESS", "FAILED", "ABORTED"];

/** A job as it changes: `job` is where it started (or, not `follow`ed, its latest version from the caller's
 * feed); the subscription's versions replace it, never older ones. */
export function useLiveJob(job: Job, follow = true): [Job, ApiError | null] {
  const [live, setLive] = useState<Job>(job);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    setLive((old) => (old.id === job.id && old.version >= job.version ? old : job));
  }, [job]);
  const ended = JOB_ENDED.includes(job.status);
  useEffect(() => {
    if (ended || !follow) return;
    return subscribe(CommandUpdated, { id: job.id }, (d) => setLive((old) =>
      d.commandUpdated.version >= old.version ? d.commandUpdated : old), setError);
  }, [job.id, ended, follow]);
  return [live, error];
}

/** One job. `follow`: subscribe to its own changes (false where a feed passes every version in `job`). */
export function JobRow({ job: start, follow = true, onEnded }: { job: Job; follow?: boolean;
  onEnded?: (job: Job) => void }) {
  const [job, liveError] = useLiveJob(start, follow);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const ended = JOB_ENDED.includes(job.status);
  const endedAtFirst = useRef(ended);
  useEffect(() => {  // once, when it ends here (not for those that had ended when the row appeared)
    if (ended && !endedAtFirst.current) { endedAtFirst.current = true; onEnded?.(job); }
  }, [ended, job, onEnded]);

  async function abort() {
    setBusy(true);
    setProblem(null);
    try {
      const p = (await request(CommandAbort, { id: job.id })).commandAbort;
      if (p.errors.length) throw new ApiError(p.errors.map((e) => e.message).join("; "), p.errors[0].code);
    } catch (e) { setProblem(e as ApiError); } finally { setBusy(false); }
  }

  return (
    <li className="job card" data-job-id={job.id} data-status={job.status}>
      <div className="job-head">
        <strong>{job.type}</strong> <span className={`badge ${job.status.toLowerCase()}`} data-testid="job-status">
          {statusLabel(job.status)}</span>
        <span className="muted small">{job.id} · {job.createdAt.slice(0, 19).replace("T", " ")}</span>
      </div>
      <progress max={100} value={job.progress} aria-label={`progress of ${job.type} ${job.id}`}>{job.progress}%</progress>
      <span className="small">{job.progress}%{job.message ? ` · ${job.message}` : ""}</span>
      <div className="job-actions">
        {job.status === "SUCCESS" && job.url ? (
          <a href={job.url} download data-testid="job-download">Download</a>
        ) : null}
        {!ended ? <button type="button" onClick={abort} disabled={busy}>Abort</button> : null}
      </div>
      {job.error ? <div role="alert" className="error">{job.error}</div> : null}
      <ErrorBox error={problem ?? liveError} />
      {job.status === "SUCCESS" && job.result != null ? (
        <details><summary>Result</summary><Json value={job.result} /></details>
      ) : null}
    </li>
  );
}

function mergeJob(map: Map<string, Job>, j: Job): Map<string, Job> {
  const old = map.get(j.id);
  if (old && old.version >= j.version) return map;
  const next = new Map(map);
  next.set(j.id, j);
  return next;
}

export function JobsView({ projectId }: { projectId: string }) {
  const { data, error, reload } = useQuery(ProjectJobs, { projectId });
  const [map, setMap] = useState<Map<string, Job>>(new Map());
  const [live, setLive] = useState<ApiError | null>(null);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    // subscribe first, then merge the page: a change between the two is kept by version; (re)connected: read the
    // page again, so nothing that changed while the socket was down is missed
    setMap(new Map());
    const stopConnected = onConnected(() => { setConnected(true); setLive(null); reload(); });
    const stop = subscribe(CommandsUpdated, { projectId }, (d) => setMap((m) => mergeJob(m, d.commandsUpdated)),
      (e) => { setConnected(false); setLive(e); });
    return () => { stop(); stopConnected(); };
  }, [projectId, reload]);
  useEffect(() => {
    if (data?.project) setMap((m) => data.project!.commands.nodes.reduce(mergeJob, m));
  }, [data]);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading what="jobs" />;
  const project = data.project;
  if (!project) return <ErrorBox error={new Error(`project ${projectId} not found`)} />;
  const jobs = [...map.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const listed = new Set(project.commands.nodes.map((j) => j.id));
  const count = project.commands.totalCount + jobs.filter((j) => !listed.has(j.id)).length;
  return (
    <section>
      <Crumbs><a href={`#/projects/${project.id}`}>{project.name}</a> / <span>Jobs</span></Crumbs>
      <h1>Jobs <span className="count">({count})</span></h1>
      <p className="muted" aria-live="polite">{connected
        ? "Live: jobs started anywhere appear, and move, as they commit."
        : "Connecting…"} Exports start from a dataset's page.</p>
      <ErrorBox error={live} />
      {jobs.length === 0 ? <p>No job yet.</p> : null}
      <ul className="plain jobs">{jobs.map((j) => <JobRow key={j.id} job={j} follow={false} />)}</ul>
    </section>
  );
}

const FORMATS: { value: ExportFormat; label: string }[] = [
  { value: "COCO", label: "COCO (instances JSON)" }, { value: "YOLO", label: "YOLO (Ultralytics)" },
  { value: "VOC", label: "Pascal VOC (XML)" }, { value: "JSON", label: "labelgraph JSON (lossless)" },
];

/** "Export" on a dataset's page: starts `datasetExport` and follows the job right there. */
export function ExportForm({ datasetId, projectId, filter }: { datasetId: string; projectId: string;
  filter: ItemFilter | null }) {
  const [format, setFormat] = useState<ExportFormat>("COCO");
  const [includeFiles, setIncludeFiles] = useState(false);
  const [splits, setSplits] = useState("");
  const [filtered, setFiltered] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [jobs, setJobs] = useState<Job[]>([]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const names = splits.split(",").map((x) => x.trim()).filter(Boolean);
      const r = await request(DatasetExport, { input: { datasetId, format, includeFiles,
        splits: names.length ? names : null, filter: filter && filtered ? filter : null } });
      const p = r.datasetExport;
      if (p.errors.length) {
        throw new ApiError(p.errors.map((x) => (x.field ? `${x.field.join(".")}: ` : "") + x.message).join("; "),
          p.errors[0].code);
      }
      if (p.command) setJobs((old) => [p.command!, ...old]);
    } catch (x) { setError(x as ApiError); } finally { setBusy(false); }
  }

  return (
    <details className="export">
      <summary>Export</summary>
      <form className="filters" onSubmit={submit} aria-label="Export the dataset">
        <div className="field"><label htmlFor="x-format">Format</label>
          <select id="x-format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
            {FORMATS.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
          </select></div>
        <div className="field"><label htmlFor="x-splits">Splits</label>
          <input id="x-splits" value={splits} placeholder="all, or train, val" onChange={(e) => setSplits(e.target.value)} /></div>
        <div className="field check"><input id="x-files" type="checkbox" checked={includeFiles}
          onChange={(e) => setIncludeFiles(e.target.checked)} /><label htmlFor="x-files">Include the files</label></div>
        {filter ? (
          <div className="field check"><input id="x-filtered" type="checkbox" checked={filtered}
            onChange={(e) => setFiltered(e.target.checked)} /><label htmlFor="x-filtered">Only the filtered items</label></div>
        ) : null}
        <button type="submit" disabled={busy}>Start export</button>
      </form>
      <ErrorBox error={error} />
      {jobs.length ? (
        <>
          <ul className="plain jobs">{jobs.map((j) => <JobRow key={j.id} job={j} />)}</ul>
          <p><a href={`#/projects/${projectId}/jobs`}>All the project's jobs</a></p>
        </>
      ) : null}
    </details>
  );
}
