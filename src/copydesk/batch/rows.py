"""The output row: its versioned schema and the per-record function both engines run.

`process_record(raw, options)` turns one `RawRecord` into one row (a dict with
exactly the `SCHEMA` columns). It never raises for a bad page: every outcome
is a status. The local engine's workers and the Spark engine's tasks call this
same function, so both engines give the same rows.

Statuses:

- `ok`: copydesk found an article; the article columns are filled.
- `no_content`: the page was read and extracted, but has no main content
  (`copydesk.extract` returned None).
- `skipped`: not a page copydesk extracts (non-HTML content type, non-2xx HTTP
  status, a WET record while text extraction is unavailable); `error` says why.
- `error`: the record could not be read (truncated, corrupt, too large) or
  extraction failed (`ExtractionTimeout`, an internal error, a worker killed
  past the hard time limit); `error` says why.

See docs/batch.md for the schema table.
"""

from __future__ import annotations

import json
import time
from dataclasses import fields as dc_fields
from dataclasses import is_dataclass

import pyarrow as pa

from copydesk.batch.sources import RawRecord
from copydesk.options import alarm

SCHEMA_VERSION = 1
"""Bumped whenever a column is added, removed, renamed or changes type or meaning.
Stored in every Parquet file's key-value metadata as `copydesk.schema_version`
and in the output manifest."""

STATUSES = ("ok", "no_content", "skipped", "error")

_IMAGE = pa.struct([("src", pa.string()), ("alt", pa.string()), ("caption", pa.string()), ("credit", pa.string())])

SCHEMA = pa.schema([
    pa.field("row_id", pa.string(), nullable=False),
    pa.field("source", pa.string(), nullable=False),
    pa.field("record_index", pa.int64(), nullable=False),
    pa.field("warc_record_id", pa.string()),
    pa.field("warc_type", pa.string()),
    pa.field("url", pa.string()),
    pa.field("fetch_date", pa.timestamp("us", tz="UTC")),
    pa.field("http_status", pa.int32()),
    pa.field("content_type", pa.string()),
    pa.field("charset", pa.string()),
    pa.field("mode", pa.string()),
    pa.field("status", pa.string(), nullable=False),
    pa.field("error", pa.string()),
    pa.field("title", pa.string()),
    pa.field("subtitle", pa.string()),
    pa.field("section", pa.string()),
    pa.field("authors", pa.list_(pa.string())),
    pa.field("dateline", pa.string()),
    pa.field("date_published", pa.string()),
    pa.field("date_modified", pa.string()),
    pa.field("site_name", pa.string()),
    pa.field("language", pa.string()),
    pa.field("canonical_url", pa.string()),
    pa.field("images", pa.list_(_IMAGE)),
    pa.field("paywalled", pa.bool_()),
    pa.field("page_type", pa.string()),
    pa.field("confidence", pa.float64()),
    pa.field("text", pa.string()),
    pa.field("blocks", pa.string()),
    pa.field("elapsed_ms", pa.float64()),
    pa.field("dup_cluster", pa.string()),
])
"""The row schema (version `SCHEMA_VERSION`); docs/batch.md explains each column."""

COLUMNS = tuple(SCHEMA.names)

_ARTICLE_STR = ("title", "subtitle", "section", "dateline", "date_published", "date_modified", "site_name", "language", "page_type")

WET_TITLE_CHARS = 300
"""Longest first line of a WET record passed on as its `<title>` (longer is no title)."""

_text_extractor = None
_text_extractor_looked = False


def text_extractor():
    """`copydesk.extract_text` (flattened-text extraction) if this copydesk has it, else None."""
    global _text_extractor, _text_extractor_looked
    if not _text_extractor_looked:
        _text_extractor_looked = True
        import copydesk

        fn = getattr(copydesk, "extract_text", None)
        if fn is None:
            try:
                from copydesk.textmode import extract_text as fn  # type: ignore[no-redef]
            except ImportError:
                fn = None
        _text_extractor = fn
    return _text_extractor


def _python_codec(label: str | None) -> str | None:
    if not label:
        return None
    from copydesk.decode import normalise_label

    return normalise_label(label)


