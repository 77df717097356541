"""Text-mode benchmark: copydesk on flattened page text against C4's line rules.

One command (from the repo root):

    python benchmarks/text_bench.py            # all dev sets, writes docs/text-benchmark.md
    python benchmarks/text_bench.py --sets WCXB --limit 100 --no-write

Every labelled HTML page is flattened the way crawlers flatten pages (every
block, one a line, boilerplate included) by two flatteners:

- `resiliparse`: `resiliparse.extract.html2text.extract_plain_text(tree,
  main_content=False)` (list bullets and alt texts on, its defaults);
- `blocks`: `flatten_blocks` below, a selectolax walk that writes the `<title>`
  and then the text of every block element on a line of its own (inline
  elements joined, `<br>` a line break, script/style/noscript/template dropped;
  hidden elements and SVG titles kept, as in Common Crawl's WET text).

Then body F1 (4-token shingles, `copydesk.evaluate`) against the set's
ground-truth body for:

- `raw`: the flattened text as it is (no cleaning);
- `C4`: C4's cleaning (`c4_clean`, see there for the rules applied);
- `C4 lines`: C4's line rules only, without its page-level drops (curly
  bracket, "lorem ipsum", fewer than 3 sentences), which zero whole pages;
- `text`: `copydesk.extract_text(flattened, url)` (no title hint, no site profile);
- `text+site`: the same with a `SiteProfile` built from all flattened pages of
  the set (sites with several pages in the set benefit);
- `HTML`: `copydesk.extract(html, url)` on the original page: the ceiling.

Pages come from `benchmarks/datasets.py` (`iter_pages(name)`) when it exists;
otherwise WCXB is read directly (dev article pages only).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import copydesk
from copydesk.evaluate import aggregate, score_page, snippet_score

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the repo root holds the benchmarks package
    sys.path.insert(0, str(ROOT))
from benchmarks.datasets import DatasetUnavailable, benchmarks_dir  # noqa: E402
DOC = ROOT / "docs" / "text-benchmark.md"


# --------------------------------------------------------------------------- pages


@dataclass
class Page:
    """One labelled page: raw HTML bytes, the ground-truth body (None: snippets only), URL, snippets."""

    id: str
    html: bytes
    body: str | None
    url: str | None = None
    charset: str | None = None
    with_: tuple = ()
    without: tuple = ()


# (row label, datasets.py name, page filter). WCXB's acceptance row is its article pages.
SETS = (
    ("wcxb articles", "wcxb", lambda p: p.page_type == "article"),
    ("wcxb other types", "wcxb", lambda p: p.page_type != "article"),
    ("l3s-gn1", "l3s-gn1", None),
    ("cleaneval", "cleaneval", None),
    ("dragnet", "dragnet", None),
    ("cleanportaleval", "cleanportaleval", None),
    ("chinese", "chinese", None),
    ("htmltotext", "htmltotext", None),
    ("trafilatura-eval", "trafilatura-eval", None),
)


def _wcxb_articles(limit: int | None = None):
    base = benchmarks_dir() / "WCXB"
    meta = json.loads((base / "metadata.json").read_text())["files"]
    ids = sorted(k for k, v in meta.items() if v.get("split") == "dev" and v.get("page_type") == "article")
    for n, i in enumerate(ids):
        if limit is not None and n >= limit:
            return
        gt = json.loads((base / "dev" / "ground-truth" / f"{i}.json").read_text())
        html = gzip.open(base / "dev" / "html" / f"{i}.html.gz").read()
        yield Page(i, html, gt["ground_truth"].get("main_content") or "", gt.get("url"))


def iter_set(label: str, limit: int | None = None):
    """Pages of one row of `SETS`, via benchmarks/datasets.py (WCXB articles directly if it is missing)."""
    name, keep = next((n, k) for lab, n, k in SETS if lab == label)
    try:
        sys.path.insert(0, str(ROOT))
        from benchmarks.datasets import DatasetUnavailable, iter_pages
    except ImportError:
        if label != "wcxb articles":
            raise SystemExit("benchmarks/datasets.py is missing: only WCXB articles can be read")
        yield from _wcxb_articles(limit)
        return
    n = 0
    try:
        for p in iter_pages(name):
            if keep is not None and not keep(p):
                continue
            if p.body is None and not (p.with_ or p.without):
                continue
            if limit is not None and n >= limit:
                return
            n += 1
            yield Page(p.id, p.html, p.body, p.url, p.charset, tuple(p.with_), tuple(p.without))
    except DatasetUnavailable as e:
        raise SystemExit(str(e)) from None


# --------------------------------------------------------------------------- flatteners


def flatten_resiliparse(html: bytes, charset: str | None = None) -> str:
    """resiliparse's plain text of the whole page (main_content=False); `charset` as declared, else detected."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding
    from resiliparse.parse.html import HTMLTree

    s = bytes_to_str(html, charset or detect_encoding(html))
    return extract_plain_text(HTMLTree.parse(s), main_content=False)


_BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd details dialog div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hgroup hr li main nav ol p pre section summary table tbody thead tfoot tr td th ul caption legend option".split()
)
_SKIP_TAGS = frozenset("script style noscript template head".split())
_WS = re.compile(r"[ \t\f\v\u00a0]+")


def flatten_blocks(html: bytes, charset: str | None = None) -> str:
    """A crawler-style flattener: `<title>`, then every block's text on its own line.

    Inline text is joined as the browser joins it, block elements and `<br>`
    start a new line, table cells are blocks; nothing is judged or hidden (CSS,
    `hidden` and SVG `<title>`s are kept), as Common Crawl's WET text keeps them.
    """
    from selectolax.lexbor import LexborHTMLParser

    from copydesk.decode import decode

    text, _ = decode(html, charset)
    tree = LexborHTMLParser(text)
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = _WS.sub(" ", "".join(buf)).strip()
        buf.clear()
        if line:
            lines.append(line)

    title = tree.css_first("title")
    if title is not None:
        buf.append(title.text(deep=True))
        flush()
    root = tree.body or tree.root
    if root is None:
        return "\n".join(lines)
    stack = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""  # a node Lexbor gives no name (a processing instruction)
        if leaving:
            flush()
            continue
        if tag == "-text":
            buf.append((node.text_content or "").replace("\n", " "))
            continue
        if tag in _SKIP_TAGS or tag.startswith("#") or tag == "-comment":
            continue
        if tag == "br":
            flush()
            continue
        block = tag in _BLOCK_TAGS
        if block:
            flush()
            stack.append((node, True))
        children = []
        c = node.child
        while c is not None:
            children.append(c)
            c = c.next
        for c in reversed(children):
            stack.append((c, False))
    flush()
    return "\n".join(lines)


FLATTENERS = {"resiliparse": flatten_resiliparse, "blocks": flatten_blocks}


# --------------------------------------------------------------------------- C4

_C4_END = (".", "?", "!", '"', "\u201d")
_C4_POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")
_C4_CITATION = re.compile(r"\[\d*\]|\[edit\]|\[citation needed\]")
_SENTENCE = re.compile(r"[^.!?]+[.!?]+(?:[\"'\u201d\u2019)]+)?(?=\s|$)")


def c4_clean(text: str, page_rules: bool = True) -> str:
    """C4's cleaning (Raffel et al. 2020, section 2.2; TFDS `c4_utils.clean_page`).

    Line rules applied: strip the line; drop it unless it ends in terminal
    punctuation (".", "?", "!", a straight or closing curly double quote) and not
    in "..."; drop it with fewer than 5 words; drop it if a word is over 1,000
    characters; drop it if it contains "javascript"; drop it if it contains one of
    the policy phrases ("terms of use", "privacy policy", "cookie policy", "uses
    cookies", "use of cookies", "use cookies"); remove citation marks ("[1]",
    "[edit]", "[citation needed]").

    Page rules (when `page_rules`): drop the page if any line has "lorem ipsum" or
    a curly bracket "{"; drop it if fewer than 3 sentences remain (sentences
    counted with a punctuation regex, not NLTK's Punkt as in TFDS).

    Not applied: the bad-words page filter (its list is not a line rule and
    would zero pages arbitrarily here), three-sentence-span deduplication across
    pages, and langdetect's English filter.
    """
    kept = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        low = line.lower()
        if page_rules and ("lorem ipsum" in low or "{" in line):
            return ""
        if not line.endswith(_C4_END) or line.endswith("..."):
            continue
        words = line.split()
        if len(words) < 5 or any(len(w) > 1000 for w in words):
            continue
        if "javascript" in low or any(p in low for p in _C4_POLICY):
            continue
        kept.append(_C4_CITATION.sub("", line))
    out = "\n".join(kept)
    if page_rules and len(_SENTENCE.findall(out)) < 3:
        return ""
    return out


