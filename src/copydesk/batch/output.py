"""The output directory: part files written atomically, a manifest and an append-only log.

Layout of `OUTPUT/`:

- `<source-key>.<part:05d>.parquet` (or `.jsonl`): the rows of records
  `part * part_size .. (part + 1) * part_size - 1` of one source, sorted by
  `record_index`. A part is written to `.tmp-<name>` and renamed into place
  only when complete (`os.replace` is atomic on POSIX), so a part file that
  exists is always whole. Parquet parts carry the schema version in their
  key-value metadata and are written in row groups of `ROW_GROUP_ROWS` rows.
- `_copydesk_manifest.json`: the run's settings (format, part size, schema
  version) and, when the run ends, its totals. Rewritten atomically.
- `_copydesk_log.ndjson`: one line per finished part and per finished source,
  appended and fsynced. A torn last line (the run was killed mid-write) is
  ignored.

Readers that list the directory (`pyarrow.dataset`, Spark, DuckDB) skip names
that start with `_` or `.`, so the directory reads as one dataset.

Restart rules (`OutputDir.open`): temporary files are deleted; a part file
present on disk counts as done (its log line is rebuilt from the file if the
run died between rename and log); a part in the log whose file is gone counts
as not done.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from copydesk.batch.rows import SCHEMA, SCHEMA_VERSION, row_to_json, schema_with_metadata

MANIFEST = "_copydesk_manifest.json"
LOG = "_copydesk_log.ndjson"
ROW_GROUP_ROWS = 500
"""Rows per Parquet row group: bounds the memory a reader needs per group."""

FORMATS = ("parquet", "jsonl")


class OutputError(Exception):
    """The output directory cannot be used (different settings, not a copydesk output)."""


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".tmp-{path.name}-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def part_name(source_key: str, part: int, fmt: str) -> str:
    """The file name of part `part` of a source: `<key>.<part:05d>.<ext>`."""
    return f"{source_key}.{part:05d}.{'parquet' if fmt == 'parquet' else 'jsonl'}"


def write_part(directory: Path, name: str, table: pa.Table, fmt: str, engine: str = "local") -> None:
    """Write `table` to `directory/name` atomically (temp file, fsync, rename)."""
    final = directory / name
    tmp = directory / f".tmp-{name}-{os.getpid()}"
    if fmt == "parquet":
        table = table.replace_schema_metadata(schema_with_metadata(engine).metadata)
        with pq.ParquetWriter(tmp, table.schema, compression="zstd") as w:
            w.write_table(table, row_group_size=ROW_GROUP_ROWS)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
    else:
        with open(tmp, "w", encoding="utf-8") as f:
            for batch in table.to_batches(max_chunksize=ROW_GROUP_ROWS):
                for row in batch.to_pylist():
                    f.write(row_to_json(row))
                    f.write("\n")
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, final)


def read_part(path: Path, columns: list[str] | None = None) -> pa.Table:
    """A part file (Parquet or JSONL) as an Arrow table with `SCHEMA` (or the given columns)."""
    if path.suffix == ".parquet":
        return pq.read_table(path, columns=columns)
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    for r in rows:
        fd = r.get("fetch_date")
        if isinstance(fd, str):
            from datetime import datetime

            r["fetch_date"] = datetime.fromisoformat(fd.replace("Z", "+00:00"))
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    return table.select(columns) if columns else table


def status_counts(table: pa.Table) -> dict[str, int]:
    """Rows per status in `table`."""
    return dict(Counter(table.column("status").to_pylist()))


class OutputDir:
    """An output directory being written by one run (see the module docstring).

    Attributes after `open`: `parts` (file name -> log entry of a finished part)
    and `sources` (source path -> log entry of a finished source).
    """

    def __init__(self, path: str | os.PathLike, fmt: str, part_size: int, engine: str = "local"):
        self.path = Path(path)
        self.fmt = fmt
        self.part_size = part_size
        self.engine = engine
        self.parts: dict[str, dict] = {}
        self.sources: dict[str, dict] = {}
        self.dedup_done = False
        self._log = None

    def open(self) -> OutputDir:
        """Create or reopen the directory for writing; raises `OutputError` when it
        holds a different run (other format or part size) or foreign files."""
        p = self.path
        if p.exists() and not p.is_dir():
            raise OutputError(f"output {p} exists and is not a directory")
        p.mkdir(parents=True, exist_ok=True)
        mpath = p / MANIFEST
        if mpath.exists():
            try:
                m = json.loads(mpath.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                raise OutputError(f"cannot read {mpath}: {e}") from e
            if m.get("format") != self.fmt:
                raise OutputError(f"{p} holds a {m.get('format')} run; use --format {m.get('format')} or another output directory")
            if m.get("engine", "local") != self.engine:
                raise OutputError(f"{p} was written by the {m.get('engine')} engine; use another output directory")
            if int(m.get("schema_version", 0)) != SCHEMA_VERSION:
                raise OutputError(f"{p} holds schema version {m.get('schema_version')}, this copydesk writes {SCHEMA_VERSION}")
            self.part_size = int(m.get("part_size", self.part_size))
        else:
            foreign = [c.name for c in p.iterdir() if not c.name.startswith((".tmp-", "_copydesk"))]
            if foreign:
                raise OutputError(f"output directory {p} is not empty and is not a copydesk run ({foreign[0]}, ...)")
        for c in p.iterdir():
            if c.name.startswith(".tmp-"):
                c.unlink()
        self._read_log()
        self._write_manifest(finished=False)
        self._log = open(p / LOG, "a", encoding="utf-8")
        if self._log.tell() > 0:
            with open(p / LOG, "rb") as f:
                f.seek(-1, os.SEEK_END)
                torn = f.read(1) != b"\n"
            if torn:  # end the torn line so the next entry starts on its own line
                self._log.write("\n")
                self._log.flush()
        return self

    def _read_log(self) -> None:
        logp = self.path / LOG
        entries = []
        if logp.exists():
            with open(logp, encoding="utf-8") as f:
                for line in f:
                    try:
                        entries.append(json.loads(line))
                    except ValueError:
                        continue  # a torn last line
        on_disk = {c.name for c in self.path.iterdir() if not c.name.startswith((".", "_"))}
        for e in entries:
            if "part" in e and e["part"] in on_disk:
                self.parts[e["part"]] = e
            elif "source" in e and e.get("complete"):
                self.sources[e["source"]] = e
            elif e.get("dedup"):
                self.dedup_done = True
            elif e.get("parts_changed"):
                self.dedup_done = False
        # parts renamed into place whose log line was lost
        self._orphans = sorted(on_disk - set(self.parts))
        # a finished source is finished only while all its parts are on disk
        for src, e in list(self.sources.items()):
            if any(name not in self.parts for name in e.get("part_files", [])):
                del self.sources[src]

    def adopt_orphan_parts(self, key_to_source: dict[str, str]) -> None:
        """Log part files found on disk without a log line (the run died between
        rename and log): their rows are counted from the file."""
        for name in self._orphans:
            stem = name.rsplit(".", 2)
            if len(stem) != 3 or not stem[1].isdigit():
                continue
            key, part = stem[0], int(stem[1])
            src = key_to_source.get(key)
            if src is None:
                continue
            table = read_part(self.path / name, ["status"])
            self.log_part(name, src, part, table.num_rows, status_counts(table))
        self._orphans = []

    def _append(self, entry: dict) -> None:
        assert self._log is not None
        self._log.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._log.flush()
        os.fsync(self._log.fileno())

    def log_part(self, name: str, source: str, part: int, rows: int, counts: dict[str, int]) -> None:
        """Record a finished part."""
        e = {"part": name, "source": source, "index": part, "rows": rows, "counts": counts}
        self.parts[name] = e
        self._append(e)
        if self.dedup_done:
            self.dedup_done = False
            self._append({"parts_changed": True})

    def log_source(self, source: str, records: int, part_files: list[str], ignored: dict[str, int]) -> None:
        """Record a finished source: every page record read and every part written."""
        e = {"source": source, "complete": True, "records": records, "part_files": part_files, "ignored": ignored}
        self.sources[source] = e
        self._append(e)

    def log_dedup(self) -> None:
        """Record that the near-duplicate pass finished over all current parts."""
        self.dedup_done = True
        self._append({"dedup": True})

    def write(self, source_key: str, source: str, part: int, table: pa.Table) -> str:
        """Write one finished part and log it; returns the file name."""
        name = part_name(source_key, part, self.fmt)
        write_part(self.path, name, table, self.fmt, self.engine)
        self.log_part(name, source, part, table.num_rows, status_counts(table))
        return name

    def part_files(self) -> list[Path]:
        """Every finished part file, in name order."""
        return sorted(self.path / n for n in self.parts)

    def _write_manifest(self, finished: bool, totals: dict | None = None) -> None:
        import copydesk

        m = {
            "copydesk_batch": 1,
            "schema_version": SCHEMA_VERSION,
            "copydesk_version": copydesk.__version__,
            "format": self.fmt,
            "engine": self.engine,
            "part_size": self.part_size,
            "finished": finished,
        }
        if totals is not None:
            m["totals"] = totals
        _atomic_write_text(self.path / MANIFEST, json.dumps(m, indent=2) + "\n")
        _fsync_dir(self.path)

    def finish(self, totals: dict) -> None:
        """Mark the run finished with its totals and close the log."""
        self._write_manifest(finished=True, totals=totals)
        self.close()

    def close(self) -> None:
        """Close the log (idempotent)."""
        if self._log is not None:
            self._log.close()
            self._log = None
