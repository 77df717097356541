"""The Spark engine, and `extract_articles` for your own Spark jobs (also `copydesk.spark`).

    from pyspark.sql import SparkSession
    from copydesk.spark import extract_articles

    spark = SparkSession.builder.getOrCreate()
    paths = spark.createDataFrame([("/data/a.warc.gz",), ("/data/b.warc.gz",)], "path string")
    articles = extract_articles(paths)          # one row per page record, SCHEMA columns
    articles.where("status = 'ok'").select("url", "title", "text").show()

Each path is read by one task, on an executor, with the same reader
(`copydesk.batch.sources.read_source`) and the same per-record function
(`copydesk.batch.rows.process_record`) as the local engine, so both engines
give the same rows. Paths must be readable from the executors (a shared file
system); copydesk and its dependencies must be installed there.

Limits on Spark: copydesk's cooperative `Options.timeout` and the SIGALRM
guard of `process_record` (2 x timeout + 1 s) apply per record, and each task
runs its records in a child process that a watchdog kills when it is stuck on
one record past `hard_timeout` (default `default_hard_timeout`: 30 s for the
default 5 s timeout), as the local engine does (`local.supervised_rows`): that
record is an `error` row, the task goes on. Resumption is Spark's (failed tasks
are retried); a re-run of `copydesk run --engine spark` on a finished output
does nothing, and on an unfinished one starts over.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Iterator

import pyarrow as pa

from copydesk.batch.rows import COLUMNS, SCHEMA, SCHEMA_VERSION
from copydesk.batch.sources import ReadStats, Source, classify_path, read_source


def spark_schema():
    """`copydesk.batch.SCHEMA` as a pyspark `StructType` (same names, order and nullability)."""
    from pyspark.sql import types as T

    def conv(t: pa.DataType):
        if pa.types.is_string(t):
            return T.StringType()
        if pa.types.is_int64(t):
            return T.LongType()
        if pa.types.is_int32(t):
            return T.IntegerType()
        if pa.types.is_float64(t):
            return T.DoubleType()
        if pa.types.is_boolean(t):
            return T.BooleanType()
        if pa.types.is_timestamp(t):
            return T.TimestampType()
        if pa.types.is_list(t):
            return T.ArrayType(conv(t.value_type), True)
        if pa.types.is_struct(t):
            return T.StructType([T.StructField(f.name, conv(f.type), f.nullable) for f in t])
        raise TypeError(f"no Spark type for {t}")

    return T.StructType([T.StructField(f.name, conv(f.type), f.nullable) for f in SCHEMA])


def source_rows(path: str, options=None, stats: ReadStats | None = None,
                hard_timeout: float | None = None) -> Iterator[tuple]:
    """The rows of one source (WARC/WET file, HTML folder or file) as tuples in
    `COLUMNS` order: `read_source`, then `process_record` on every record in a watched
    child process (`local.supervised_rows`; `hard_timeout` seconds a record, default
    `local.default_hard_timeout(options.timeout)`)."""
    from copydesk.batch.local import default_hard_timeout, supervised_rows
    from copydesk.options import Options

    opts = options or Options()
    # Local or shared-file-system paths only: anything else is an `error` row ("cannot open").
    kind = classify_path(path) if os.path.exists(path) else "missing"
    if kind == "list":  # not a WARC/WET/HTML name: read it as one HTML page
        kind = "html"
    records = read_source(Source(path, kind), opts.max_bytes, stats=stats)
    for row in supervised_rows(records, opts, hard_timeout or default_hard_timeout(opts.timeout)):
        yield tuple(row[c] for c in COLUMNS)


def extract_articles(paths_df, path_col: str = "path", *, options=None, num_partitions: int | None = None,
                     hard_timeout: float | None = None):
    """A DataFrame of articles from a DataFrame of input paths.

    - `paths_df`: a pyspark DataFrame with a string column `path_col`: WARC/WET
      files, folders of HTML files or HTML files, readable by the executors.
    - `options`: a `copydesk.Options` for every page (default `Options()`).
    - `num_partitions`: repartition the paths first (default: one partition per
      path, up to 10,000), so that each WARC is one task.
    - `hard_timeout`: seconds a task's worker process may spend on one record before
      it is killed and the record becomes an `error` row (see the module docstring).

    Returns a DataFrame with `spark_schema()`: one row per page record, status
    ok / no_content / skipped / error (see docs/batch.md). Lazy, like any
    DataFrame: nothing runs until you write or collect it.
    """
    from copydesk.options import Options

    opts = options or Options()
    spark = paths_df.sparkSession
    paths = paths_df.select(path_col)
    n = num_partitions or max(1, min(10_000, paths.count()))
    rdd = paths.repartition(n).rdd.flatMap(lambda r: source_rows(r[0], opts, hard_timeout=hard_timeout))
    return spark.createDataFrame(rdd, spark_schema(), verifySchema=False)


def _session(master: str | None):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    b = (SparkSession.builder.appName("copydesk run")
         .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.ui.showConsoleProgress", "false"))
    if master:
        b = b.master(master)
    elif "SPARK_MASTER" not in os.environ and "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        b = b.master("local[*]")
    return b.getOrCreate()


def _counts_param():
    from pyspark.accumulators import AccumulatorParam

    class CountsParam(AccumulatorParam):
        def zero(self, value):
            return {}

        def addInPlace(self, a, b):
            for k, v in b.items():
                a[k] = a.get(k, 0) + v
            return a

    return CountsParam


class _SparkOutput:
    """Just enough of `OutputDir` for the dedup pass over Spark's part files."""

    def __init__(self, path, fmt):
        from pathlib import Path

        self.path = Path(path)
        self.fmt = fmt
        self.engine = "spark"

    def part_files(self):
        ext = ".parquet" if self.fmt == "parquet" else ".json"
        return sorted(p for p in self.path.iterdir() if p.name.startswith("part-") and p.name.endswith(ext))


