"""Batch inputs: expand what the user named into sources, and read each source's page records.

A *source* is one unit of input with its own numbered records:

- a WARC file (`.warc`, `.warc.gz`, `.warc.lz4`, `.warc.zst`): its `response`,
  `resource` and `conversion` records are page records (numbered 0, 1, ...);
  `warcinfo`, `request`, `metadata`, `revisit` and `continuation` records are
  counted as *ignored* and produce no row;
- a WET file (`.warc.wet.gz`, `.wet`, `.wet.gz`): the same reader; its
  `conversion` records are flattened text (mode "text");
- a directory: every `.html`, `.htm`, `.xhtml` file (or `.gz` of one) under it,
  in sorted path order, one record each (WARC and WET files found under a
  named directory become sources of their own; WAT files are left out);
- a single HTML file (same extensions): one record.

Anything else named on the command line is read as a *path list*: one path a
line, blank lines and `#` comments skipped, relative paths taken relative to the
list file's folder. A path in a list that does not exist becomes a source whose
one record is an `error` row ("cannot open"), so a big list never aborts a run.

`read_source` turns a source into a stream of `RawRecord`s, one per page
record, in a deterministic order (the same file always gives the same records
with the same numbers: resuming a run depends on it). Everything a page record
needs is read here, in the parent process, so workers only extract:

- the WARC target URI, WARC-Date and WARC-Record-ID;
- for HTTP responses, the status code, the `Content-Type` and its charset
  (passed to `copydesk.extract` as `charset=`); non-2xx responses and
  non-HTML content types become `skipped` rows with the reason;
- the payload, at most `Options.max_bytes` bytes: a larger record is an `error`
  row (InputTooLarge) and is never held in memory.

Damage becomes rows, never a crash: a record whose payload is shorter than its
declared length (a truncated file) is an `error` row. When fastwarc cannot
parse on (a corrupt gzip member, garbage between records), reading resumes at
the next record boundary (the next gzip member header in `.gz` files, the next
`WARC/1.` line in uncompressed ones); an unreadable range in which a record
start failed to parse becomes one `error` row, a range that held no record
start (garbage between records) loses nothing and is only counted. LZ4 and
Zstandard streams cannot be resynchronised: there the rest of the file becomes
one `error` row that says so.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterator

WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.lz4", ".warc.zst", ".arc.gz")
WET_SUFFIXES = (".warc.wet.gz", ".warc.wet", ".wet.gz", ".wet", ".warc.wet.lz4", ".warc.wet.zst")
WAT_SUFFIXES = (".warc.wat.gz", ".warc.wat", ".wat.gz", ".wat")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")
"""Names read as one HTML page each (also by `copydesk extract`); ".gz" ones are gunzipped."""

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/xhtml", "text/xhtml"})
"""Content types read as HTML. A missing or generic type (application/octet-stream,
unknown/unknown) is sniffed: HTML when the first 1 KiB starts like markup."""

_GENERIC_TYPES = frozenset({"", "application/octet-stream", "unknown/unknown", "application/unknown", "*/*"})
_SNIFF_RE = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p\b|table|!--)", re.IGNORECASE | re.DOTALL)
_CT_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:\-]+)", re.IGNORECASE)

_PAGE_TYPES = ("response", "resource", "conversion")


@dataclass(slots=True)
class Source:
    """One unit of input: `path` (absolute, or a URL as given) and `kind`:
    "warc" (WARC or WET, same reader), "dir" (a folder of HTML files), "html"
    (one HTML file) or "missing" (a listed path that does not exist)."""

    path: str
    kind: str

    @property
    def key(self) -> str:
        """A file-name-safe key unique to this path: `<basename>.<sha1[:10]>`."""
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.basename(self.path.rstrip("/")) or "root")[:60]
        return f"{base}.{hashlib.sha1(self.path.encode('utf-8', 'surrogateescape')).hexdigest()[:10]}"


@dataclass(slots=True)
class RawRecord:
    """One page record, as read (no extraction yet). Picklable; sent to workers.

    - `source`, `index`: the source path and the record's number in it (0-based,
      counting page records only).
    - `record_id`, `warc_type`, `url`, `fetch_date`: WARC-Record-ID, WARC-Type,
      WARC-Target-URI and WARC-Date (UTC datetime) when the source is a WARC.
    - `http_status`, `content_type`, `charset`: from the HTTP headers (responses)
      or the WARC `Content-Type` (resource/conversion records); `charset` is the
      declared label, passed to `copydesk.extract(charset=...)`.
    - `mode`: "html" or "text" (WET conversion records): what to extract.
    - `payload`: the page bytes (HTTP body, de-chunked and content-decoded).
    - `status`, `reason`: set when the reader already decided the row ("skipped"
      or "error") and no extraction should run.
    - `file`: the HTML file, for folder and HTML-file sources (else None).
    """

    source: str
    index: int
    record_id: str | None = None
    warc_type: str | None = None
    url: str | None = None
    fetch_date: datetime | None = None
    http_status: int | None = None
    content_type: str | None = None
    charset: str | None = None
    mode: str | None = None
    payload: bytes | None = None
    status: str | None = None
    reason: str | None = None
    file: str | None = None

    @property
    def size(self) -> int:
        """Payload length in bytes (0 when none)."""
        return len(self.payload) if self.payload is not None else 0


class InputError(ValueError):
    """A command-line input that does not exist or cannot be used."""


def _has_suffix(name: str, suffixes: tuple[str, ...]) -> bool:
    low = name.lower()
    return any(low.endswith(s) for s in suffixes)


def _is_url(p: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", p))


def classify_path(path: str) -> str:
    """The source kind for a path by its name and type: "warc", "dir", "html", or "list"."""
    if not _is_url(path) and os.path.isdir(path):
        return "dir"
    name = os.path.basename(path)
    if _has_suffix(name, WET_SUFFIXES) or _has_suffix(name, WARC_SUFFIXES) or _has_suffix(name, WAT_SUFFIXES):
        return "warc"
    if _has_suffix(name, HTML_SUFFIXES):
        return "html"
    return "list"


def expand_inputs(inputs: list[str] | tuple[str, ...], *, strict: bool = True) -> list[Source]:
    """The sources named by command-line inputs, in the order given, without duplicates.

    Each input is a WARC/WET file, a folder of HTML files, an HTML file or a path
    list (see the module docstring). Paths are made absolute; URLs (`s3://...`)
    are kept as given for engines that can read them. Raises `InputError` when
    a command-line input does not exist, or is a list none of whose lines does
    (`strict`); a missing path *inside* a list becomes a "missing" source instead.
    """
    out: list[Source] = []
    seen: set[str] = set()

    def add(path: str, kind: str) -> None:
        if path not in seen:
            seen.add(path)
            out.append(Source(path, kind))

    def visit(raw: str, from_list: bool, depth: int = 0) -> None:
        path = raw if _is_url(raw) else os.path.abspath(raw)
        if not _is_url(path) and not os.path.exists(path):
            if strict and not from_list:
                raise InputError(f"input not found: {raw}")
            add(path, "missing")
            return
        kind = classify_path(path)
        if kind == "dir":
            has_html = False
            for dirpath, dirnames, filenames in sorted(os.walk(path)):
                dirnames.sort()
                for name in sorted(filenames):
                    if classify_path(name) == "warc" and not _has_suffix(name, WAT_SUFFIXES):
                        add(os.path.join(dirpath, name), "warc")
                    elif _has_suffix(name, HTML_SUFFIXES):
                        has_html = True
            if has_html:
                add(path, "dir")
            return
        if kind != "list":
            add(path, kind)
            return
        if _is_url(path):
            raise InputError(f"cannot read a path list from a URL: {raw}")
        if depth > 3:
            raise InputError(f"path lists nested too deep at {raw}")
        base = os.path.dirname(path)
        try:
            _require_regular(path)
        except OSError as e:
            raise InputError(f"cannot read the path list {raw}: {e}") from e
        with open(path, "rb") as f:
            head = f.read(4096)
        if b"\x00" in head:
            raise InputError(f"not a WARC/WET/HTML file name and not a text path list: {raw}")
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            entries = [line.strip() for line in f]
        entries = [e if (_is_url(e) or os.path.isabs(e)) else os.path.join(base, e)
                   for e in entries if e and not e.startswith("#")]
        if strict and entries and not any(_is_url(e) or os.path.exists(e) for e in entries):
            # Not one line names something that exists: flattened page text or notes,
            # not a list (each line would become a "cannot open" row).
            raise InputError(
                f"{raw} is not a list of paths: none of its {len(entries):,} lines names a file or folder "
                "(a list is any file not named as WARC, WET or HTML; flattened page text is read from WET "
                "records, or one page at a time with copydesk extract --input-format text)"
            )
        for entry in entries:
            visit(entry, True, depth + 1)

    for raw in inputs:
        visit(os.fspath(raw), False)
    return out


# ---------------------------------------------------------------------------
# Reading records


class ReadStats:
    """Per-source reading counters: `ignored` maps a WARC-Type to the number of
    non-page records seen (no rows); `regions` counts unreadable byte ranges."""

    __slots__ = ("ignored", "regions")

    def __init__(self) -> None:
        self.ignored: dict[str, int] = {}
        self.regions = 0


def read_source(source: Source, max_bytes: int, *, want: Callable[[int], bool] | None = None,
                stats: ReadStats | None = None) -> Iterator[RawRecord]:
    """The page records of `source`, in order, as `RawRecord`s (see the module docstring).

    - `max_bytes`: the largest payload read into memory (normally
      `Options.max_bytes`); bigger records become `error` rows unread.
    - `want(index)`: when given and false, the record is yielded without its
      payload and without decoding work (status "unwanted"); resuming a run uses it
      to step over records that are already written.
    - `stats`: filled with the ignored-record counts.

    Never raises for bad data: unreadable files and ranges become `error` records.
    """
    stats = stats if stats is not None else ReadStats()
    if source.kind == "missing":
        yield RawRecord(source.path, 0, status="error", reason=f"cannot open: no such file or folder: {source.path}")
        return
    if source.kind == "dir":
        yield from _read_dir(source.path, max_bytes, want)
        return
    if source.kind == "html":
        if want is not None and not want(0):
            yield RawRecord(source.path, 0, status="unwanted", file=source.path)
            return
        yield _read_html_file(source.path, source.path, 0, max_bytes)
        return
    yield from _read_warc(source.path, max_bytes, want, stats)


def _read_dir(root: str, max_bytes: int, want) -> Iterator[RawRecord]:
    files: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            if _has_suffix(name, HTML_SUFFIXES):
                files.append(os.path.join(dirpath, name))
    files.sort()
    for i, path in enumerate(files):
        if want is not None and not want(i):
            yield RawRecord(root, i, status="unwanted", file=path)
            continue
        yield _read_html_file(path, root, i, max_bytes)


def _read_html_file(path: str, source: str, index: int, max_bytes: int) -> RawRecord:
    rec = RawRecord(source, index, mode="html", file=path)
    try:
        _require_regular(path)
        if path.lower().endswith(".gz"):
            with gzip.open(path, "rb") as f:
                data = f.read(max_bytes + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as e:
        rec.mode, rec.status, rec.reason = None, "error", f"cannot read: {type(e).__name__}: {e}"
        return rec
    if len(data) > max_bytes:
        rec.mode, rec.status, rec.reason = None, "error", f"InputTooLarge: file is over the {max_bytes:,}-byte limit (max_bytes)"
    else:
        rec.payload = data
    return rec


_GZIP_MAGIC = b"\x1f\x8b\x08"
_LZ4_MAGIC = b"\x04\x22\x4d\x18"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# A record may start right after junk with no newline before it ("JUNKWARC/1.0"):
# match the version line anywhere when resynchronising.
_WARC_LINE = re.compile(rb"(WARC/1\.[01]\r?\n)")


def _require_regular(path: str) -> None:
    """OSError unless `path` is a regular file: opening a FIFO would block for ever."""
    import stat

    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(f"not a regular file: {path}")


def _compression(head: bytes) -> str:
    if head.startswith(_GZIP_MAGIC):
        return "gzip"
    if head.startswith(_LZ4_MAGIC):
        return "lz4"
    if head.startswith(_ZSTD_MAGIC):
        return "zstd"
    return "none"


def _find_boundary(f, start: int, compression: str) -> int | None:
    """Offset of the first plausible record start at or after `start`, or None at EOF."""
    chunk = 1 << 20
    pos = start
    carry = b""
    while True:
        f.seek(pos)
        data = f.read(chunk)
        if not data:
            return None
        buf = carry + data
        base = pos - len(carry)
        if compression == "gzip":
            i = buf.find(_GZIP_MAGIC)
            if i >= 0:
                return base + i
        else:
            m = _WARC_LINE.search(buf)
            if m and base + m.start(1) >= start:
                return base + m.start(1)
        carry = buf[-16:]
        pos += len(data)


SKIPPED_RANGE = "unreadable range (no record start)"
"""The `ReadStats.ignored` key counting unreadable byte ranges that held no record start."""


def _region_row(path: str, index: int, after: int | None, end: int | None, reason: str, lost: int) -> RawRecord:
    where = "from the start of the file" if after is None else f"after the record at byte {after:,}"
    where += f" up to byte {end:,}" if end is not None else " to the end of the file"
    what = (f"{lost} record start{'s' if lost != 1 else ''} in this range could not be read" if lost
            else "no record could be read from this file")
    return RawRecord(path, index, status="error", reason=f"unreadable WARC data {where}: {reason}; {what}")


def _read_warc(path: str, max_bytes: int, want, stats: ReadStats) -> Iterator[RawRecord]:
    """The WARC reader with resynchronisation. An unreadable byte range becomes an
    `error` row when a record start inside it failed to parse (`lost`), or when the
    file gave no record at all; a range with no record start (garbage between
    records) loses nothing and is only counted (`SKIPPED_RANGE` in `stats.ignored`)."""
    from fastwarc.warc import ArchiveIterator

    try:
        _require_regular(path)
        f = open(path, "rb")
    except OSError as e:
        yield RawRecord(path, 0, status="error", reason=f"cannot open: {type(e).__name__}: {e}")
        return
    with f:
        compression = _compression(f.read(4))
        index = 0
        pos = 0
        seen_any = False
        bad = False  # inside an unreadable range, which began after the record at `bad_start`
        bad_start: int | None = None
        bad_reason = ""
        lost = 0  # record starts inside the range that failed to parse

        def close_range(end: int | None):
            nonlocal index, bad
            bad = False
            if lost or not seen_any:
                row = _region_row(path, index, bad_start, end, bad_reason, lost)
                stats.regions += 1
                index += 1
                return row
            stats.ignored[SKIPPED_RANGE] = stats.ignored.get(SKIPPED_RANGE, 0) + 1
            return None

        while True:
            f.seek(pos)
            last_start: int | None = None
            it = iter(ArchiveIterator(f, parse_http=False))
            try:
                while True:
                    try:
                        r = next(it)
                    except StopIteration:
                        break
                    start = r.stream_pos
                    seen_any = True
                    if bad:
                        row = close_range(start)
                        if row is not None:
                            yield row
                    last_start = start
                    rtype = str(r.record_type)
                    if rtype not in _PAGE_TYPES:
                        stats.ignored[rtype] = stats.ignored.get(rtype, 0) + 1
                        continue
                    if want is not None and not want(index):
                        yield RawRecord(path, index, status="unwanted")
                    else:
                        yield _page_record(r, rtype, path, index, max_bytes)
                    index += 1
            except (OSError, ValueError, EOFError) as e:  # what fastwarc raises on bad data
                reason = f"{type(e).__name__}: {e}"
                if not bad:
                    bad, bad_start, bad_reason, lost = True, last_start, reason, 0
                elif last_start is None:
                    lost += 1  # we resumed at a record start, and it did not parse
                if compression in ("lz4", "zstd"):
                    where = "at the start of the file" if bad_start is None else f"after the record at byte {bad_start:,}"
                    yield RawRecord(path, index, status="error", reason=(
                        f"unreadable WARC data {where}: {reason}; a {compression} stream cannot "
                        "be resynchronised, so the rest of the file is lost"))
                    stats.regions += 1
                    return
                nxt = _find_boundary(f, (last_start + 1) if last_start is not None else pos + 1, compression)
                if nxt is None:
                    row = close_range(None)
                    if row is not None:
                        yield row
                    return
                pos = nxt
                continue
            if bad:  # resumed at a boundary that held no record, then hit EOF
                row = close_range(None)
                if row is not None:
                    yield row
            return


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _read_exact(reader, n: int) -> bytes:
    parts = []
    got = 0
    while got < n:
        b = reader.read(n - got)
        if not b:
            break
        parts.append(b)
        got += len(b)
    return b"".join(parts)


def _dechunk(data: bytes) -> bytes:
    out = []
    i = 0
    n = len(data)
    while i < n:
        j = data.find(b"\n", i)
        if j < 0:
            raise ValueError("chunk size line missing")
        size_text = data[i:j].split(b";", 1)[0].strip()
        size = int(size_text, 16)
        if size == 0:
            break
        start = j + 1
        out.append(data[start:start + size])
        if start + size > n:
            raise ValueError("last chunk truncated")
        i = start + size
        if data[i:i + 2] == b"\r\n":
            i += 2
        elif data[i:i + 1] == b"\n":
            i += 1
    return b"".join(out)


def _decode_content(data: bytes, encoding: str, max_bytes: int) -> bytes:
    enc = encoding.strip().lower()
    if enc in ("", "identity", "none"):
        return data
    if enc in ("gzip", "x-gzip", "deflate"):
        wbits = 47 if enc != "deflate" else 15
        try:
            d = zlib.decompressobj(wbits)
            out = d.decompress(data, max_bytes + 1)
        except zlib.error:
            if enc != "deflate":
                raise
            d = zlib.decompressobj(-15)
            out = d.decompress(data, max_bytes + 1)
        if len(out) > max_bytes:
            raise OverflowError(f"decoded payload is over the {max_bytes:,}-byte limit (max_bytes)")
        return out
    if enc == "br":
        try:
            import brotli  # type: ignore[import-not-found]
        except ImportError:
            raise ValueError("Content-Encoding br needs the 'brotli' package") from None
        out = brotli.decompress(data)
        if len(out) > max_bytes:
            raise OverflowError(f"decoded payload is over the {max_bytes:,}-byte limit (max_bytes)")
        return out
    raise ValueError(f"unsupported Content-Encoding {encoding!r}")


def _sniff_html(data: bytes) -> bool:
    head = data[:1024]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return bool(_SNIFF_RE.match(head))


def _page_record(r, rtype: str, path: str, index: int, max_bytes: int) -> RawRecord:
    """One page record from a fastwarc record positioned at its block."""
    from copydesk.decode import charset_from_content_type

    h = r.headers
    rec = RawRecord(path, index, record_id=h.get("WARC-Record-ID"), warc_type=rtype, url=h.get("WARC-Target-URI"))
    try:
        rec.fetch_date = r.record_date
    except Exception:  # an unparseable WARC-Date is no reason to lose the page
        rec.fetch_date = None
    try:
        content_encoding = transfer_encoding = ""
        if rtype == "response":
            warc_ct = _mime(h.get("Content-Type"))
            if warc_ct and not warc_ct.startswith("application/http"):
                rec.status, rec.reason = "skipped", f"not an HTTP response (WARC Content-Type {warc_ct})"
                return rec
            r.parse_http()
            hh = r.http_headers
            if hh is None or not hh.status_code:
                rec.status, rec.reason = "error", "unparseable HTTP response headers"
                return rec
            rec.http_status = int(hh.status_code)
            ct = hh.get("Content-Type") or ""
            if not _mime(ct) or _mime(ct) in _GENERIC_TYPES:
                ct = h.get("WARC-Identified-Payload-Type") or ct
            rec.content_type = ct or None
            content_encoding = hh.get("Content-Encoding") or ""
            transfer_encoding = hh.get("Transfer-Encoding") or ""
            if not 200 <= rec.http_status < 300:
                rec.status, rec.reason = "skipped", f"HTTP status {rec.http_status}"
                return rec
        else:
            rec.content_type = h.get("Content-Type") or None
        mime = _mime(rec.content_type)
        rec.charset = charset_from_content_type(rec.content_type)
        if rtype == "conversion":
            if mime and not mime.startswith("text/"):
                rec.status, rec.reason = "skipped", f"conversion record of type {mime}"
                return rec
            rec.mode = "text"
        elif mime in HTML_TYPES or mime in _GENERIC_TYPES:
            rec.mode = "html"
        else:
            rec.status, rec.reason = "skipped", f"not HTML: content type {mime}"
            return rec
        declared = r.content_length
        if declared > max_bytes and not transfer_encoding:
            rec.mode, rec.status = None, "error"
            rec.reason = f"InputTooLarge: payload of {declared:,} bytes is over the {max_bytes:,}-byte limit (max_bytes)"
            return rec
        data = _read_exact(r.reader, min(declared, max_bytes + (1 << 20)))
        if len(data) < min(declared, max_bytes):
            rec.mode, rec.status = None, "error"
            rec.reason = f"truncated record: {len(data):,} of {declared:,} payload bytes present"
            return rec
        if "chunked" in transfer_encoding.lower():
            data = _dechunk(data)
        if content_encoding:
            data = _decode_content(data, content_encoding, max_bytes)
        if len(data) > max_bytes:
            rec.mode, rec.status = None, "error"
            rec.reason = f"InputTooLarge: payload is over the {max_bytes:,}-byte limit (max_bytes)"
            return rec
        if rec.mode == "html" and mime in _GENERIC_TYPES and not _sniff_html(data):
            rec.mode, rec.status = None, "skipped"
            rec.reason = f"not HTML: content type {mime or 'missing'} and the payload does not look like HTML"
            return rec
        rec.payload = data
        return rec
    except Exception as e:  # OSError from fastwarc, zlib/ValueError from decoding
        rec.mode, rec.payload, rec.status = None, None, "error"
        rec.reason = f"unreadable record: {type(e).__name__}: {e}"
        return rec
