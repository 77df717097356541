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


def _absolute(src: str, base: str | None) -> str:
    if base and src and not src.startswith(("http://", "https://", "data:")):
        try:
            return urljoin(base, src)
        except ValueError:
            return src
    return src


def assemble(segs: list[Segment], options: Options, base_url: str | None = None) -> tuple[tuple[Block, ...], tuple[Image, ...], str]:
    """(blocks, images, dateline) from classified segments, honouring the links/images/tables options."""
    blocks: list[Block] = []
    images: list[Image] = []
    for s in segs:
        if not s.keep:
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
