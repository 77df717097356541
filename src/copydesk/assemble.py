"""Stage 6, assemble: kept segments into the Article's ordered body, images and dateline."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from copydesk.article import Block, Image
from copydesk.options import Options
from copydesk.segment import Segment

# A news dateline: an upper-case place (or places joined by "/") opening the first
# paragraph, optionally with an agency in brackets, then a dash: "DALIAN/BEIJING --".
_DATELINE = re.compile(
    r"^((?:[A-Z][A-Z.'’\-]*(?:[ /][A-Z][A-Z.'’\-]*)*)(?:,\s+[A-Z][a-zA-Z.]+(?:\s[A-Z][a-zA-Z.]+)?)?)"
    r"(?:\s*\([A-Za-z ]{2,20}\))?\s*(?:--|—|–|-|:)\s+\S"
)


def find_dateline(text: str) -> str:
    """The dateline opening a paragraph ("DALIAN/BEIJING -- ..." gives "DALIAN/BEIJING"), or ""."""
    m = _DATELINE.match(text)
    if not m:
        return ""
    place = m.group(1).strip()
    letters = [c for c in place.split(",")[0] if c.isalpha()]
    if len(letters) < 3 or not all(c.isupper() for c in letters):
        return ""
    return place


REPEAT_MIN_CHARS = 30
REPEAT_SHARE = 0.25
"""Pages that render their article twice (a desktop and a mobile variant, a print
copy) would give it twice. When text blocks of at least `REPEAT_MIN_CHARS` that
repeat an earlier kept block word for word make up `REPEAT_SHARE` or more of the
kept text, the repeats are dropped (not on listings: their items share blurbs).
Below that share repeats are the page's own: API docs repeat a parameter's
description, a course outline comes back in its detail. Code blocks and figures
always stay."""


def _second_copies(segs: list[Segment]) -> set[int]:
    """Indexes of kept segments that repeat an earlier kept one, when such repeats are
    `REPEAT_SHARE` of the kept text (see there); else empty."""
    seen: set[tuple[str, str]] = set()
    repeats: list[int] = []
    total = repeated = 0
    for i, s in enumerate(segs):
        if not s.keep or s.kind in ("code", "figure"):
            continue
        total += len(s.text)
        if len(s.text) < REPEAT_MIN_CHARS:
            continue
        key = (s.kind, s.text)
        if key in seen:
            repeats.append(i)
            repeated += len(s.text)
        else:
            seen.add(key)
    return set(repeats) if repeats and repeated >= REPEAT_SHARE * total else set()


def _absolute(src: str, base: str | None) -> str:
    if base and src and not src.startswith(("http://", "https://", "data:")):
        try:
            return urljoin(base, src)
        except ValueError:
            return src
    return src


def assemble(segs: list[Segment], options: Options, base_url: str | None = None, drop_repeats: bool = True) -> tuple[tuple[Block, ...], tuple[Image, ...], str]:
    """(blocks, images, dateline) from classified segments, honouring the links/images/tables
    options. `drop_repeats`: drop a second rendering of the text (see `REPEAT_SHARE`);
    off for listings, whose items repeat blurbs by design."""
    blocks: list[Block] = []
    images: list[Image] = []
    drop = _second_copies(segs) if drop_repeats else set()
    for i, s in enumerate(segs):
        if not s.keep or i in drop:
            continue
        if s.kind == "figure":
            if not options.images:
                continue  # images off: the figure goes whole, caption and credit included
            if s.image is None:
                if s.text:
                    blocks.append(Block("paragraph", s.text))
                continue
            img = s.image
            img = Image(src=_absolute(img.src, base_url), alt=img.alt, caption=img.caption, credit=img.credit)
            images.append(img)
            blocks.append(Block("figure", img.caption, image=img))
            continue
        if s.kind == "table" and not options.tables:
            continue
        links = tuple((t, _absolute(h, base_url)) for t, h in s.links) if options.links else ()
        blocks.append(
            Block(s.kind, s.text, level=s.level, items=s.items, ordered=s.ordered, rows=s.rows, header=s.header, links=links)  # type: ignore[arg-type]
        )
    dateline = ""
    first_para = next((b for b in blocks if b.kind == "paragraph"), None)
    if first_para is not None:
        dateline = find_dateline(first_para.text)
    return tuple(blocks), tuple(images), dateline
