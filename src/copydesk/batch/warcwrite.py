"""Write small WARC files: for tests, benchmarks and examples (not a general WARC library).

Records are built by hand as WARC/1.0 with the mandatory headers (WARC-Type,
WARC-Record-ID, WARC-Date, Content-Length) plus WARC-Target-URI and
Content-Type, and each is compressed as its own gzip member (as Common Crawl
does), or written plain, or as one LZ4 frame per record.

    from copydesk.batch.warcwrite import response_record, write_warc
    write_warc("x.warc.gz", [response_record("https://e.com/a", b"<html>...")])
"""

from __future__ import annotations

import gzip
import uuid
from datetime import datetime, timezone
from typing import Iterable


def _uuid_urn(seed: str | None = None) -> str:
    u = uuid.uuid5(uuid.NAMESPACE_URL, seed) if seed is not None else uuid.uuid4()
    return f"<urn:uuid:{u}>"


def _date(date: datetime | str | None) -> str:
    if isinstance(date, str):
        return date
    d = date or datetime(2024, 5, 18, 1, 58, 10, tzinfo=timezone.utc)
    return d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def warc_record(warc_type: str, block: bytes, *, url: str | None = None, content_type: str | None = None,
                record_id: str | None = None, date: datetime | str | None = None,
                extra: Iterable[tuple[str, str]] = ()) -> bytes:
    """One uncompressed WARC/1.0 record (header block, `block`, CRLF CRLF).
    `record_id` defaults to a UUID URN derived from the URL and type when a URL is given."""
    rid = record_id or _uuid_urn(f"{warc_type} {url}" if url else None)
    lines = [b"WARC/1.0", f"WARC-Type: {warc_type}".encode(), f"WARC-Record-ID: {rid}".encode(),
             f"WARC-Date: {_date(date)}".encode()]
    if url is not None:
        lines.append(b"WARC-Target-URI: " + url.encode("utf-8"))
    if content_type:
        lines.append(f"Content-Type: {content_type}".encode())
    for k, v in extra:
        lines.append(f"{k}: {v}".encode("utf-8"))
    lines.append(f"Content-Length: {len(block)}".encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + block + b"\r\n\r\n"


def response_record(url: str, body: bytes, *, content_type: str | None = "text/html; charset=utf-8",
                    status: int = 200, record_id: str | None = None, date: datetime | str | None = None,
                    http_headers: Iterable[tuple[str, str]] = ()) -> bytes:
    """A `response` record: an HTTP/1.1 response with `status`, `content_type` and `body`."""
    head = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'Status'}"]
    if content_type is not None:
        head.append(f"Content-Type: {content_type}")
    head.extend(f"{k}: {v}" for k, v in http_headers)
    head.append(f"Content-Length: {len(body)}")
    block = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
    return warc_record("response", block, url=url, content_type="application/http; msgtype=response",
                       record_id=record_id, date=date)


def request_record(url: str, *, date: datetime | str | None = None) -> bytes:
    """A `request` record for `url` (a GET)."""
    host = url.split("/")[2] if "//" in url else "example.com"
    block = f"GET / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: copydesk-test\r\n\r\n".encode()
    return warc_record("request", block, url=url, content_type="application/http; msgtype=request", date=date)


def resource_record(url: str, body: bytes, *, content_type: str = "text/html; charset=utf-8",
                    record_id: str | None = None) -> bytes:
    """A `resource` record: the page bytes with their MIME type in the WARC Content-Type."""
    return warc_record("resource", body, url=url, content_type=content_type, record_id=record_id)


def conversion_record(url: str, text: str, *, refers_to: str | None = None, record_id: str | None = None) -> bytes:
    """A WET-style `conversion` record (flattened UTF-8 text)."""
    extra = [("WARC-Refers-To", refers_to)] if refers_to else []
    return warc_record("conversion", text.encode("utf-8"), url=url, content_type="text/plain",
                       record_id=record_id, extra=extra)


def warcinfo_record() -> bytes:
    """A `warcinfo` record."""
    return warc_record("warcinfo", b"software: copydesk-test\r\nformat: WARC File Format 1.0\r\n",
                       content_type="application/warc-fields")


def compress_record(record: bytes, compression: str = "gzip") -> bytes:
    """One record as it is stored: a gzip member, an LZ4 frame, or as is ("none")."""
    if compression == "gzip":
        return gzip.compress(record, compresslevel=6, mtime=0)
    if compression == "none":
        return record
    if compression == "lz4":
        import io

        from fastwarc.stream_io import Lz4Writer

        buf = io.BytesIO()
        w = Lz4Writer(buf)
        w.write(record)
        w.close()
        return buf.getvalue()
    raise ValueError(f"unknown compression {compression!r}")


def write_warc(path, records: Iterable[bytes], compression: str = "gzip") -> int:
    """Write `records` (uncompressed record bytes, or already stored bytes given as
    `("raw", data)` tuples) to `path`; returns the number of entries written."""
    n = 0
    with open(path, "wb") as f:
        for r in records:
            if isinstance(r, tuple) and r[0] == "raw":
                f.write(r[1])
            else:
                f.write(compress_record(r, compression))
            n += 1
    return n


_WORDS = ("harbour council budget river station school report market winter festival bridge museum "
          "farmers railway election hospital library weather coast village engineers teachers minister "
          "visitors students tourism orchestra parliament volunteers planning transport").split()


def article_html(i: int, *, paragraphs: int = 6, title: str | None = None, author: str = "Ana Rivera",
                 charset: str = "utf-8", extra_text: str = "") -> bytes:
    """A synthetic news page (navigation, headline, byline, paragraphs, footer),
    different for each `i`, encoded in `charset` (with no `<meta charset>`, so the
    transport's charset matters). For tests and examples."""
    import random

    rnd = random.Random(i)
    title = title or f"Story {i}: the {rnd.choice(_WORDS)} and the {rnd.choice(_WORDS)}"
    paras = []
    for p in range(paragraphs):
        words = [rnd.choice(_WORDS) for _ in range(40 + rnd.randrange(30))]
        words[0] = words[0].capitalize()
        paras.append(f"<p>{' '.join(words)}, said the {rnd.choice(_WORDS)} officer in paragraph {p} of story {i}.</p>")
    if extra_text:
        paras.append(f"<p>{extra_text}</p>")
    html = f"""<!DOCTYPE html>
<html lang="en"><head><title>{title} | Daily Test</title></head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/about">About</a></nav>
<article>
<h1>{title}</h1>
<p class="byline">By {author}</p>
{chr(10).join(paras)}
</article>
<footer><a href="/privacy">Privacy</a> <a href="/contact">Contact</a> &copy; Daily Test</footer>
</body></html>"""
    return html.encode(charset, "xmlcharrefreplace")
