"""Loaders for the labelled benchmark sets in ``shared/benchmarks``: one uniform `Page` per page.

Usage::

    from benchmarks.datasets import DATASETS, iter_pages

    for page in iter_pages("wcxb", limit=50):
        article = copydesk.extract(page.html, page.url, charset=page.charset)
        ...

Every loader yields `Page` records (see its docstring for the fields). The HTML
is the raw, still-encoded page as the crawler saw it (gunzipped; for the
CleanEval-style sets the ``<text ...>`` wrapper line is removed first and its
``encoding`` attribute becomes `Page.charset`). Truth fields are ``None`` when
the set does not label them, and ``""`` when the set labels them as absent
(e.g. an article with no author).

Data location (`benchmarks_dir()`): ``$COPYDESK_SHARED/benchmarks`` when the
variable is set (it names the shared folder), else ``../shared/benchmarks``
beside the repo root. `DatasetUnavailable` (a `FileNotFoundError`) is raised
when it is absent; tests turn that into a skip.

Dataset-specific decisions (also in docs/benchmarks.md):

- ``wcxb``: the dev split, 1,358 pages. Body = ``ground_truth.main_content``.
  Two ground-truth files (4802, 4893) have no ``main_content`` key: their
  `body` is None (skipped for body scores; snippets and metadata still count).
  19 pages have an empty ``main_content`` (SPAs): their truth is the empty text.
- ``l3s-gn1``: the extractor input is ``original/``; the body truth is the text
  of the ``x-nc-sel2`` (full text) spans of ``annotated/`` only, without the
  sel1 headline and sel3 supplemental text, because copydesk and the peers
  return the headline as a separate field and sel3 mixes captions with
  datelines and bylines. (So the numbers are not directly comparable with
  papers that score sel1+2+3.) The sel1 text is `Page.headline`, used as the
  title truth. Set `L3S_BODY_LABELS` to change this.
- ``cleaneval`` (dev then final) and ``cleanportaleval``: gold = the text after
  the ``URL:`` line with the ``<p>``/``<h>``/``<l>`` markers removed (each
  marker starts a new line) and HTML entities decoded. A CleanPortalEval gold of
  ``<!-- this page contains no article -->`` means an empty truth.
- ``dragnet``: the official test split (415 pages); body = the text before the
  ``!@#$%^&*()  COMMENTS`` separator (several files mistype the separator;
  any line containing ``^&*()`` and ``COMMENTS`` counts). The comments are in
  ``Page.extra["comments"]``.
- ``chinese``: body = ``cleaned/``; author (space/、 separated names) and date
  from ``author/`` and ``date/``; ``UNKNOWN`` (or the typo ``UNKNWON``) gives
  ``""``; an empty file or a value that is not a date gives None.
- ``htmltotext``: body = ``text/`` (note: keeps forum comments by design).
- ``trafilatura-eval``: snippets only (`body` is None); HTML from ``cache/``
  then ``eval/``; a record whose HTML is missing is skipped. Metadata truth
  from ``title``/``author``/``date`` when the record has the key.
"""

from __future__ import annotations

import gzip
import hashlib
import html as htmllib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "Page", "Dataset", "DATASETS", "DatasetUnavailable", "iter_pages", "benchmarks_dir",
    "stable_hash", "available", "strip_wrapper", "cleaneval_gold", "l3s_label_text", "loose_date", "L3S_BODY_LABELS",
]

REPO_ROOT = Path(__file__).resolve().parent.parent

L3S_BODY_LABELS: tuple[int, ...] = (2,)
"""Which ``x-nc-selN`` labels make up the L3S-GN1 body truth (2 = full text)."""


class DatasetUnavailable(FileNotFoundError):
    """The shared benchmark data (or one set's folder) is not on this machine."""


