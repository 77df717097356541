"""`run`: the batch entry point behind `copydesk run` (both engines, dedup, accounting)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from copydesk.batch.output import FORMATS, OutputDir
from copydesk.batch.rows import STATUSES
from copydesk.batch.sources import Source, expand_inputs

DEFAULT_PART_SIZE = 1000
"""Records per part file (local engine): the unit of resumption and of parent
memory (one part's rows are held until it is written)."""
DEFAULT_WORKER_MEMORY = 2_000_000_000
"""Bytes of resident memory after which a local worker is recycled (killed at twice
this while on a record)."""


@dataclass
class RunSummary:
    """What a run did, for the final report and for callers.

    - `records`: page records read from the sources (the rows the output must hold).
    - `counts`: rows per status (ok, no_content, skipped, error); their sum equals
      `records` in a correct run (`balanced`).
    - `ignored`: non-page WARC records seen (warcinfo, request, metadata...) by type;
      they produce no rows.
    - `skip_reasons`, `error_reasons`: the most common reasons, with counts
      (reasons are cut at the first ':' so that similar ones group).
    - `sources`, `sources_skipped`: sources in this run, and how many were
      already complete in the output directory and not read again.
    - `output`, `parts`: the output directory and its part files.
    - `dedup`: `{"rows": n, "clusters": n, "duplicates": n, "peak_index_bytes": n}` or None.
    """

    records: int = 0
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    ignored: dict = field(default_factory=dict)
    skip_reasons: dict = field(default_factory=dict)
    error_reasons: dict = field(default_factory=dict)
    sources: int = 0
    sources_skipped: int = 0
    output: str = ""
    parts: int = 0
    dedup: dict | None = None
    engine: str = "local"

    @property
    def rows(self) -> int:
        """Rows in the output for this run's sources."""
        return sum(self.counts.values())

    @property
    def balanced(self) -> bool:
        """True when every record read has exactly one row (records == rows)."""
        return self.records == self.rows

    def report(self) -> str:
        """The end-of-run text: counts per status, the accounting check, reasons."""
        c = self.counts
        lines = [
            f"copydesk run ({self.engine}): {self.records:,} records in = "
            + " + ".join(f"{c.get(s, 0):,} {s}" for s in STATUSES)
            + (" (balanced)" if self.balanced else f" -- MISMATCH: {self.rows:,} rows out (a bug)"),
        ]
        if self.ignored:
            lines.append("  not page records (no rows): " + ", ".join(f"{n:,} {t}" for t, n in sorted(self.ignored.items())))
            if not self.records:
                # A WAT file (or a WARC of requests only) holds no page: say which files do.
                lines.append("  no page records at all: copydesk reads WARC response records and WET conversion "
                             "records (a WAT file holds metadata only)")
        for title, reasons in (("skipped", self.skip_reasons), ("errors", self.error_reasons)):
            if reasons:
                top = sorted(reasons.items(), key=lambda kv: -kv[1])[:8]
                lines.append(f"  {title}: " + "; ".join(f"{n:,} x {r}" for r, n in top))
        if self.sources_skipped:
            lines.append(f"  {self.sources_skipped} of {self.sources} sources were already complete and not read again")
        if self.dedup:
            d = self.dedup
            # "duplicates" counts the later copies: 22 identical pages are 1 cluster, 21 copies.
            clusters, copies = d["clusters_multi"], d["duplicates"]
            lines.append(f"  near-duplicates: {clusters:,} cluster{'' if clusters == 1 else 's'} of 2 or more rows, holding "
                         f"{copies:,} later cop{'y' if copies == 1 else 'ies'} (of {d['rows']:,} ok rows)")
        lines.append(f"  output: {self.output} ({self.parts} part files)")
        return "\n".join(lines)


def _reason_key(reason: str | None) -> str:
    """A reason without its details, so that similar reasons group ("unreadable WARC data ... N")."""
    r = (reason or "").strip()
    if not r.startswith(("not HTML", "HTTP status")):
        for sep in (": ", " ("):
            if sep in r:
                r = r.split(sep, 1)[0]
        r = re.sub(r"\d[\d,.]*", "N", r)
    return r[:80]


def summarize(out: OutputDir, sources: list[Source], engine: str) -> RunSummary:
    """Totals for `sources` from the output log, plus reasons read from the part files."""
    import pyarrow.compute as pc

    from copydesk.batch.output import read_part

    s = RunSummary(engine=engine, output=str(out.path), sources=len(sources))
    paths = {src.path for src in sources}
    for src in sources:
        e = out.sources.get(src.path)
        if e is None:
            continue
        s.records += e["records"]
        for t, n in (e.get("ignored") or {}).items():
            s.ignored[t] = s.ignored.get(t, 0) + n
    for name, e in out.parts.items():
        if e["source"] not in paths:
            continue
        s.parts += 1
        for st, n in e["counts"].items():
            s.counts[st] = s.counts.get(st, 0) + n
        if e["counts"].get("skipped") or e["counts"].get("error"):
            t = read_part(out.path / name, ["status", "error"])
            for st, target in (("skipped", s.skip_reasons), ("error", s.error_reasons)):
                sub = t.filter(pc.equal(t.column("status"), st))
                for r in sub.column("error").to_pylist():
                    k = _reason_key(r)
                    target[k] = target.get(k, 0) + 1
    return s


def run(inputs, output, *, fmt: str = "parquet", workers: int | None = None, engine: str = "local",
        master: str | None = None, dedup: bool = False, timeout: float | None = None,
        hard_timeout: float | None = None, part_size: int = DEFAULT_PART_SIZE,
        worker_memory: int = DEFAULT_WORKER_MEMORY, progress: bool | None = None,
        options=None) -> RunSummary:
    """Extract every page record of `inputs` into the output directory `output`.

    - `inputs`: paths of WARC/WET files, folders of HTML files, HTML files or path
      lists (see `copydesk.batch.sources`). Raises `InputError` if one is missing.
    - `output`: a directory (created). Re-running with the same output resumes:
      finished sources and parts are skipped; no row is written twice. Raises
      `OutputError` if it holds a run with another format or engine.
    - `fmt`: "parquet" (schema `copydesk.batch.SCHEMA`, version in file metadata) or "jsonl".
    - `workers`: local worker processes (default: the CPUs this process may use).
    - `engine`: "local" or "spark" (`master`: Spark master URL, default `local[*]`).
    - `dedup`: afterwards, mark near-duplicates (`dup_cluster`; see `copydesk.batch.dedup`).
    - `timeout`: seconds per page (`Options.timeout`, default 5); `hard_timeout`:
      the watchdog's limit per record (default `default_hard_timeout(timeout)`).
    - `part_size`: records per part file; `worker_memory`: bytes per worker (recycling).
    - `progress`: show a tqdm bar on stderr (default: when stderr is a terminal).
    - `options`: a base `copydesk.Options` (timeout overrides its `timeout`).

    Returns a `RunSummary`; `summary.balanced` is False only on an accounting bug.
    """
    import sys

    from copydesk.options import Options

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if engine not in ("local", "spark"):
        raise ValueError(f"engine must be local or spark, not {engine!r}")
    opts = options or Options()
    if timeout is not None:
        opts = Options.build(opts, timeout=timeout)
    sources = expand_inputs(list(inputs))
    if progress is None:
        progress = sys.stderr.isatty()
    if engine == "spark":
        from copydesk.batch.spark import run_spark

        return run_spark(sources, output, fmt=fmt, master=master, options=opts, dedup=dedup, hard_timeout=hard_timeout)

    from copydesk.batch.local import LocalEngine, default_hard_timeout

    if workers is None:
        try:
            workers = len(os.sched_getaffinity(0))
        except AttributeError:
            workers = os.cpu_count() or 1
    out = OutputDir(output, fmt, part_size).open()
    try:
        before = sum(1 for s in sources if s.path in out.sources)
        eng = LocalEngine(out, opts, workers=workers,
                          hard_timeout=hard_timeout or default_hard_timeout(opts.timeout),
                          memory_limit=worker_memory, progress=progress)
        eng.run(sources)
        dedup_stats = None
        if dedup and not out.dedup_done:
            from copydesk.batch.dedup import dedup_output

            dedup_stats = dedup_output(out)
            out.log_dedup()
        summary = summarize(out, sources, "local")
        summary.sources_skipped = before
        summary.dedup = dedup_stats
        out.finish({"records": summary.records, "counts": summary.counts, "ignored": summary.ignored,
                    "balanced": summary.balanced})
        return summary
    finally:
        out.close()
