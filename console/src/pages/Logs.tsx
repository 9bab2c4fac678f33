// An execution's logs, tailing: the backlog page by page (Execution.logs over its keyset cursor), then the lines
// that follow while the execution runs, until it has ended and its last lines are in. Each line shows its time,
// its stream (stdout, stderr) or its level (logged lines) and its text. At most KEEP lines stay in the DOM (the
// oldest are dropped and counted). The view follows the end while it is scrolled to the bottom; scrolling up
// stops that (the new lines are counted) until the user scrolls back down or presses "Follow".
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { ApiError, request } from "../api";
import { ExecutionLogs } from "../operations";
import type { LogLineFragment } from "../gql/graphql";
import { ErrorBox } from "../ui";

export const KEEP = 1000; // lines kept in the DOM
const PAGE = 500;
const POLL_MS = 1000;
const LINE_PX = 18; // every line is one row of this height (no wrapping): dropped lines shift the view by this

type Line = LogLineFragment;

/** Follow an execution's lines: `onLines` gets each batch in order; returns the function that stops. */
function follow(id: string, ended: () => boolean, onLines: (lines: Line[]) => void, onError: (e: ApiError) => void,
  onDone: () => void): () => void {
  let stopped = false;
  let cursor: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  async function pull() {
    try {
      // read whether it had ended before reading the lines: its last lines are then in this read
      const last = ended();
      for (;;) {
        const data = await request(ExecutionLogs, { id, first: PAGE, after: cursor });
        if (stopped) return;
        const logs = data.execution?.logs;
        if (!logs) throw new ApiError(`execution ${id} not found`, "NOT_FOUND");
        if (logs.nodes.length) onLines(logs.nodes);
        cursor = logs.pageInfo.endCursor ?? cursor;
        if (!logs.pageInfo.hasNextPage) break;
      }
      if (last) { onDone(); return; }
    } catch (e) {
      if (stopped) return;
      onError(e as ApiError);
    }
    if (!stopped) timer = setTimeout(pull, POLL_MS);
  }
  void pull();
  return () => { stopped = true; clearTimeout(timer); };
}

const STREAM: Record<string, string> = { STDOUT: "out", STDERR: "err", LOG: "log" };

export function LogTail({ id, ended }: { id: string; ended: boolean }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [dropped, setDropped] = useState(0);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [following, setFollowing] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const endedRef = useRef(ended);
  endedRef.current = ended;
  const followingRef = useRef(true);
  const shift = useRef(0); // lines dropped from the top since the last render: the view moves up by as many

  useEffect(() => {
    setLines([]); setDropped(0); setDone(false); setError(null); setUnseen(0);
    const ids = new Set<string>();
    return follow(id, () => endedRef.current, (batch) => {
      const fresh = batch.filter((l) => !ids.has(l.id));
      if (!fresh.length) return;
      fresh.forEach((l) => ids.add(l.id));
      if (!followingRef.current) setUnseen((n) => n + fresh.length);
      setLines((old) => {
        const all = old.concat(fresh);
        if (all.length <= KEEP) return all;
        const cut = all.length - KEEP;
        all.slice(0, cut).forEach((l) => ids.delete(l.id));
        shift.current += cut;
        setDropped((d) => d + cut);
        return all.slice(cut);
      });
      setError(null);
    }, setError, () => setDone(true));
  }, [id]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (followingRef.current) el.scrollTop = el.scrollHeight;
    else if (shift.current) el.scrollTop = Math.max(0, el.scrollTop - shift.current * LINE_PX);
    shift.current = 0;
  }, [lines]);

  function setFollow(on: boolean) {
    followingRef.current = on;
    setFollowing(on);
    if (on) {
      setUnseen(0);
      const el = box.current;
      if (el) el.scrollTop = el.scrollHeight;
    }
  }

  function onScroll() {
    const el = box.current!;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < LINE_PX / 2;
    if (atEnd !== followingRef.current) setFollow(atEnd);
  }

  return (
    <div className="logs">
      <p className="muted small" aria-live="polite" data-testid="log-state">
        {lines.length + dropped} line{lines.length + dropped === 1 ? "" : "s"}
        {dropped ? ` (the first ${dropped.toLocaleString("en")} not shown: the last ${KEEP.toLocaleString("en")} are kept)` : ""}
        {done ? " · ended" : " · tailing"}
        {following ? "" : ` · paused${unseen ? `, ${unseen} new` : ""} `}
        {following ? null : <button type="button" onClick={() => setFollow(true)}>Follow</button>}
      </p>
      <ErrorBox error={error} />
      <div ref={box} className="logbox" role="log" aria-live="off" aria-label="Execution logs" tabIndex={0}
        onScroll={onScroll} data-following={following ? "yes" : "no"}>
        {lines.map((l) => (
          <div key={l.id} className={`logline ${l.stream.toLowerCase()}${l.level ? ` ${l.level.toLowerCase()}` : ""}`}
            data-log-id={l.id} data-stream={l.stream} data-level={l.level ?? ""}>
            <time dateTime={l.time}>{l.time.slice(11, 23)}</time>
            <span className="tag">{l.level ?? STREAM[l.stream] ?? l.stream.toLowerCase()}</span>
            <span className="text">{l.text}</span>
          </div>
        ))}
        {!lines.length ? <div className="logline muted-line">{done ? "No output." : "No output yet."}</div> : null}
      </div>
    </div>
  );
}