@dataclass(slots=True)
class Page:
    """One labelled page, the same shape for every set.

    - `dataset`, `id`: set name (a key of `DATASETS`) and the page's id within it
      (a file stem, or ``split/stem``).
    - `html`: the raw page bytes, still encoded (gunzipped, wrapper line removed).
    - `url`: the page URL when the set gives one, else None.
    - `charset`: the charset the set declares for the bytes (CleanEval-style
      ``encoding=`` attribute), like an HTTP header; None when undeclared.
    - `language`: the page language when the set fixes it (``en``, ``zh``...), else None.
    - `body`: the ground-truth main text, or None when the set has none for
      this page (snippet-only sets, WCXB pages without ``main_content``).
    - `with_`, `without`: snippets that must / must not appear in the body
      (trafilatura-eval and WCXB); empty lists elsewhere.
    - `title`, `author`, `date`: metadata truth (author as the set writes it,
      possibly several names in one string; date ``YYYY-MM-DD`` or a prefix of
      it). None = not labelled, "" = labelled as absent.
    - `page_type`: WCXB's page type (article, forum, product, ...), else None.
    - `headline`: L3S-GN1's sel1 headline text, else None.
    - `extra`: set-specific leftovers (e.g. dragnet ``comments``).
    """

    dataset: str
    id: str
    html: bytes
    url: str | None = None
    charset: str | None = None
    language: str | None = None
    body: str | None = None
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    date: str | None = None
    page_type: str | None = None
    headline: str | None = None
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- location


def benchmarks_dir() -> Path:
    """The ``shared/benchmarks`` folder.

    ``$COPYDESK_SHARED`` when set (and only it; it names the shared folder, though
    its ``benchmarks`` child itself is accepted too), else ``../shared/benchmarks``
    beside the repo root (where CI puts it), as tests/conftest.py looks it up.
    Raises `DatasetUnavailable` when the folder is not there.
    """
    env = os.environ.get("COPYDESK_SHARED")
    if env:
        candidates = [Path(env) / "benchmarks", Path(env)]
    else:
        candidates = [REPO_ROOT.parent / "shared" / "benchmarks"]
    for c in candidates:
        if (c / "README.md").is_file() or (c / "WCXB").is_dir():
            return c
    raise DatasetUnavailable(
        f"benchmark data not found in {' or '.join(map(str, candidates))}: "
        "put the shared folder at ../shared beside the repo or set COPYDESK_SHARED"
    )


def stable_hash(key: str) -> int:
    """A 64-bit hash of `key` that is the same on every run and machine (for sampling)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


# --------------------------------------------------------------------------- helpers


def _gunzip(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _read_text(path: Path) -> str:
    """A label file as text: UTF-8 (BOM dropped), else windows-1252."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


_WRAPPER = re.compile(rb"\A\s*<text\b([^>]*)>[ \t]*\r?\n?", re.IGNORECASE)
_ATTR = re.compile(rb'(\w+)\s*=\s*"([^"]*)"')


def strip_wrapper(data: bytes) -> tuple[bytes, dict[str, str]]:
    """Remove a CleanEval ``<text id=... title=... encoding=...>`` first line.

    Returns (html, attributes); attributes is empty when there is no wrapper.
    """
    m = _WRAPPER.match(data)
    if not m:
        return data, {}
    attrs = {k.decode("ascii").lower(): v.decode("utf-8", "replace") for k, v in _ATTR.findall(m.group(1))}
    return data[m.end():], attrs


def _declared(encoding: str | None) -> str | None:
    """The wrapper's encoding attribute as a charset label; None for unset/unknown."""
    if not encoding:
        return None
    e = encoding.strip().lower()
    if not e or e == "unset" or e.startswith("unknown"):
        return None
    return "utf-8" if e == "utf8" else e


_MARKER = re.compile(r"<[phlPHL]>")


