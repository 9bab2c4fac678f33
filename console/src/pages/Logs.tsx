// An execution's logs, tailing: the `executionLogs` subscription sends the lines kept so far, then new ones as
// their batches commit, in `seq` order, and completes when the execution has ended and its last lines were sent.
// Each line shows its time, its stream (stdout, stderr) or its level (logged lines) and its text. Lines that
// arrive together are rendered together (a batch every 50 ms at most). At most KEEP lines stay in the DOM (the
// oldest are dropped and counted). The view follows the end while it is scrolled to the bottom; scrolling up
// stops that (the new lines are counted) until the user scrolls back down or presses "Follow".
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { ApiError, subscribe } from "../api";
import { ExecutionLogs } from "../operations";
import type { ExecutionLogsSubscription } from "../gql/graphql";
import { ErrorBox } from "../ui";

export const KEEP = 1000; // lines kept in the DOM
const LINE_PX = 18; // every line is one row of this height (no wrapping): dropped lines shift the view by this

type Line = ExecutionLogsSubscription["executionLogs"];

/** Follow an execution's lines: `onLines` gets them in batches, in order, each once (a resubscription after a
 * lost connection starts from the first line again: those already seen, by `seq`, are skipped). */
function follow(id: string, onLines: (lines: Line[]) => void, onError: (e: ApiError) => void,
  onDone: () => void): () => void {
  let last = 0;
  let pending: Line[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => { timer = undefined; const batch = pending; pending = []; if (batch.length) onLines(batch); };
  const stop = subscribe(ExecutionLogs, { id }, (d) => {
    const line = d.executionLogs;
    if (line.seq <= last) return;
    last = line.seq;
    pending.push(line);
    if (timer === undefined) timer = setTimeout(flush, 50);
  }, onError, () => { clearTimeout(timer); flush(); onDone(); });
  return () => { clearTimeout(timer); stop(); };
}

const STREAM: Record<string, string> = { STDOUT: "out", STDERR: "err", LOG: "log" };

export function LogTail({ id }: { id: string }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [dropped, setDropped] = useState(0);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [following, setFollowing] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const followingRef = useRef(true);
  const shift = useRef(0); // lines dropped from the top since the last render: the view moves up by as many
  const kept = useRef<Line[]>([]);

  useEffect(() => {
    kept.current = [];
    setLines([]); setDropped(0); setDone(false); setError(null); setUnseen(0);
    return follow(id, (fresh) => {
      if (!followingRef.current) setUnseen((n) => n + fresh.length);
      const all = kept.current.concat(fresh);
      const cut = Math.max(0, all.length - KEEP);
      kept.current = cut ? all.slice(cut) : all;
      shift.current += cut;
      if (cut) setDropped((d) => d + cut);
      setLines(kept.current);
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