# --------------------------------------------------------------------------- runs


@dataclass
class Snip:
    """Snippet counts summed over a set (trafilatura-eval has no full body truth)."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _text_of(article) -> str:
    return article.text if article is not None else ""


ERRORS: dict[str, list[str]] = {}
"""Unexpected exceptions per method ("HTML", "text"): counted as empty extractions and listed."""


def _safe(fn, *args, method: str = "", page: str = "", **kwargs) -> str:
    try:
        return _text_of(fn(*args, **kwargs))
    except copydesk.CopydeskError:
        return ""
    except Exception as e:  # noqa: BLE001 - a crash is an empty extraction, reported below the table
        ERRORS.setdefault(method, []).append(f"{page}: {type(e).__name__}: {e}")
        return ""


def run_set(label: str, limit: int | None, timeout: float) -> dict:
    """Scores for every method and flattener on one row of `SETS`; see the module docstring."""
    pages = list(iter_set(label, limit))
    flat: dict[str, list[str]] = {f: [] for f in FLATTENERS}
    for p in pages:
        for f, fn in FLATTENERS.items():
            try:
                flat[f].append(fn(p.html, p.charset))
            except Exception:  # noqa: BLE001 - a flattener that fails yields an empty page
                flat[f].append("")
    outputs: dict[str, list[str]] = {}
    timing: dict[str, float] = {}
    t0 = time.perf_counter()
    outputs["HTML"] = [_safe(copydesk.extract, p.html, url=p.url, charset=p.charset, timeout=timeout, method="HTML", page=f"{label}/{p.id}")
                       for p in pages]
    timing["HTML"] = time.perf_counter() - t0
    for f in FLATTENERS:
        profile = copydesk.SiteProfile()
        for p, t in zip(pages, flat[f]):
            profile.add(t, p.url)
        outputs[f"{f}/raw"] = flat[f]
        outputs[f"{f}/C4"] = [c4_clean(t) for t in flat[f]]
        outputs[f"{f}/C4 lines"] = [c4_clean(t, page_rules=False) for t in flat[f]]
        t0 = time.perf_counter()
        outputs[f"{f}/text"] = [_safe(copydesk.extract_text, t, p.url, timeout=timeout, method="text", page=f"{label}/{p.id}")
                                for p, t in zip(pages, flat[f])]
        timing[f"{f}/text"] = time.perf_counter() - t0
        outputs[f"{f}/text+site"] = [_safe(copydesk.extract_text, t, p.url, timeout=timeout, site=profile, method="text", page=f"{label}/{p.id}")
                                     for p, t in zip(pages, flat[f])]
    scores: dict = {}
    snippets = all(p.body is None for p in pages) and bool(pages)
    for key, texts in outputs.items():
        if snippets:
            sn = Snip()
            for p, t in zip(pages, texts):
                tp, fn_, fp, tn = snippet_score(t, list(p.with_), list(p.without))
                sn.tp += tp
                sn.fn += fn_
                sn.fp += fp
                sn.tn += tn
            scores[key] = sn
        else:
            scores[key] = aggregate([score_page(t, p.body or "") for p, t in zip(pages, texts) if p.body is not None])
    return {"name": label, "pages": len(pages), "snippets": snippets, "scores": scores, "timing": timing}


METHODS = ("raw", "C4", "C4 lines", "text", "text+site")


def table(results: list[dict]) -> str:
    """A Markdown table: one row per set and flattener, F1 (precision/recall) per method."""
    head = "| set | pages | flattener | " + " | ".join(METHODS) + " | HTML (ceiling) | text − C4 lines | HTML − text |"
    sep = "|" + "---|" * (head.count("|") - 1)
    rows = [head, sep]
    for r in results:
        s = r["scores"]
        html = s["HTML"]
        name = r["name"] + (" (snippets)" if r["snippets"] else "")
        for f in FLATTENERS:
            cells = []
            for m in METHODS:
                x = s[f"{f}/{m}"]
                cells.append(f"{x.f1:.3f} ({x.precision:.2f}/{x.recall:.2f})")
            txt = s[f"{f}/text"].f1
            rows.append(
                f"| {name} | {r['pages']} | {f} | " + " | ".join(cells)
                + f" | {html.f1:.3f} ({html.precision:.2f}/{html.recall:.2f}) | {txt - s[f'{f}/C4 lines'].f1:+.3f} | {html.f1 - txt:+.3f} |"
            )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", nargs="*", default=None, help=f"rows to run (default: all): {', '.join(lab for lab, _, _ in SETS)}")
    ap.add_argument("--limit", type=int, default=None, help="pages per set (default: all)")
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds per page and method")
    ap.add_argument("--no-write", action="store_true", help="print only; do not rewrite docs/text-benchmark.md")
    args = ap.parse_args(argv)
    try:
        benchmarks_dir()
    except DatasetUnavailable as e:
        print(f"text_bench: {e}", file=sys.stderr)
        return 2  # nothing to measure; the committed report is left as it is
    labels = args.sets or [lab for lab, _, _ in SETS]
    results = []
    for label in labels:
        t0 = time.perf_counter()
        try:
            r = run_set(label, args.limit, args.timeout)
        except SystemExit as e:
            print(f"{label}: skipped ({e})", file=sys.stderr)
            continue
        results.append(r)
        t = r["timing"]
        print(f"{label}: {r['pages']} pages in {time.perf_counter() - t0:.0f} s "
              f"(HTML {1000 * t['HTML'] / max(1, r['pages']):.1f} ms/page, text {1000 * t['resiliparse/text'] / max(1, r['pages']):.1f} ms/page)",
              file=sys.stderr, flush=True)
    out = table(results)
    errors = "".join(f"\n\n{m} raised on {len(v)} page(s) (scored as empty): " + "; ".join(v[:5]) + (" ..." if len(v) > 5 else "")
                     for m, v in ERRORS.items())
    out += errors
    print(out)
    if not args.no_write:
        write_doc(results, out, args)
    return 0


def write_doc(results: list[dict], out: str, args) -> None:
    """Replace the results block of docs/text-benchmark.md (the prose around it is kept)."""
    cmd = "python benchmarks/text_bench.py" + (f" --sets {' '.join(repr(x) for x in args.sets)}" if args.sets else "") + (
        f" --limit {args.limit}" if args.limit else "")
    body = DOC.read_text() if DOC.exists() else ""
    marker_a, marker_b = "<!-- results:start -->", "<!-- results:end -->"
    timing = "; ".join(
        f"{r['name']}: HTML {1000 * r['timing']['HTML'] / max(1, r['pages']):.1f}, text {1000 * r['timing']['resiliparse/text'] / max(1, r['pages']):.1f}"
        for r in results)
    block = (f"{marker_a}\n\nCommand: `{cmd}` ({time.strftime('%Y-%m-%d')}, commit {_commit()})\n\n"
             "Body F1 (precision/recall): 4-token shingles, averaged per page (`copydesk.evaluate`); "
             "trafilatura-eval: snippet F1 (with/without snippets summed over pages).\n\n"
             f"{out}\n\nms per page (extraction only): {timing}.\n\n{marker_b}")
    if marker_a in body and marker_b in body:
        body = body[: body.index(marker_a)] + block + body[body.index(marker_b) + len(marker_b) :]
    else:
        body = "# Text-mode benchmark\n\n" + block + "\n"
    DOC.write_text(body)


def _commit() -> str:
    import subprocess

    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10).stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


if __name__ == "__main__":
    raise SystemExit(main())