def cleaneval_gold(text: str) -> str:
    """CleanEval gold text without the ``URL:`` line and the ``<p>/<h>/<l>`` markers."""
    lines = text.lstrip().split("\n")
    if lines and lines[0].startswith("URL:"):
        lines = lines[1:]
    text = "\n".join(lines)
    if text.strip() == "<!-- this page contains no article -->":
        return ""
    text = htmllib.unescape(_MARKER.sub("\n", text))
    out = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in out if line)


# --------------------------------------------------------------------------- Dataset


@dataclass(frozen=True)
class Dataset:
    """A labelled set: its folder under `benchmarks_dir()`, how to list ids and load one page.

    Call it (``DATASETS["wcxb"](limit=10)``) to iterate its pages; see `iter_pages`.
    """

    name: str
    folder: str
    description: str
    _ids: Callable[[Path], list[str]]
    _load: Callable[[Path, str], Page | None]
    has_body: bool = True

    def root(self) -> Path:
        """The set's folder; `DatasetUnavailable` if missing."""
        path = benchmarks_dir() / self.folder
        if not path.is_dir():
            raise DatasetUnavailable(f"{self.name}: {path} not found")
        return path

    def ids(self) -> list[str]:
        """All page ids, sorted."""
        return sorted(self._ids(self.root()))

    def load(self, page_id: str) -> Page | None:
        """The page with this id, or None when it must be skipped (e.g. missing HTML)."""
        return self._load(self.root(), page_id)

    def __call__(self, limit: int | None = None, *, order: str = "id", ids: list[str] | None = None) -> Iterator[Page]:
        return iter_pages(self.name, limit, order=order, ids=ids)


def iter_pages(name: str, limit: int | None = None, *, order: str = "id", ids: list[str] | None = None) -> Iterator[Page]:
    """Yield the `Page`s of set `name` (a key of `DATASETS`).

    - `limit`: at most this many pages (skipped records do not count).
    - `order`: ``"id"`` (sorted ids) or ``"hash"`` (sorted by `stable_hash` of
      ``name/id``: a deterministic pseudo-random sample when combined with `limit`,
      spread over all page types).
    - `ids`: only these ids (in the given order).

    Raises `KeyError` for an unknown set and `DatasetUnavailable` when its data is absent.
    """
    ds = DATASETS[name]
    if ids is None:
        ids = ds.ids()
        if order == "hash":
            ids = sorted(ids, key=lambda i: stable_hash(f"{name}/{i}"))
        elif order != "id":
            raise ValueError(f"order must be 'id' or 'hash', not {order!r}")
    n = 0
    for page_id in ids:
        if limit is not None and n >= limit:
            return
        page = ds.load(page_id)
        if page is None:
            continue
        n += 1
        yield page


def available() -> list[str]:
    """Names of the sets whose data is present on this machine."""
    out = []
    for name, ds in DATASETS.items():
        try:
            ds.root()
        except DatasetUnavailable:
            continue
        out.append(name)
    return out


# --------------------------------------------------------------------------- WCXB

_WCXB_META: dict[str, dict] = {}


def _wcxb_meta(root: Path) -> dict:
    key = str(root)
    if key not in _WCXB_META:
        _WCXB_META[key] = json.loads((root / "metadata.json").read_text("utf-8")).get("files", {})
    return _WCXB_META[key]


def _wcxb_ids(root: Path) -> list[str]:
    return [p.name[: -len(".json")] for p in (root / "dev" / "ground-truth").glob("*.json")]


def _wcxb_load(root: Path, page_id: str) -> Page | None:
    html_path = root / "dev" / "html" / f"{page_id}.html.gz"
    if not html_path.is_file():
        return None
    doc = json.loads((root / "dev" / "ground-truth" / f"{page_id}.json").read_text("utf-8"))
    gt = doc.get("ground_truth", {})
    meta = _wcxb_meta(root).get(page_id, {})
    page_type = meta.get("page_type") or doc.get("_internal", {}).get("page_type", {}).get("primary")
    body = gt.get("main_content")
    return Page(
        dataset="wcxb", id=page_id, html=_gunzip(html_path), url=doc.get("url"), language="en",
        body=body if isinstance(body, str) else None,
        with_=list(gt.get("with") or []), without=list(gt.get("without") or []),
        title=gt.get("title") or "", author=gt.get("author") or "", date=gt.get("publish_date") or "",
        page_type=page_type, extra={"domain": meta.get("domain"), "spa": meta.get("spa")},
    )


