"""The one-page pipeline: decode → parse → (metadata) → prune → segment → classify → assemble."""

from __future__ import annotations

from copydesk.article import Article
from copydesk.assemble import assemble
from copydesk.classify import confidence, run_passes, use_region
from copydesk.decode import GZIP_MAGIC, decode_page, looks_binary, repair_mojibake
from copydesk.errors import InputTooLarge, InvalidInput
from copydesk.language import identify_language
from copydesk.metadata import Metadata, read_metadata, read_page
from copydesk.options import Deadline, Options
from copydesk.pagetype import has_article_schema, is_home_page, is_product, is_thread, page_type, reads_as_region
from copydesk.parse import parse
from copydesk.prune import prune
from copydesk.segment import segment_page


def _safe(text: str) -> str:
    """Text that encodes as UTF-8: lone surrogates (from structured data or a caller's
    str) become "?" so that writing the Article as JSON or Parquet cannot fail."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def _opening(blocks, chars: int) -> str:
    """The first `chars` or so characters of the body text (for language identification)."""
    out, n = [], 0
    for b in blocks:
        out.append(b.text)
        n += len(b.text) + 1
        if n >= chars:
            break
    return "\n".join(out)


def decode_input(data: bytes, options: Options, declared_charset: str | None, what: str) -> tuple[str, bool]:
    """(text, exact) of input bytes: `decode.decode_page` (`exact`: the text is the
    bytes' own UTF-8) after the checks every byte input passes, HTML or flattened text.
    `what` names the expected input in the errors. Raises `InputTooLarge` over
    `options.max_bytes`; `InvalidInput` for gzip-compressed data (it decodes to
    control-free mojibake often enough to pass for text) or binary data
    (`decode.looks_binary`)."""
    if len(data) > options.max_bytes:
        raise InputTooLarge(f"input is {len(data):,} bytes, over the {options.max_bytes:,}-byte limit (max_bytes)")
    if data[:2] == GZIP_MAGIC:
        raise InvalidInput(f"input is gzip-compressed data, not {what}: decompress it first")
    text, encoding, exact = decode_page(data, declared_charset)
    if looks_binary(data, encoding):
        raise InvalidInput(f"input is binary data, not {what} (control bytes; see copydesk.decode.looks_binary)")
    return text, exact


def check_size(text: str, options: Options) -> None:
    """Raise `InputTooLarge` when `text` is over `options.max_bytes` as UTF-8 (len(str)
    <= UTF-8 length <= 4 * len(str): checked cheaply before encoding)."""
    if len(text) > options.max_bytes or (len(text) * 4 > options.max_bytes and len(text.encode("utf-8", "surrogatepass")) > options.max_bytes):
        raise InputTooLarge(f"input is over the {options.max_bytes:,}-byte limit (max_bytes)")


def page_input(html: bytes | str, options: Options, declared_charset: str | None = None,
               deadline: Deadline | None = None) -> tuple[str, bytes | None]:
    """(text, utf8): the page as a str, after the size check, decoding and mojibake
    repair (see `decode`; the repair checks `deadline`), and the page's bytes when the
    text is exactly their UTF-8 decoding (`decode.decode_page`; nothing repaired), for
    `parse` (else None)."""
    if isinstance(html, (bytes, bytearray, memoryview)):
        data = bytes(html)
        text, exact = decode_input(data, options, declared_charset, "an HTML page")
        repaired = repair_mojibake(text, deadline=deadline)
        return repaired, (data if exact and repaired is text else None)
    if isinstance(html, str):
        check_size(html, options)
        if html.startswith("\ufeff"):
            html = html[1:]  # a byte order mark the decoding kept (Lexbor would read it as text before the doctype)
        return repair_mojibake(html.replace("\x00", "") if "\x00" in html else html, deadline=deadline), None
    raise InvalidInput(f"html must be bytes or str, not {type(html).__name__}")


def extract_page_metadata(html: bytes | str, url: str | None, options: Options, declared_charset: str | None = None) -> Metadata:
    """The pipeline behind `copydesk.extract_metadata`: decode, parse, read metadata."""
    deadline = Deadline(options.timeout)
    text, utf8 = page_input(html, options, declared_charset, deadline)
    deadline.check()
    md = read_metadata(parse(text, deadline, utf8), url, deadline)
    deadline.check()
    for name in ("title", "subtitle", "description", "section", "site_name", "language", "url", "image", "h1"):
        setattr(md, name, _safe(getattr(md, name)))
    md.authors = [_safe(a) for a in md.authors]
    md.url = md.url or (url or "")
    return md


THREAD_MIN_COMMENTS = 1000
"""Characters of comment-named text (`prune`'s count) that make a page with no article
outside them a discussion thread: its comments are read as its content. (A short post
above its comments, a sentence under a photo, is still its article: dragnet.)"""


def _body(tree, md: Metadata, url: str | None, options: Options, deadline: Deadline, thread: bool):
    """Segment, classify and assemble a pruned tree: (blocks, images, dateline, page
    type, confidence)."""
    segs, names = segment_page(tree, keep_links=options.links, deadline=deadline)
    deadline.check()
    passes = run_passes(segs, title=md.title or md.h1, subtitle=md.subtitle, section=md.section, names=names,
                        comments_are_content=thread)
    ptype = page_type(md, segs, passes, url)
    region = reads_as_region(ptype, segs, passes, home=is_home_page(url or md.url) and not has_article_schema(md))
    if region:
        use_region(segs, passes)
    blocks, images, dateline = assemble(segs, options, base_url=md.url or url, drop_repeats=ptype not in ("listing", "collection"))
    return blocks, images, dateline, ptype, confidence(segs, passes.a_share, region=region)


def extract_html(html: bytes | str, url: str | None, options: Options, declared_charset: str | None = None) -> Article | None:
    """The pipeline behind `copydesk.extract` (see there)."""
    deadline = Deadline(options.timeout)
    text, utf8 = page_input(html, options, declared_charset, deadline)
    deadline.check()
    tree = parse(text, deadline, utf8)
    deadline.check()
    md, page = read_page(tree, url, deadline)
    deadline.check()
    thread = is_thread(md, url)
    comment_chars = prune(tree, deadline, product=is_product(md), thread=thread, page=page)  # read_page stripped the tree
    deadline.check()
    found = _body(tree, md, url, options, deadline, thread)
    if not found[0] and not thread and comment_chars >= THREAD_MIN_COMMENTS:
        # No article outside its comments: a discussion page (an aggregator's comment
        # thread under a link) that neither its metadata nor its URL said was one.
        tree = parse(text, deadline, utf8)
        prune(tree, deadline, product=is_product(md), thread=True, comments=True)
        deadline.check()
        found = _body(tree, md, url, options, deadline, True)
    blocks, images, dateline, ptype, conf = found
    if not blocks:
        return None
    language = options.language or md.language or identify_language(_opening(blocks, 2000))
    deadline.check()
    return Article(
        title=_safe(md.title),
        subtitle=_safe(md.subtitle),
        section=_safe(md.section),
        authors=tuple(_safe(a) for a in md.authors),
        dateline=dateline,
        date_published=md.date_published,
        date_modified=md.date_modified,
        site_name=_safe(md.site_name),
        language=_safe(language),
        url=_safe(md.url or (url or "")),
        images=images if options.images else (),
        paywalled=md.paywalled,
        page_type=ptype,
        confidence=conf,
        blocks=blocks,
    )
