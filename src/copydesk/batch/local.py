"""The local engine: one reader, N worker processes, part files, a watchdog.

Data flow (all in this module):

    sources ─ read_source (parent) ─ tasks of <= TASK_RECORDS records ─► workers
    workers: process_record per record ─ one Arrow batch per task ─► parent
    parent: batches gathered per part ─ part complete ─ OutputDir.write (atomic)

- **Bounded memory.** The parent streams records (fastwarc) and keeps at most
  `TASKS_PER_WORKER` tasks queued per worker; results are held only until
  their part (`part_size` records) is complete and written. Payloads are capped
  at `Options.max_bytes`. So memory depends on the part size, the task size and
  the number of workers, not on the input size.
- **Time limits.** `Options.timeout` is copydesk's own cooperative per-page
  limit (ExtractionTimeout -> an `error` row); `rows.process_record` adds a
  SIGALRM guard at 2 x timeout + 1. Behind both, a watchdog in the parent reads
  each worker's heartbeat (task, record, start time in shared memory) and
  SIGKILLs a worker that has spent more than `hard_timeout` seconds on one
  record (e.g. stuck in C code that never returns to Python). That record
  becomes an `error` row, the rest of its task is resubmitted to a fresh
  worker, and the run goes on. A worker that dies for any other reason
  (segfault, OOM killer) is handled the same way.
- **Memory limit per worker.** A worker whose resident memory passes
  `worker_memory` after a task exits cleanly and is replaced; one that passes
  twice that while on a record is killed like a stuck one.
- **Resumable.** See `copydesk.batch.output`: finished parts are skipped on
  restart, and the records of finished parts are stepped over without being
  decoded or extracted.
- **No orphans.** Workers die with the parent (PR_SET_PDEATHSIG on Linux, plus
  a liveness check of the parent while idle).
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait as mp_wait

import pyarrow as pa

from copydesk.batch.output import OutputDir
from copydesk.batch.rows import SCHEMA, error_row, process_record, rows_to_batch
from copydesk.batch.sources import RawRecord, ReadStats, Source, read_source

TASK_RECORDS = 16
"""Records per task sent to a worker: large enough that IPC is a small share of
the work (a task is ~100 ms of extraction), small enough to balance load."""
TASK_BYTES = 8 << 20
"""A task is also closed once its payloads reach this many bytes."""
TASKS_PER_WORKER = 2
"""Tasks queued per worker (one running, one waiting): keeps workers busy while
bounding memory to about workers x 2 x TASK_BYTES of payload."""
HOOK_ENV = "COPYDESK_BATCH_TEST_HOOK"
"""Test-only fault injection, read by workers: comma-separated `sleep=SECONDS`
(sleep before every record), `hang=TEXT` (sleep forever on records whose URL or
file contains TEXT), `spin=TEXT` (loop forever there, burning CPU), `crash=TEXT` (the
worker kills itself with SIGSEGV there)."""


def default_hard_timeout(timeout: float | None) -> float:
    """The watchdog's per-record limit in seconds: max(30, 4 x timeout); 300 with no timeout."""
    return 300.0 if timeout is None else max(30.0, 4.0 * timeout)


# ---------------------------------------------------------------------------
# Worker side


def _set_pdeathsig() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _parse_hooks(text: str | None) -> dict[str, str]:
    hooks = {}
    for item in (text or "").split(","):
        if "=" in item:
            k, v = item.split("=", 1)
            hooks[k.strip()] = v.strip()
    return hooks


def _run_hooks(hooks: dict[str, str], raw: RawRecord) -> None:
    if "sleep" in hooks:
        time.sleep(float(hooks["sleep"]))
    where = f"{raw.url or ''} {raw.file or ''}"
    if "hang" in hooks and hooks["hang"] in where:
        while True:
            time.sleep(3600)
    if "spin" in hooks and hooks["spin"] in where:
        while True:  # a hang that burns CPU, as C code stuck in a loop does
            pass
    if "crash" in hooks and hooks["crash"] in where:
        os.kill(os.getpid(), signal.SIGSEGV)


def cpu_limit_for(hard_timeout: float) -> float:
    """CPU seconds a worker may spend on one record before the kernel ends it (SIGVTALRM,
    default action): 2 x hard_timeout + 2. The parent's watchdog kills a stuck worker
    long before; this ends one whose parent was killed first (SIGKILL, a cancelled
    Spark task), which would otherwise spin in C code as an orphan."""
    return 2.0 * hard_timeout + 2.0