def _utf8(text: str) -> str:
    """`text` as valid UTF-8: a file name's undecodable bytes (which Python carries as
    lone surrogates) become U+FFFD, so that the row can be written to Arrow."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def row_id(raw: RawRecord) -> str:
    """The row's stable id: the WARC-Record-ID, else the HTML file path, else `<source>#<index>`."""
    if raw.record_id:
        return raw.record_id
    if raw.file:
        return _utf8(raw.file)
    return _utf8(f"{raw.source}#{raw.index}")


def base_row(raw: RawRecord, status: str, error: str | None = None) -> dict:
    """A row for `raw` with the record columns filled and no article."""
    row = dict.fromkeys(COLUMNS)
    row["row_id"] = row_id(raw)
    row["source"] = _utf8(raw.file or raw.source)
    row["record_index"] = raw.index
    row["warc_record_id"] = raw.record_id
    row["warc_type"] = raw.warc_type
    row["url"] = raw.url
    row["fetch_date"] = raw.fetch_date
    row["http_status"] = raw.http_status
    row["content_type"] = raw.content_type
    row["charset"] = raw.charset
    row["mode"] = raw.mode
    row["status"] = status
    row["error"] = error
    return row


def error_row(raw: RawRecord, reason: str) -> dict:
    """An `error` row for `raw` (used by the local engine for records whose worker was killed)."""
    return base_row(raw, "error", reason)


class _SoftLimit(BaseException):
    """The SIGALRM guard's interrupt. Not an `Exception`, so that `copydesk.extract`'s
    own error wrapping lets it through to `process_record`, which reports a timeout."""


def _soft_guard(seconds: float | None):
    """Interrupt pure-Python work that overruns `seconds` (`copydesk.options.alarm`).

    A second line behind copydesk's own cooperative `timeout`: a loop that never
    reaches a deadline check is still stopped. C code holding the GIL is not;
    the local engine's watchdog handles that by killing the worker."""
    return alarm(seconds, _SoftLimit)


def soft_limit_for(options) -> float | None:
    """Seconds after which the SIGALRM guard interrupts a page: 2 x `Options.timeout` + 1 (None: no limit)."""
    t = getattr(options, "timeout", None)
    return None if t is None else 2.0 * t + 1.0


def process_record(raw: RawRecord, options) -> dict:
    """The row for one page record: extract the article and fill the row. Never raises
    for bad input (only KeyboardInterrupt/SystemExit pass through).

    - HTML records: `copydesk.extract(payload, url, options=options, charset=raw.charset)`.
    - Text records (WET `conversion`): `copydesk.extract_text(text, url, options=options,
      title=first line)` on the payload decoded as UTF-8 (or the declared charset) when
      this copydesk has it, else a `skipped` row saying so. The first line (at most
      `WET_TITLE_CHARS`) is the page's `<title>` in Common Crawl's WET files.
    - `options`: a `copydesk.Options` (its `timeout` is the cooperative per-page
      limit; see `soft_limit_for` for the second guard).
    Returns a dict keyed by `COLUMNS`.
    """
    if raw.status is not None:
        return base_row(raw, raw.status, raw.reason)
    import copydesk

    if raw.mode == "text":
        fn = text_extractor()
        if fn is None:
            return base_row(raw, "skipped", "flattened-text record (WET conversion), and this copydesk has no extract_text")
    elif raw.mode == "html":
        fn = copydesk.extract
    else:
        return base_row(raw, "skipped", f"nothing to extract (mode {raw.mode!r})")
    t0 = time.perf_counter()
    try:
        with _soft_guard(soft_limit_for(options)):
            if raw.mode == "text":
                # WET text is UTF-8 by specification. Common Crawl writes the page's
                # <title> as a WET record's first line: headline evidence
                # (`extract_text`'s `title`), not the headline itself.
                payload = raw.payload or b""
                first = payload[: 4 * WET_TITLE_CHARS].split(b"\n", 1)[0].decode(_python_codec(raw.charset) or "utf-8", "replace")
                article = fn(payload, raw.url, options=options, charset=raw.charset or "utf-8",
                             title=first.strip()[:WET_TITLE_CHARS] or None)
            else:
                article = fn(raw.payload, raw.url, options=options, charset=raw.charset)
    except _SoftLimit:
        row = base_row(raw, "error", f"ExtractionTimeout: interrupted after {soft_limit_for(options):g} s (2 x timeout + 1)")
        row["elapsed_ms"] = (time.perf_counter() - t0) * 1000.0
        return row
    except copydesk.CopydeskError as e:
        row = base_row(raw, "error", f"{type(e).__name__}: {e}")
        row["elapsed_ms"] = (time.perf_counter() - t0) * 1000.0
        return row
    except Exception as e:  # a copydesk bug on this page: one error row, the run goes on
        tb = e.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f" at {tb.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{tb.tb_lineno}" if tb is not None else ""
        row = base_row(raw, "error", f"internal error {type(e).__name__}: {e}{where}")
        row["elapsed_ms"] = (time.perf_counter() - t0) * 1000.0
        return row
    if article is None:
        row = base_row(raw, "no_content")
    else:
        row = base_row(raw, "ok")
        fill_article(row, article)
    row["elapsed_ms"] = (time.perf_counter() - t0) * 1000.0
    return row


