"""Crawl-scale extraction: WARC/WET/HTML in, Parquet or JSONL out (`copydesk run`).

    from copydesk.batch import run
    summary = run(["CC-MAIN-...warc.gz"], "out/", workers=2)
    print(summary.report())

Modules:

- `sources`: inputs to sources, sources to `RawRecord`s (fastwarc).
- `rows`: the versioned output `SCHEMA` and `process_record`, the per-record
  function both engines run.
- `local`: the local engine (worker processes, watchdog, bounded memory).
- `output`: part files, manifest, log (resumable, atomic).
- `dedup`: near-duplicate clusters (MinHash LSH) over finished rows.
- `spark`: the Spark engine and `extract_articles` for your own Spark jobs
  (also importable as `copydesk.spark`).

See docs/batch.md for the schema, the guarantees and measured figures.
"""

from copydesk.batch.output import OutputError
from copydesk.batch.rows import COLUMNS, SCHEMA, SCHEMA_VERSION, STATUSES, process_record
from copydesk.batch.runner import RunSummary, run
from copydesk.batch.sources import InputError, RawRecord, Source, expand_inputs, read_source

__all__ = [
    "run", "RunSummary", "SCHEMA", "SCHEMA_VERSION", "COLUMNS", "STATUSES", "process_record",
    "read_source", "expand_inputs", "RawRecord", "Source", "InputError", "OutputError",
]
