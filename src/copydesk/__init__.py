"""copydesk: recover the article from a web page, as its reader saw it.

    >>> import copydesk
    >>> article = copydesk.extract(open("page.html", "rb").read(), url="https://example.com/a")
    >>> article.title, article.text

See `extract` (HTML) and `Article` (the result).
"""

from __future__ import annotations

from copydesk.article import PAGE_TYPES, Article, Block, Image
from copydesk.errors import CopydeskError, ExtractionTimeout, InputTooLarge, InvalidInput
from copydesk.options import Options

__all__ = [
    "extract", "Article", "Block", "Image", "Options", "PAGE_TYPES",
    "CopydeskError", "ExtractionTimeout", "InputTooLarge", "InvalidInput", "__version__",
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
    `InvalidInput` for a non-bytes/str input or an unknown option; all are
    `CopydeskError`s.
    """
    from copydesk.pipeline import extract_html

    opts = Options.build(options, **kwargs)
    return extract_html(html, url, opts, declared_charset=charset)