def worker_main(task_conn, result_conn, heartbeat, options, memory_limit: int, hooks_text: str | None = None,
                cpu_limit: float = 0.0) -> None:
    """A worker process: take tasks, run `process_record` on each record, send one
    Arrow batch per task. `heartbeat` is shared memory [task id, record, start];
    `cpu_limit`: see `cpu_limit_for` (0: none)."""
    _set_pdeathsig()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGVTALRM, signal.SIG_DFL)
    import warnings

    warnings.simplefilter("ignore")  # library warnings per page would bury the progress bar and the report
    import multiprocessing as mp

    parent = mp.parent_process()
    hooks = _parse_hooks(hooks_text)
    while True:
        try:
            if not task_conn.poll(1.0):
                if parent is not None and not parent.is_alive():
                    return
                continue
            task = task_conn.recv()
        except (EOFError, OSError):
            return  # the parent closed the pipe or is gone
        if task is None:
            return
        rows = []
        for i, raw in enumerate(task.records):
            heartbeat[2] = 0.0
            heartbeat[0] = float(task.id)
            heartbeat[1] = float(i)
            heartbeat[2] = time.monotonic()
            if cpu_limit:
                signal.setitimer(signal.ITIMER_VIRTUAL, cpu_limit)
            if hooks:
                _run_hooks(hooks, raw)
            rows.append(process_record(raw, options))
        if cpu_limit:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        heartbeat[2] = 0.0
        result_conn.send((task.id, rows_to_batch(rows)))
        if memory_limit and _rss_bytes() > memory_limit:
            return  # recycled: the parent starts a fresh worker


# ---------------------------------------------------------------------------
# Parent side


class _Sender:
    """Sends tasks to one worker from a thread, so the parent never blocks on a full
    pipe. The parent keeps only the write end: when the worker dies, a pending send
    fails (EPIPE) and the thread ends."""

    def __init__(self, conn):
        self.conn = conn
        self.q: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, daemon=True, name="copydesk-task-sender")
        self.thread.start()

    def _run(self) -> None:
        try:
            while True:
                task = self.q.get()
                self.conn.send(task)
                if task is None:
                    return
        except (OSError, ValueError, EOFError):
            return
        finally:
            try:
                self.conn.close()
            except OSError:
                pass

    def put(self, task) -> None:
        self.q.put(task)

    def stop(self, wait: float = 0.0) -> None:
        """Stop after the queued tasks (a None for the worker is sent last); the
        thread closes the pipe when it ends."""
        self.q.put(None)
        if wait:
            self.thread.join(wait)


@dataclass(slots=True)
class Task:
    """Records of one part of one source, sent to a worker together."""

    id: int
    source: int
    part: int
    records: list[RawRecord]


@dataclass(slots=True)
class _Worker:
    proc: object
    sender: _Sender
    result_conn: object
    heartbeat: object
    assigned: deque = field(default_factory=deque)
    killed_reason: str | None = None