# --------------------------------------------------------------------------- L3S-GN1

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br center dd details dialog dir div dl dt fieldset figcaption figure "
    "footer form frame frameset h1 h2 h3 h4 h5 h6 header hr html iframe legend li main menu nav noframes ol p "
    "pre section summary table tbody td tfoot th thead title tr ul option select textarea".split()
)
_SKIP_TAGS = frozenset(("script", "style", "noscript", "head"))
_SEL = re.compile(r"\bx-nc-sel(\d)\b")
_L3S_URLS: dict[str, dict[str, str]] = {}


def l3s_label_text(annotated_html: str, labels: tuple[int, ...]) -> str:
    """The text of the L3S annotated page whose nearest ``x-nc-selN`` label is in `labels`.

    Text is walked in document order; block elements and unlabelled text end a
    line, inline whitespace between two labelled runs becomes a space, so the
    result keeps the page's paragraphs, one per line.
    """
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(annotated_html)
    except (lxml.etree.ParserError, ValueError):
        return ""
    parts: list[str] = []
    stack: list[int | None] = [None]
    skip = 0

    def emit(text: str | None, label: int | None) -> None:
        if not text:
            return
        if label in labels:
            parts.append(text)
        else:
            parts.append(" " if not text.strip() else "\n")

    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else None
        if event == "start":
            label = stack[-1]
            if tag is not None:
                m = _SEL.search(el.get("class") or "")
                if m:
                    label = int(m.group(1))
            stack.append(label)
            if tag is None:
                continue
            if tag.lower() in _SKIP_TAGS:
                skip += 1
                continue
            if skip:
                continue
            if tag.lower() in _BLOCK_TAGS:
                parts.append("\n")
            emit(el.text, label)
        else:
            stack.pop()
            if tag is not None and tag.lower() in _SKIP_TAGS:
                skip -= 1
            elif tag is not None and not skip and tag.lower() in _BLOCK_TAGS:
                parts.append("\n")
            if not skip:
                emit(el.tail, stack[-1])
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _l3s_ids(root: Path) -> list[str]:
    return [p.name[: -len(".html.gz")] for p in (root / "original").glob("*.html.gz")]


def _l3s_urls(root: Path) -> dict[str, str]:
    key = str(root)
    if key not in _L3S_URLS:
        urls = {}
        path = root / "url-mapping.txt"
        if path.is_file():
            for line in path.read_text("utf-8", errors="replace").splitlines():
                if "\t" in line:
                    urn, url = line.split("\t", 1)
                    urls[urn.strip().strip("<>").removeprefix("urn:uuid:")] = url.strip()
        _L3S_URLS[key] = urls
    return _L3S_URLS[key]


def _l3s_load(root: Path, page_id: str) -> Page | None:
    from copydesk.decode import decode

    original = root / "original" / f"{page_id}.html.gz"
    annotated = root / "annotated" / f"{page_id}.html.gz"
    if not original.is_file() or not annotated.is_file():
        return None
    ann, _ = decode(_gunzip(annotated))
    return Page(
        dataset="l3s-gn1", id=page_id, html=_gunzip(original), url=_l3s_urls(root).get(page_id), language="en",
        body=l3s_label_text(ann, L3S_BODY_LABELS),
        headline=" ".join(l3s_label_text(ann, (1,)).split()) or "",
    )


# --------------------------------------------------------------------------- CleanEval / CleanPortalEval


