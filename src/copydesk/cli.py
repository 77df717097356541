"""The `copydesk` command line.

    copydesk extract page.html                    # one page, JSON on stdout
    copydesk extract pages/ -o out/ --format markdown
    copydesk extract https://example.com/story --format text
    copydesk extract --example --format markdown  # the page shipped in the package
    copydesk example                              # print that page's path

`main` is a click group: other modules add commands with `@main.command()`.

Exit codes of `copydesk extract`: 0 when every input was processed (a page
with no main content is a warning, not a failure); 1 when at least one input
failed (each failure is printed on stderr as `copydesk: error: PATH: reason`);
2 for bad usage (unknown option, bad value, no PATH) and when none of the
PATHs named exists.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import stat
import re
import sys
import urllib.parse
import zlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

import click

from copydesk import __version__
from copydesk.decode import GZIP_MAGIC

FORMATS = ("json", "text", "markdown", "html")
EXTENSIONS = {"json": ".json", "text": ".txt", "markdown": ".md", "html": ".html"}
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")
"""As `copydesk.batch.sources.HTML_SUFFIXES` (a test keeps them equal): not imported
from there, which would load pyarrow into every `copydesk extract`."""
TEXT_SUFFIXES = (".txt", ".txt.gz")
PROGRESS_ALWAYS_OVER = 20
"""With more inputs than this, the progress bar shows even when stderr is not a terminal."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="copydesk")
def main() -> None:
    """copydesk: recover the article (text and metadata) from web pages."""


def example_path() -> Path:
    """The path of the example page shipped in the package (`copydesk/examples/seed-article.html`)."""
    return Path(str(resources.files("copydesk") / "examples" / "seed-article.html"))


@main.command()
def example() -> None:
    """Print the path of the example page that ships with copydesk.

    Try: copydesk extract "$(copydesk example)" --format markdown
    """
    click.echo(str(example_path()))


class Seconds(click.FloatRange):
    """A time limit in seconds: finite, above 0 and at most a day (`MAX_SECONDS`)."""

    name = "seconds"

    def __init__(self) -> None:
        super().__init__(min=0, max=MAX_SECONDS, min_open=True)

    def convert(self, value, param, ctx):
        seconds = super().convert(value, param, ctx)
        if seconds != seconds:  # NaN passes every comparison
            self.fail(f"{value!r} is not a number of seconds.", param, ctx)
        return seconds


MAX_SECONDS = 86400


class ByteSize(click.ParamType):
    """A byte count: 20000000, 20M, 500k, 2G (powers of 1000) or 16Mi, 64Ki (powers of 1024)."""

    name = "SIZE"
    _UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "ki": 2**10, "mi": 2**20, "gi": 2**30}

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            n = value
        else:
            m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]i?)?[bB]?\s*", str(value))
            if not m:
                self.fail(f"{value!r} is not a size (examples: 5000000, 5M, 512k, 16Mi)", param, ctx)
            n = int(float(m.group(1)) * self._UNITS[(m.group(2) or "").lower()])
        if n <= 0:
            self.fail(f"{value!r} must be a positive number of bytes", param, ctx)
        return n


@dataclass
class Source:
    """One input page: a file, stdin or a URL, and where its output goes under -o."""

    label: str  # shown in messages: the path as given, the URL, or <stdin>
    kind: str  # "file", "stdin" or "url"
    location: str  # file path, URL, or "-"
    rel: PurePosixPath | None = None  # output path under -o, without extension


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("-o", "--output-dir", "output_dir", type=click.Path(file_okay=False, dir_okay=True, writable=True, path_type=Path),
              help="Write one file per input here, mirroring the inputs' relative paths (default: stdout).")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True, help="Output format.")
@click.option("--input-format", type=click.Choice(("html", "text")), default="html", show_default=True,
              help="html: web pages; text: flattened page text (one text block a line).")
@click.option("--timeout", type=Seconds(), default=None, metavar="SECONDS",
              help="Time limit per page in seconds, for extraction and for downloading a URL [defaults: 5 s extraction, 10 s download].")
@click.option("--max-bytes", type=ByteSize(), default=None,
              help="Largest input accepted, e.g. 5M or 20000000 [default: 20M]; bigger inputs fail.")
@click.option("--links/--no-links", default=False, show_default=True, help="Keep links in the body.")
@click.option("--images/--no-images", default=True, show_default=True, help="Keep figures (image, caption, credit).")
@click.option("--tables/--no-tables", default=True, show_default=True, help="Keep tables.")
@click.option("--example", "use_example", is_flag=True, help="Also process the example page shipped with copydesk.")
@click.option("--progress/--no-progress", default=None,
              help=f"Progress bar on stderr [default: when stderr is a terminal and there are several inputs, or over {PROGRESS_ALWAYS_OVER}].")