def run_spark(sources: list[Source], output, *, fmt: str, master: str | None, options, dedup: bool,
              hard_timeout: float | None = None):
    """`copydesk run --engine spark`: write `extract_articles` over `sources` to
    `output` (Spark's own part files plus `_copydesk_manifest.json`). Returns a
    `RunSummary`. A finished output directory is left as is."""
    from pathlib import Path

    from copydesk.batch.output import MANIFEST, OutputError, _atomic_write_text
    from copydesk.batch.runner import RunSummary

    out = Path(output)
    mpath = out / MANIFEST
    if mpath.exists():
        m = json.loads(mpath.read_text(encoding="utf-8"))
        if m.get("engine") != "spark" or m.get("format") != fmt:
            raise OutputError(f"{out} holds a {m.get('engine')} {m.get('format')} run; use another output directory")
        if m.get("finished") and m.get("sources") == [s.path for s in sources]:
            t = m["totals"]
            return RunSummary(records=t["records"], counts=t["counts"], ignored=t.get("ignored", {}), output=str(out),
                              engine="spark", sources=len(sources), sources_skipped=len(sources),
                              parts=len(_SparkOutput(out, fmt).part_files()))
    elif out.exists() and any(out.iterdir()):
        raise OutputError(f"output directory {out} is not empty and is not a copydesk run")

    spark = _session(master)
    sc = spark.sparkContext
    records_acc = sc.accumulator(0)
    ignored_acc = sc.accumulator({}, _counts_param()())
    opts = options

    def rows(r):
        st = ReadStats()
        for row in source_rows(r[0], opts, stats=st, hard_timeout=hard_timeout):
            records_acc.add(1)
            yield row
        if st.ignored:
            ignored_acc.add(st.ignored)

    paths = spark.createDataFrame([(s.path,) for s in sources], "path string")
    rdd = paths.repartition(max(1, len(sources))).rdd.flatMap(rows)
    df = spark.createDataFrame(rdd, spark_schema(), verifySchema=False)
    writer = df.write.mode("overwrite")
    if fmt == "parquet":
        writer.parquet(str(out))
    else:
        writer.json(str(out))
    reader = spark.read.parquet(str(out)) if fmt == "parquet" else spark.read.schema(spark_schema()).json(str(out))
    counts = {r["status"]: r["count"] for r in reader.groupBy("status").count().collect()}
    summary = RunSummary(records=records_acc.value, output=str(out), engine="spark", sources=len(sources))
    for k, v in counts.items():
        summary.counts[k] = v
    summary.ignored = dict(ignored_acc.value)
    so = _SparkOutput(out, fmt)
    if dedup:
        from copydesk.batch.dedup import dedup_output

        summary.dedup = dedup_output(so)
    summary.parts = len(so.part_files())
    _atomic_write_text(mpath, json.dumps({
        "copydesk_batch": 1, "schema_version": SCHEMA_VERSION, "format": fmt, "engine": "spark", "finished": True,
        "sources": [s.path for s in sources],
        "totals": {"records": summary.records, "counts": summary.counts, "ignored": summary.ignored,
                   "balanced": summary.balanced}}, indent=2) + "\n")
    return summary
