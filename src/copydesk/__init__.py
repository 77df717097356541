"""copydesk: recover the article from a web page, as its reader saw it.

    >>> import copydesk
    >>> article = copydesk.extract(open("page.html", "rb").read(), url="https://example.com/a")
    >>> article.title, article.text

See `extract` (HTML), `extract_text` (flattened page text) and `Article` (the result).
"""

from __future__ import annotations

from copydesk.article import PAGE_TYPES, Article, Block, Image
from copydesk.errors import CopydeskError, ExtractionError, ExtractionTimeout, InputTooLarge, InvalidInput
from copydesk.options import Options
from copydesk import render  # noqa: F401 - `copydesk.render.render(article, fmt)` after a plain `import copydesk`
from copydesk.textmode import SiteProfile

__all__ = [
    "extract", "extract_metadata", "extract_text", "SiteProfile", "Article", "Block", "Image", "Options", "PAGE_TYPES",
    "CopydeskError", "ExtractionError", "ExtractionTimeout", "InputTooLarge", "InvalidInput", "__version__",
]
__version__ = "0.1.0"


def extract(html: bytes | str, url: str | None = None, *, options: Options | None = None, charset: str | None = None, **kwargs) -> Article | None:
    """The article in an HTML page, or None when the page has no main content.

    - `html`: the page, as `bytes` (any charset: decoded by BOM, `charset`, `<meta>`
      charset, then detection; see `copydesk.decode`) or `str`.
    - `url`: where the page came from; resolves relative links and is the
      fallback for `Article.url`.
    - `options` / keyword options: see `Options` (`links`, `images`, `tables`,
      `timeout` in seconds, `max_bytes`, `language`).
    - `charset`: the charset the transport declared (HTTP `Content-Type`), if any.

    Raises `InputTooLarge` over `max_bytes`, `ExtractionTimeout` past `timeout`,
    `InvalidInput` for a non-bytes/str input, a non-str url or charset, or a bad
    option, and `ExtractionError` (with the cause chained) if anything else goes
    wrong on the page; all are `CopydeskError`s.
    """
    from copydesk.pipeline import extract_html

    return _run(extract_html, "extraction", html, url, options, charset, kwargs)


def extract_metadata(html: bytes | str, url: str | None = None, *, options: Options | None = None, charset: str | None = None, **kwargs):
    """The page's metadata without extracting its body: a `copydesk.metadata.Metadata`
    with `title`, `subtitle`, `description`, `section`, `authors` (list of str),
    `date_published` / `date_modified` (ISO 8601 str, "" when unknown), `site_name`,
    `language`, `url` (canonical), `image`, `paywalled` (True/False/None), `h1`.

    For pages with no main content (where `extract` returns None: SPAs, listings of
    nothing) this is the way to their title and dates, as `trafilatura.extract_metadata`
    is for trafilatura. Arguments, options (`max_bytes`, `timeout`) and errors as for
    `extract`."""
    from copydesk.pipeline import extract_page_metadata

    return _run(extract_page_metadata, "metadata extraction", html, url, options, charset, kwargs)


def _run(stage, what: str, html, url, options, charset, kwargs):
    """Validate the arguments, run `stage(html, url, options, declared_charset=...)` and
    turn any failure that is not a `CopydeskError` into an `ExtractionError` (cause
    chained): one bad page must not escape as a bare error."""
    opts = Options.build(options, **kwargs)
    check_args(url, charset)
    try:
        return stage(html, url, opts, declared_charset=charset)
    except CopydeskError:
        raise
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - see the docstring
        raise ExtractionError(f"{what} failed: {type(exc).__name__}: {exc}") from exc


def check_args(url, charset) -> None:
    """`InvalidInput` unless `url` and `charset` are None or str."""
    for name, value in (("url", url), ("charset", charset)):
        if value is not None and not isinstance(value, str):
            raise InvalidInput(f"{name} must be a str or None, not {type(value).__name__}")


def extract_text(text: bytes | str, url: str | None = None, *, options: Options | None = None, title: str | None = None,
                 site: SiteProfile | None = None, charset: str | None = None, **kwargs) -> Article | None:
    """The article in flattened page text (one block a line), or None when the text has no prose.

    Flattened text is what crawlers' HTML-to-text steps write (Common Crawl WET
    records, resiliparse, `lynx -dump`): every block of the page, boilerplate
    included, one a line. Text mode finds the densest run of prose lines, drops
    menus, share/subscribe prompts, paywall meters (with or without template
    placeholders), cookie notices, teasers and footers, and reads the headline,
    section label, standfirst, image captions and credits, byline and date from
    the lines before the body (see `copydesk.textmode`). Same `Article` as `extract`;
    `site_name`, `date_modified` stay "" and `paywalled` is True or None.

    - `text`: the page text, `bytes` (decoded as `copydesk.decode` does: BOM, UTF-8,
      detection) or `str`. Lines end with "\\n", "\\r\\n" or "\\r"; NULs are dropped and
      lone surrogates become U+FFFD.
    - `charset`: the charset the transport declared for `bytes` (HTTP Content-Type,
      WARC record), as in `extract`; ignored for `str`.
    - `url`: where the page came from: its slug is headline evidence, its host keys
      `site`, and it becomes `Article.url`.
    - `title`: the page's `<title>` (or WARC/feed title) when known: headline evidence.
    - `site`: a `SiteProfile` built from many pages of the same site: lines it has seen
      on many of them are dropped as boilerplate.
    - `options` / keyword options: see `Options` (`images`, `tables`, `timeout` in
      seconds, `max_bytes`, `language`; `links` has no effect: text has no links).

    Raises `InputTooLarge` over `max_bytes`, `ExtractionTimeout` past `timeout`,
    `InvalidInput` for a non-bytes/str input, binary or gzip-compressed bytes, a
    non-str url, charset or title, or a bad option, and `ExtractionError` (cause
    chained) for any other failure; all are `CopydeskError`s.
    """
    from copydesk.textmode import SiteProfile, extract_lines

    opts = Options.build(options, **kwargs)
    check_args(url, charset)
    if title is not None and not isinstance(title, str):
        raise InvalidInput(f"title must be a str or None, not {type(title).__name__}")
    if site is not None and not isinstance(site, SiteProfile):
        raise InvalidInput(f"site must be a copydesk.SiteProfile or None, not {type(site).__name__}")
    try:
        return extract_lines(text, url, opts, title=title, site=site, charset=charset)
    except CopydeskError:
        raise
    except (Exception, RecursionError) as exc:  # noqa: BLE001
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {exc}") from exc