def _cleaneval_ids(root: Path) -> list[str]:
    out = []
    for split in ("dev", "final"):
        for p in (root / split / "input").glob("*.html.gz"):
            out.append(f"{split}/{p.name[: -len('.html.gz')]}")
    return out


def _cleaneval_format_page(dataset: str, page_id: str, html_path: Path, gold_path: Path) -> Page | None:
    if not html_path.is_file() or not gold_path.is_file():
        return None
    raw, attrs = strip_wrapper(_gunzip(html_path))
    gold_text = _read_text(gold_path)
    url = attrs.get("id")
    first = gold_text.lstrip().split("\n", 1)[0]
    if not url and first.startswith("URL:"):
        url = first[4:].strip()
    return Page(
        dataset=dataset, id=page_id, html=raw, url=url or None, charset=_declared(attrs.get("encoding")),
        language="en", body=cleaneval_gold(gold_text),
    )


def _cleaneval_load(root: Path, page_id: str) -> Page | None:
    split, _, stem = page_id.partition("/")
    return _cleaneval_format_page(
        "cleaneval", page_id, root / split / "input" / f"{stem}.html.gz", root / split / "GoldStandard" / f"{stem}.txt"
    )


def _cpe_ids(root: Path) -> list[str]:
    return [p.name[: -len(".html.gz")] for p in (root / "input").glob("*.html.gz")]


def _cpe_load(root: Path, page_id: str) -> Page | None:
    page = _cleaneval_format_page(
        "cleanportaleval", page_id, root / "input" / f"{page_id}.html.gz", root / "GoldStandard" / f"{page_id}.txt"
    )
    if page is not None:
        page.extra["site"] = page_id.rsplit("_", 1)[0]
    return page


# --------------------------------------------------------------------------- dragnet

_DRAGNET_SEP = re.compile(r"^[^\n]*\^&\*+\(\)[ \t]*COMMENTS[ \t]*$", re.MULTILINE)


def _dragnet_ids(root: Path) -> list[str]:
    test = root / "test.txt"
    if test.is_file():
        return test.read_text("utf-8").split()
    return [p.name[: -len(".html.gz")] for p in (root / "HTML").glob("*.html.gz")]


def _dragnet_load(root: Path, page_id: str) -> Page | None:
    html_path = root / "HTML" / f"{page_id}.html.gz"
    gold_path = root / "Corrected" / f"{page_id}.html.corrected.txt"
    if not html_path.is_file() or not gold_path.is_file():
        return None
    gold = _read_text(gold_path)
    m = _DRAGNET_SEP.search(gold)
    body, comments = (gold[: m.start()], gold[m.end():]) if m else (gold, "")
    return Page(
        dataset="dragnet", id=page_id, html=_gunzip(html_path), language="en", body=body.strip(),
        extra={"comments": comments.strip()},
    )


# --------------------------------------------------------------------------- Chinese

_UNKNOWN = {"UNKNOWN", "UNKNWON"}
_LOOSE_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:[ T].*)?\s*$")


def loose_date(value: str) -> str | None:
    """``2005-5-7 21:23:57`` -> ``2005-05-07``; ``1998-3`` -> ``1998-03``; ``2018`` -> ``2018``; else None."""
    m = _LOOSE_DATE.match(value or "")
    if not m:
        return None
    y, mo, d = m.groups()
    out = y
    if mo:
        out += f"-{int(mo):02d}"
        if d:
            out += f"-{int(d):02d}"
    return out


def _chinese_ids(root: Path) -> list[str]:
    return [p.name[: -len(".html.gz")] for p in (root / "original").glob("*.html.gz")]


def _chinese_field(path: Path) -> str | None:
    if not path.is_file():
        return None
    value = _read_text(path).strip()
    if not value:
        return None
    return "" if value in _UNKNOWN else value