def _plain(v):
    """A dataclass / tuple value as plain JSON types (no deep copy, unlike `dataclasses.asdict`)."""
    if isinstance(v, (tuple, list)):
        return [_plain(x) for x in v]
    if is_dataclass(v):
        return {f.name: _plain(getattr(v, f.name)) for f in dc_fields(v)}
    return v


def block_dict(block) -> dict:
    """One `Block` exactly as in `Article.to_dict()` (`kind`, `text`, the non-empty fields;
    `ordered` with `items`, `header` with `rows`), without `dataclasses.asdict`'s deep copy."""
    d = {"kind": block.kind, "text": block.text}
    for f in dc_fields(block):
        name = f.name
        if name in ("kind", "text", "ordered", "header"):
            continue
        v = getattr(block, name)
        if v:
            d[name] = _plain(v)
            if name == "items":
                d["ordered"] = block.ordered
            elif name == "rows":
                d["header"] = block.header
    return d


def fill_article(row: dict, article) -> None:
    """Copy an `Article`'s fields into `row`: strings as they are, `authors` as a list,
    `images` as a list of {src, alt, caption, credit}, `url` as `canonical_url`,
    `text` (the plain-text rendering) and `blocks` as a JSON array of `block_dict`s."""
    for k in _ARTICLE_STR:
        v = getattr(article, k, None)
        row[k] = v if isinstance(v, str) else (None if v is None else str(v))
    row["canonical_url"] = getattr(article, "url", "") or None
    row["authors"] = [str(a) for a in article.authors or ()]
    row["images"] = [{"src": i.src or "", "alt": i.alt or "", "caption": i.caption or "", "credit": i.credit or ""}
                     for i in article.images or ()]
    p = article.paywalled
    row["paywalled"] = None if p is None else bool(p)
    c = article.confidence
    row["confidence"] = None if c is None else float(c)
    row["text"] = article.text or ""
    row["blocks"] = json.dumps([block_dict(b) for b in article.blocks], ensure_ascii=False, separators=(",", ":"))


def rows_to_batch(rows: list[dict]) -> pa.RecordBatch:
    """Rows (dicts keyed by `COLUMNS`) as one Arrow record batch with `SCHEMA`."""
    return pa.RecordBatch.from_pylist(rows, schema=SCHEMA)


def schema_with_metadata(engine: str = "local") -> pa.Schema:
    """`SCHEMA` with the key-value metadata stored in every Parquet file:
    `copydesk.schema_version`, `copydesk.version`, `copydesk.engine`."""
    import copydesk

    return SCHEMA.with_metadata({
        "copydesk.schema_version": str(SCHEMA_VERSION),
        "copydesk.version": copydesk.__version__,
        "copydesk.engine": engine,
    })


def row_to_json(row: dict) -> str:
    """One row as a JSON line (dates as ISO 8601 strings)."""
    d = dict(row)
    fd = d.get("fetch_date")
    if fd is not None and not isinstance(fd, str):
        d["fetch_date"] = fd.isoformat().replace("+00:00", "Z")
    return json.dumps(d, ensure_ascii=False, separators=(",", ":"))