@click.pass_context
def extract(ctx, paths, output_dir, fmt, input_format, timeout, max_bytes, links, images, tables, use_example, progress):
    """Extract the article from each PATH.

    PATH is an HTML file, a directory (searched recursively for .html, .htm,
    .xhtml and the same with .gz; with --input-format text for .txt and
    .txt.gz instead), - for standard input, or an http(s) URL. Without a PATH,
    piped standard input is read.

    Without -o, results go to stdout (UTF-8): one input gives one document; with
    --format json and several PATHs or a directory, one JSON object per line
    (JSON Lines) with a "source" key naming the input. With -o DIR, each input
    gets its own file named after it with the format's extension.

    Exit status: 0 all inputs processed (a page without main content is only a
    warning), 1 some inputs failed, 2 bad usage or no PATH exists.
    """
    from copydesk.options import DEFAULT_MAX_BYTES

    if not paths and not use_example:
        if sys.stdin is None or sys.stdin.isatty():
            raise click.UsageError("give at least one PATH (a file, a directory, - for stdin, or a URL), or --example")
        paths = ("-",)  # "cat page.html | copydesk extract": read the pipe, as with "-"
    max_bytes = max_bytes or DEFAULT_MAX_BYTES
    extractor = _extractor(input_format)
    suffixes = TEXT_SUFFIXES if input_format == "text" else HTML_SUFFIXES

    reporter = _Reporter()
    sources, missing = _collect(paths, suffixes, reporter)
    if use_example:
        sources.append(Source(str(example_path()), "file", str(example_path()), PurePosixPath("seed-article")))
    if missing and missing == len(paths) and not sources:
        ctx.exit(2)  # nothing named exists: a usage error

    if output_dir is not None:
        _assign_outputs(sources, output_dir, EXTENSIONS[fmt])
    several = len(paths) + bool(use_example) > 1 or any(os.path.isdir(p) for p in paths)
    jsonl = fmt == "json" and several and output_dir is None
    opts = {"links": links, "images": images, "tables": tables, "max_bytes": max_bytes}
    if timeout is not None:
        opts["timeout"] = timeout

    show_bar = progress if progress is not None else (
        len(sources) > PROGRESS_ALWAYS_OVER or (len(sources) > 1 and sys.stderr.isatty()))
    stdout = _binary(sys.stdout)
    written = 0
    bar = None
    if show_bar:
        from tqdm import tqdm

        bar = tqdm(total=len(sources), file=sys.stderr, unit="page", dynamic_ncols=True, leave=True)
        reporter.bar = bar
    try:
        for src in sources:
            try:
                out = _process(src, extractor, opts, fmt, timeout, max_bytes, jsonl, input_format)
                if out is None:
                    reporter.warning(src.label, "no main content found")
                elif output_dir is not None:
                    target = output_dir / Path(*src.rel.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(out.encode("utf-8"))
                else:
                    if written and not jsonl:
                        stdout.write(b"\n")
                    stdout.write(out.encode("utf-8"))
                    stdout.flush()
                    written += 1
            except BrokenPipeError:
                raise
            except Exception as e:  # noqa: BLE001 - one bad page never stops the run
                reporter.error(src.label, _reason(e))
            finally:
                if bar is not None:
                    bar.update(1)
    except BrokenPipeError:  # e.g. `copydesk extract dir/ | head`
        _silence_stdout()
        ctx.exit(1)
    finally:
        if bar is not None:
            bar.close()
    ctx.exit(1 if reporter.failures else 0)


def _extractor(input_format: str):
    """The extraction function for the input format (`copydesk.extract` or `copydesk.extract_text`)."""
    import copydesk

    if input_format == "html":
        return copydesk.extract
    fn = getattr(copydesk, "extract_text", None)
    if fn is None:
        try:
            from copydesk.textmode import extract_text as fn
        except ModuleNotFoundError as e:
            if e.name != "copydesk.textmode":
                raise click.ClickException(f"--input-format text is unavailable: {e}") from None
            raise click.ClickException(
                "--input-format text needs copydesk.extract_text (copydesk/textmode.py), "
                "which this installation does not have") from None
        except ImportError as e:
            raise click.ClickException(f"--input-format text is unavailable: {e}") from None
    return fn


class _Reporter:
    """Prints `copydesk: error|warning: PATH: reason` on stderr, around the progress bar if any."""

    def __init__(self) -> None:
        self.failures = 0
        self.bar = None

    def _say(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def error(self, label: str, reason: str) -> None:
        self.failures += 1
        self._say(f"copydesk: error: {label}: {reason}")

    def warning(self, label: str, reason: str) -> None:
        self._say(f"copydesk: warning: {label}: {reason}")


def _collect(paths, suffixes, reporter: _Reporter) -> tuple[list[Source], int]:
    """Expand PATH arguments into sources (directories recursively, sorted); count the missing ones."""
    from copydesk.fetch import is_url

    sources: list[Source] = []
    seen: set[str] = set()
    missing = 0

    def add(src: Source, key: str) -> None:
        if key not in seen:
            seen.add(key)
            sources.append(src)

    for p in paths:
        if p == "-":
            add(Source("<stdin>", "stdin", "-", PurePosixPath("stdin")), "-")
        elif is_url(p):
            add(Source(p, "url", p, _url_rel(p)), p)
        elif os.path.isdir(p):
            found = 0

            def walk_error(err: OSError) -> None:
                reporter.error(err.filename or p, err.strerror or str(err))

            for dirpath, dirnames, filenames in os.walk(p, onerror=walk_error):
                dirnames.sort()
                for name in sorted(filenames):
                    if name.lower().endswith(suffixes):
                        full = os.path.join(dirpath, name)
                        found += 1
                        add(Source(full, "file", full), os.path.abspath(full))
            if not found:
                reporter.warning(p, f"no {', '.join(s for s in suffixes if s.count('.') == 1)} files in this directory")
        elif os.path.exists(p):
            add(Source(p, "file", p), os.path.abspath(p))
        else:
            reporter.error(p, "no such file or directory")
            missing += 1
    # Output paths of files mirror their paths relative to the deepest directory
    # holding all of them (a directory PATH counts as holding its files).
    anchors = []
    for p in paths:
        if os.path.isdir(p):
            anchors.append(os.path.abspath(p))
        elif os.path.exists(p) and p != "-":
            anchors.append(os.path.dirname(os.path.abspath(p)))
    if anchors:
        base = os.path.commonpath(anchors)
        for src in sources:
            if src.kind == "file" and src.rel is None:
                rel = os.path.relpath(os.path.abspath(src.location), base)
                src.rel = PurePosixPath(*Path(rel).parts)
    return sources, missing


def _strip_suffix(name: str) -> str:
    low = name.lower()
    for suffix in sorted(HTML_SUFFIXES + TEXT_SUFFIXES, key=len, reverse=True):
        if low.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _safe(segment: str) -> str:
    segment = re.sub(r"[^A-Za-z0-9._-]+", "_", segment).strip("._") or "_"
    return segment[:100]


def _url_rel(url: str) -> PurePosixPath:
    """An output path for a URL: host, then the path's segments, plus a short hash of any query."""
    parts = urllib.parse.urlsplit(url)
    segments = [_safe(s) for s in parts.path.split("/") if s not in ("", ".", "..")]
    if not segments or parts.path.endswith("/"):
        segments.append("index")
    if parts.query:
        segments[-1] = _strip_suffix(segments[-1]) + "-" + hashlib.sha1(parts.query.encode()).hexdigest()[:8]
    return PurePosixPath(_safe(parts.netloc or "host"), *segments)


def _assign_outputs(sources: list[Source], output_dir: Path, ext: str) -> None:
    """Give each source a distinct output path (relative to `output_dir`), never an input's own path."""
    taken = {os.path.normcase(os.path.abspath(s.location)).casefold() for s in sources if s.kind == "file"}
    out_abs = os.path.abspath(output_dir)

    def free(rel: PurePosixPath) -> bool:
        return os.path.normcase(os.path.join(out_abs, *rel.parts)).casefold() not in taken

    for src in sources:
        rel = src.rel or PurePosixPath(_safe(Path(src.location).name))
        name = rel.name
        candidates = [rel.with_name(_strip_suffix(name) + ext), rel.with_name(name + ext)]
        candidates += [rel.with_name(f"{_strip_suffix(name)}-{i}{ext}") for i in range(2, 10_000)]
        chosen = next(c for c in candidates if free(c))
        taken.add(os.path.normcase(os.path.join(out_abs, *chosen.parts)).casefold())
        src.rel = chosen


def _process(src: Source, extractor, opts: dict, fmt: str, timeout, max_bytes: int, jsonl: bool, input_format: str) -> str | None:
    """Read, extract and render one source (one JSON line when `jsonl`); None when the page has no main content."""
    from copydesk.decode import charset_from_content_type
    from copydesk.render import render

    url = charset = None
    if src.kind == "url":
        from copydesk.fetch import DEFAULT_FETCH_TIMEOUT, fetch

        data, content_type, url = fetch(src.location, timeout=timeout or DEFAULT_FETCH_TIMEOUT, max_bytes=max_bytes)
        mime = content_type.split(";")[0].strip().lower()
        if mime and not (mime.startswith("text/") or "html" in mime or "xml" in mime):
            raise _NotAPage(f"not a web page (Content-Type: {mime})")
        charset = charset_from_content_type(content_type)
    elif src.kind == "stdin":
        data = _read_capped(_binary(sys.stdin), max_bytes)
    else:
        data = _read_file(src.location, max_bytes)
    if data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:6] == b"WARC/1":
        # A WARC or WET archive holds many pages: read as one page it would give its
        # record headers as the article.
        raise _NotAPage("a WARC/WET archive, not a page: use `copydesk run` for archives")

    article = extractor(data, url, charset=charset, **opts)
    if article is None:
        return None
    if jsonl:
        return json.dumps({"source": src.label, **article.to_dict()}, ensure_ascii=False) + "\n"
    return render(article, fmt)


class _NotAPage(Exception):
    """A downloaded resource that is not HTML or text."""


def _binary(stream):
    """The byte stream under a text stream (sys.stdout.buffer), or the stream itself."""
    return getattr(stream, "buffer", stream)


def _read_capped(stream, max_bytes: int) -> bytes:
    """Up to `max_bytes` from a binary stream (gunzipped if gzip data); InputTooLarge past that."""
    from copydesk.errors import InputTooLarge

    head = stream.read(2)
    if head == GZIP_MAGIC:
        # The compressed stream is capped too: gzip never makes data much larger.
        packed = head + stream.read(max_bytes + 1 - len(head))
        if len(packed) > max_bytes:
            raise InputTooLarge(f"input is over the {max_bytes:,}-byte limit (max_bytes)")
        return _gunzip_capped(packed, max_bytes)
    data = head + stream.read(max_bytes + 1 - len(head))
    if len(data) > max_bytes:
        raise InputTooLarge(f"input is over the {max_bytes:,}-byte limit (max_bytes)")
    return data


def _read_file(path: str, max_bytes: int) -> bytes:
    """A file's bytes, gunzipped when it is gzip data; InputTooLarge past `max_bytes` (checked before reading)."""
    from copydesk.errors import InputTooLarge, InvalidInput

    if not stat.S_ISREG(os.stat(path).st_mode):
        raise InvalidInput("not a regular file (a FIFO or device would block or never end)")
    with open(path, "rb") as f:
        head = f.read(2)
        if head == GZIP_MAGIC:
            f.seek(0)
            return _gunzip_capped(f, max_bytes)
        size = os.fstat(f.fileno()).st_size
        if size > max_bytes:
            raise InputTooLarge(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (max_bytes)")
        data = head + f.read(max_bytes + 1 - len(head))
    if len(data) > max_bytes:
        raise InputTooLarge(f"file is over the {max_bytes:,}-byte limit (max_bytes)")
    return data


def _gunzip_capped(source, max_bytes: int) -> bytes:
    """Decompress gzip data (bytes or a binary file), stopping past `max_bytes` of output."""
    import io

    from copydesk.errors import InputTooLarge, InvalidInput

    fileobj = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with gzip.GzipFile(fileobj=fileobj, mode="rb") as gz:
            data = gz.read(max_bytes + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise InvalidInput(f"corrupt gzip data: {e or type(e).__name__}") from None
    if len(data) > max_bytes:
        raise InputTooLarge(f"decompressed page is over the {max_bytes:,}-byte limit (max_bytes)")
    return data


def _reason(e: BaseException) -> str:
    """A one-line reason for a failed input."""
    from copydesk.errors import CopydeskError

    if isinstance(e, (CopydeskError, _NotAPage)):
        return str(e) or type(e).__name__
    if isinstance(e, OSError):
        return e.strerror or str(e) or type(e).__name__
    return f"internal error ({type(e).__name__}: {e}); please report this page"


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so Python's exit flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@main.command("run", context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
              add_help_option=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def run(args) -> None:
    """Batch: WARC/WET files or HTML folders to Parquet/JSONL (copydesk run --help; docs/batch.md)."""
    from copydesk.batch.command import run_command

    run_command.main(list(args), prog_name="copydesk run")


if __name__ == "__main__":  # pragma: no cover
    main()