def _chinese_load(root: Path, page_id: str) -> Page | None:
    html_path = root / "original" / f"{page_id}.html.gz"
    gold_path = root / "cleaned" / f"{page_id}.txt"
    if not html_path.is_file() or not gold_path.is_file():
        return None
    raw, attrs = strip_wrapper(_gunzip(html_path))
    author = _chinese_field(root / "author" / f"{page_id}.txt")
    date = _chinese_field(root / "date" / f"{page_id}.txt")
    if date:
        date = loose_date(date)  # a non-date (one file holds a name) becomes None
    return Page(
        dataset="chinese", id=page_id, html=raw, url=attrs.get("id") or None, charset=_declared(attrs.get("encoding")),
        language="zh", body=_read_text(gold_path).strip(), author=author, date=date,
    )


# --------------------------------------------------------------------------- htmltotext


def _h2t_ids(root: Path) -> list[str]:
    return [
        f"{p.parent.parent.name}/{p.name[: -len('.html.gz')]}" for p in root.glob("*/html/*.html.gz")
    ]


def _h2t_load(root: Path, page_id: str) -> Page | None:
    lang, _, stem = page_id.partition("/")
    html_path = root / lang / "html" / f"{stem}.html.gz"
    gold_path = root / lang / "text" / f"{stem}.txt"
    if not html_path.is_file() or not gold_path.is_file():
        return None
    return Page(
        dataset="htmltotext", id=page_id, html=_gunzip(html_path), language=lang, body=_read_text(gold_path).strip()
    )


# --------------------------------------------------------------------------- trafilatura-eval

_TRAF_DATA: dict[str, dict] = {}


def _traf_data(root: Path) -> dict:
    key = str(root)
    if key not in _TRAF_DATA:
        records = json.loads((root / "evaldata.json").read_text("utf-8"))
        _TRAF_DATA[key] = {rec["file"]: (url, rec) for url, rec in records.items()}
    return _TRAF_DATA[key]


def _traf_ids(root: Path) -> list[str]:
    return list(_traf_data(root))


def _traf_load(root: Path, page_id: str) -> Page | None:
    url, rec = _traf_data(root)[page_id]
    for sub in ("cache", "eval"):
        path = root / sub / f"{page_id}.gz"
        if path.is_file():
            break
    else:
        return None  # HTML withheld (README: one record has no HTML)
    author = rec.get("author")
    return Page(
        dataset="trafilatura-eval", id=page_id, html=_gunzip(path), url=url,
        with_=list(rec.get("with") or []), without=list(rec.get("without") or []),
        title=rec.get("title"), author=author, date=rec.get("date"),
        extra={"comments": list(rec.get("comments") or []), "source": sub},
    )


# --------------------------------------------------------------------------- registry

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset("wcxb", "WCXB", "WCXB dev split: 7 page types, full main_content + snippets + metadata", _wcxb_ids, _wcxb_load),
        Dataset("l3s-gn1", "L3S-GN1", "L3S-GN1 news (2008): sel2 full text, sel1 headline", _l3s_ids, _l3s_load),
        Dataset("cleaneval", "CleanEval", "CleanEval 2007 dev+final: general web pages", _cleaneval_ids, _cleaneval_load),
        Dataset("dragnet", "dragnet", "Dragnet test split (2012): article text before the comments", _dragnet_ids, _dragnet_load),
        Dataset("cleanportaleval", "CleanPortalEval", "CleanPortalEval: 4 news/blog portals", _cpe_ids, _cpe_load),
        Dataset("chinese", "chinese-web-content-extraction", "Chinese pages: body, author, date", _chinese_ids, _chinese_load),
        Dataset("htmltotext", "htmltotext-benchmark", "htmltotext: en/de/hr/zh, comments kept", _h2t_ids, _h2t_load),
        Dataset("trafilatura-eval", "trafilatura-eval", "trafilatura eval: with/without snippets, metadata", _traf_ids, _traf_load, has_body=False),
    )
}