class WorkerPool:
    """`n` worker processes with a task pipe (and sender thread) each, a result pipe each, heartbeats
    and the watchdog (see the module docstring)."""

    def __init__(self, n: int, options, hard_timeout: float, memory_limit: int):
        import multiprocessing as mp

        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        self.ctx = mp.get_context(method)
        if method == "forkserver":
            self.ctx.set_forkserver_preload(["copydesk.batch.local", "copydesk.pipeline"])
        self.options = options
        self.hard_timeout = hard_timeout
        self.memory_limit = memory_limit
        self.hooks = os.environ.get(HOOK_ENV)  # read here: forkserver children do not see later env changes
        self.workers: list[_Worker] = []
        self.deaths_without_progress = 0
        for _ in range(n):
            self.workers.append(self._start())

    def _start(self) -> _Worker:
        task_r, task_w = self.ctx.Pipe(duplex=False)
        r, w = self.ctx.Pipe(duplex=False)
        hb = self.ctx.RawArray("d", 3)
        p = self.ctx.Process(target=worker_main, args=(task_r, w, hb, self.options, self.memory_limit, self.hooks,
                                                       cpu_limit_for(self.hard_timeout)),
                             daemon=True)
        p.start()
        w.close()
        task_r.close()  # only the worker may hold the read end: then its death breaks the pipe
        return _Worker(p, _Sender(task_w), r, hb)

    def capacity(self) -> int:
        """How many more tasks can be queued now."""
        return sum(max(0, TASKS_PER_WORKER - len(w.assigned)) for w in self.workers)

    def busy(self) -> int:
        """Tasks queued or running."""
        return sum(len(w.assigned) for w in self.workers)

    def submit(self, task: Task) -> None:
        """Queue `task` on the least busy worker (never blocks: a sender thread writes the pipe)."""
        w = min(self.workers, key=lambda w: len(w.assigned))
        w.assigned.append(task)
        w.sender.put(task)

    def poll(self, timeout: float) -> list[tuple]:
        """Wait up to `timeout` s; returns events: ("result", task, batch) or
        ("lost", task, blamed_index_or_None, reason) for each task of a dead worker."""
        events: list[tuple] = []
        conns = {w.result_conn: w for w in self.workers}
        sentinels = {w.proc.sentinel: w for w in self.workers}
        ready = mp_wait(list(conns) + list(sentinels), timeout=timeout)
        for obj in ready:
            w = conns.get(obj)
            if w is not None:
                self._drain(w, events)
        for obj in ready:
            w = sentinels.get(obj)
            if w is not None:
                self._replace(w, events)
        self._watchdog(events)
        return events

    def _drain(self, w: _Worker, events: list) -> None:
        while True:
            try:
                if not w.result_conn.poll():
                    return
                tid, batch = w.result_conn.recv()
            except (EOFError, OSError):
                return
            task = w.assigned.popleft()
            assert task.id == tid, (task.id, tid)
            self.deaths_without_progress = 0
            events.append(("result", task, batch))

    def _watchdog(self, events: list) -> None:
        now = time.monotonic()
        for w in list(self.workers):
            start = w.heartbeat[2]
            if not w.assigned or not w.proc.is_alive():
                continue
            if start and now - start > self.hard_timeout:
                w.killed_reason = (f"hard time limit: the worker was still on this record after {self.hard_timeout:g} s "
                                   "and was killed (--hard-timeout)")
            elif start and self.memory_limit and _proc_rss(w.proc.pid) > 2 * self.memory_limit:
                w.killed_reason = (f"memory limit: the worker passed {2 * self.memory_limit / 1e6:,.0f} MB "
                                   "on this record and was killed (--worker-memory)")
            else:
                continue
            try:
                os.kill(w.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            w.proc.join(5)
            self._drain(w, events)
            self._replace(w, events)

    def _replace(self, w: _Worker, events: list) -> None:
        """`w` has exited: report its unfinished tasks and start a new worker in its place."""
        w.proc.join(5)
        self._drain(w, events)
        code = w.proc.exitcode
        tid, idx, start = w.heartbeat[0], w.heartbeat[1], w.heartbeat[2]
        clean = code == 0 and w.killed_reason is None
        if w.killed_reason:
            reason = w.killed_reason
        elif code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            reason = f"the worker process died ({name}) on this record"
        else:
            reason = f"the worker process exited (code {code}) on this record"
        first = True
        any_blamed = False
        while w.assigned:
            task = w.assigned.popleft()
            blamed = int(idx) if (first and not clean and start and int(tid) == task.id) else None
            events.append(("lost", task, blamed, reason))
            any_blamed = any_blamed or blamed is not None
            first = False
        if any_blamed:
            # A death on a known record is progress: that record becomes an error row
            # (a run of bad records from one site's template must not end the run).
            self.deaths_without_progress = 0
        elif not clean:
            self.deaths_without_progress += 1
            if self.deaths_without_progress > 20:
                raise RuntimeError("workers keep dying without finishing any task; giving up")
        for obj in (w.result_conn,):
            try:
                obj.close()
            except OSError:
                pass
        w.sender.stop()
        i = self.workers.index(w)
        self.workers[i] = self._start()

    def close(self, kill: bool = False) -> None:
        """Stop the workers: politely (a None task each, then join), or SIGKILL."""
        for w in self.workers:
            if kill:
                try:
                    os.kill(w.proc.pid, signal.SIGKILL)
                except (ProcessLookupError, TypeError):
                    pass
            w.sender.stop()
        deadline = time.monotonic() + 10
        for w in self.workers:
            w.proc.join(max(0.1, deadline - time.monotonic()))
            if w.proc.is_alive():
                try:
                    os.kill(w.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                w.proc.join(2)
            w.sender.stop(wait=1.0)
            try:
                w.result_conn.close()
            except OSError:
                pass


def supervised_rows(records, options, hard_timeout: float, memory_limit: int = 0):
    """`process_record` over `records` (an iterable of `RawRecord`s) in one watched worker
    process, for engines without a watchdog of their own (Spark): rows (dicts keyed by
    `COLUMNS`) in record order, `TASK_RECORDS` records at a time. A record the worker is
    still on after `hard_timeout` seconds, or dies on, becomes an `error` row and the
    rest go to a fresh worker, as in the local engine. Raises RuntimeError when workers
    keep dying without finishing a task (`WorkerPool`)."""
    from itertools import count, islice

    pool = WorkerPool(1, options, hard_timeout, memory_limit)
    ids = count(1)
    try:
        it = iter(records)
        while True:
            chunk: list[RawRecord] = []
            try:
                chunk.extend(islice(it, TASK_RECORDS))
            except BaseException:
                yield from _watched(pool, chunk, ids)  # the records read before the reader failed
                raise
            yield from _watched(pool, chunk, ids)
            if len(chunk) < TASK_RECORDS:
                return
    finally:
        pool.close(kill=True)


def _watched(pool: WorkerPool, recs: list[RawRecord], ids):
    """The rows of `recs` from `pool`, whose one worker has nothing else to do."""
    while recs:
        pool.submit(Task(next(ids), 0, 0, recs))
        events: list[tuple] = []
        while not events:
            events = pool.poll(1.0)
        if events[0][0] == "result":
            yield from events[0][2].to_pylist()
            return
        _, _, blamed, reason = events[0]
        if blamed is None or not 0 <= blamed < len(recs):
            continue  # lost between records: the whole task again
        yield from _watched(pool, recs[:blamed], ids)
        yield error_row(recs[blamed], reason)
        recs = recs[blamed + 1:]


def _proc_rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


@dataclass(slots=True)
class _Part:
    source: int
    part: int
    expected: int | None = None
    rows: int = 0
    batches: list = field(default_factory=list)


@dataclass(slots=True)
class _SourceState:
    source: Source
    key: str
    done_parts: set
    records: int = 0
    eof: bool = False
    ignored: dict = field(default_factory=dict)
    open_parts: int = 0
    logged: bool = False


class LocalEngine:
    """Runs sources through a `WorkerPool` into an `OutputDir` (see the module docstring)."""

    def __init__(self, out: OutputDir, options, *, workers: int, hard_timeout: float, memory_limit: int,
                 progress: bool = True, task_records: int = TASK_RECORDS):
        self.out = out
        self.options = options
        self.workers = max(1, int(workers))
        self.hard_timeout = hard_timeout
        self.memory_limit = memory_limit
        self.progress = progress
        self.task_records = max(1, task_records)
        self.P = out.part_size
        self.parts: dict[tuple[int, int], _Part] = {}
        self.states: list[_SourceState] = []
        self.next_task_id = 1
        self.bar = None
        self.done_rows = 0
        self.errors = 0

    # -- task generation (streams the sources) --------------------------------

    def _part(self, sidx: int, part: int) -> _Part:
        p = self.parts.get((sidx, part))
        if p is None:
            p = self.parts[(sidx, part)] = _Part(sidx, part)
            self.states[sidx].open_parts += 1
        return p

    def _tasks(self, sources: list[Source]):
        max_bytes = self.options.max_bytes
        for sidx, src in enumerate(sources):
            st = self.states[sidx]
            if src.path in self.out.sources:
                st.eof, st.logged = True, True
                continue
            done = st.done_parts
            want = (lambda i, done=done: (i // self.P) not in done) if done else None
            stats = ReadStats()
            cur: list[RawRecord] = []
            cur_bytes = 0
            cur_part = -1
            for raw in read_source(src, max_bytes, want=want, stats=stats):
                part = raw.index // self.P
                st.records = raw.index + 1
                if part != cur_part:
                    if cur:
                        yield self._new_task(sidx, cur_part, cur)
                        cur, cur_bytes = [], 0
                    if cur_part >= 0 and cur_part not in done:
                        self._set_expected(sidx, cur_part, self.P)
                    cur_part = part
                if part in done:  # written by an earlier run ("unwanted" records, and any error rows there)
                    continue
                self._part(sidx, part)
                cur.append(raw)
                cur_bytes += raw.size
                if len(cur) >= self.task_records or cur_bytes >= TASK_BYTES:
                    yield self._new_task(sidx, part, cur)
                    cur, cur_bytes = [], 0
            if cur:
                yield self._new_task(sidx, cur_part, cur)
            if cur_part >= 0 and cur_part not in done:
                self._set_expected(sidx, cur_part, st.records - cur_part * self.P)
            st.ignored = stats.ignored
            st.eof = True
            self._maybe_finish_source(sidx)

    def _new_task(self, sidx: int, part: int, records: list[RawRecord]) -> Task:
        t = Task(self.next_task_id, sidx, part, records)
        self.next_task_id += 1
        return t

    def _set_expected(self, sidx: int, part: int, n: int) -> None:
        p = self._part(sidx, part)
        p.expected = n
        self._maybe_write(p)

    # -- results ------------------------------------------------------------

    def _add(self, task: Task, batch: pa.RecordBatch) -> None:
        p = self._part(task.source, task.part)
        p.batches.append(batch)
        p.rows += batch.num_rows
        self.done_rows += batch.num_rows
        errs = batch.column("status").to_pylist().count("error")
        self.errors += errs
        if self.bar is not None:
            self.bar.update(batch.num_rows)
            if errs:
                self.bar.set_postfix(errors=self.errors, refresh=False)
        self._maybe_write(p)

    def _maybe_write(self, p: _Part) -> None:
        if p.expected is None or p.rows < p.expected:
            return
        if p.rows > p.expected:
            raise RuntimeError(f"part {p.part} of source {p.source} got {p.rows} rows for {p.expected} records (a bug)")
        st = self.states[p.source]
        table = pa.Table.from_batches(p.batches, schema=SCHEMA) if p.batches else SCHEMA.empty_table()
        table = table.sort_by("record_index")
        self.out.write(st.key, st.source.path, p.part, table)
        del self.parts[(p.source, p.part)]
        st.open_parts -= 1
        self._maybe_finish_source(p.source)

    def _maybe_finish_source(self, sidx: int) -> None:
        st = self.states[sidx]
        if st.logged or not st.eof or st.open_parts:
            return
        from copydesk.batch.output import part_name

        nparts = -(-st.records // self.P)
        files = [part_name(st.key, i, self.out.fmt) for i in range(nparts)]
        self.out.log_source(st.source.path, st.records, files, st.ignored)
        st.logged = True

    def _on_lost(self, task: Task, blamed: int | None, reason: str, retry: deque) -> None:
        recs = task.records
        if blamed is not None and 0 <= blamed < len(recs):
            self._add(Task(0, task.source, task.part, [recs[blamed]]), rows_to_batch([error_row(recs[blamed], reason)]))
            rest = recs[:blamed] + recs[blamed + 1:]
        else:
            rest = recs
        if rest:
            retry.append(self._new_task(task.source, task.part, rest))

    # -- the loop -----------------------------------------------------------

    def run(self, sources: list[Source]) -> None:
        """Process every source; returns when all parts are written. Raises
        KeyboardInterrupt through (workers are killed; re-run to resume)."""
        key_to_source = {s.key: s.path for s in sources}
        self.out.adopt_orphan_parts(key_to_source)
        for s in sources:
            done = {e["index"] for e in self.out.parts.values() if e["source"] == s.path}
            self.states.append(_SourceState(s, s.key, done))
        if all(s.path in self.out.sources for s in sources):
            return
        if self.progress:
            from tqdm import tqdm

            tqdm.monitor_interval = 0
            self.bar = tqdm(unit=" rec", desc="copydesk run", dynamic_ncols=True, smoothing=0.1, file=sys.stderr)
            self.bar.set_postfix(errors=0, refresh=False)
        pool = WorkerPool(self.workers, self.options, self.hard_timeout, self.memory_limit)
        ok = False
        try:
            gen = self._tasks(sources)
            retry: deque = deque()
            exhausted = False
            while True:
                while pool.capacity() > 0 and (retry or not exhausted):
                    if retry:
                        pool.submit(retry.popleft())
                        continue
                    try:
                        pool.submit(next(gen))
                    except StopIteration:
                        exhausted = True
                if exhausted and not retry and pool.busy() == 0:
                    break
                for ev in pool.poll(0.5):
                    if ev[0] == "result":
                        self._add(ev[1], ev[2])
                    else:
                        self._on_lost(ev[1], ev[2], ev[3], retry)
            ok = True
        finally:
            pool.close(kill=not ok)
            if self.bar is not None:
                self.bar.close()
        if self.parts:
            raise RuntimeError(f"{len(self.parts)} parts left incomplete (a bug)")
