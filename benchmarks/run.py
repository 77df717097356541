#!/usr/bin/env python
"""Benchmark copydesk against its peers on every labelled set, in one process and one run.

    python benchmarks/run.py [--sets wcxb l3s-gn1 ...] [--peers copydesk trafilatura ...]
                             [--limit N] [--out docs/benchmarks.md] [--pages-out FILE.jsonl]

Defaults: every set present under shared/benchmarks, every peer, all pages, and
docs/benchmarks.md rewritten as a whole (``--out -`` writes nothing). With
``--limit N`` each set contributes N pages chosen by a stable hash of their id
(a deterministic sample across page types), so small runs are comparable.

Per page, every peer runs in turn (the starting peer rotates from page to
page), so machine load hits all of them alike. Only the body extraction call
is timed (copydesk's includes its metadata and decoding, since `extract` does
it all; trafilatura's `extract_metadata` is timed apart and reported on its
own). A peer that raises, or runs past ``--timeout`` seconds (SIGALRM), counts
as an empty extraction and is counted in the ``err`` column.

Measures (see docs/benchmarks.md for the definitions): body precision, recall
and F1 over 4-token shingles (`copydesk.evaluate`), snippet precision/recall/F1
(trafilatura-eval, also WCXB), exact-match share, title/authors/date accuracy,
median and p95 ms per page.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.datasets import DATASETS, DatasetUnavailable, available, benchmarks_dir, iter_pages  # noqa: E402
from benchmarks.metrics import authors_match, date_match, exact_match, title_match  # noqa: E402
from benchmarks.peers import PEERS, PeerTimeout, decode_for_peers, guess_language, peer_versions, time_limit  # noqa: E402
from copydesk.evaluate import PageScore, aggregate, score_page, snippet_score  # noqa: E402

FAIL_F1 = 0.1
"""A page where every extractor's body F1 is below this is listed as 'hard'."""


@dataclass
class Result:
    """One peer on one page."""

    dataset: str
    id: str
    peer: str
    page_type: str | None
    ms: float
    status: str  # ok | error | timeout
    empty: bool
    precision: float | None = None
    recall: float | None = None
    truth_empty: bool | None = None
    snippets: tuple[int, int, int, int] | None = None  # tp, fn, fp, tn
    exact: bool | None = None
    title_ok: bool | None = None
    authors_ok: bool | None = None
    date_ok: bool | None = None
    meta_ms: float | None = None
    error: str = ""

    @property
    def f1(self) -> float | None:
        """Body F1 of this page, None when the page has no body truth."""
        if self.precision is None:
            return None
        return PageScore(self.precision, self.recall).f1


def run_page(page, peers: list[str], index: int, timeout: float | None) -> list[Result]:
    """Run every peer on one page (order rotated by `index`) and score them."""
    decoded = None
    if any(PEERS[p].__class__.__name__ != "Copydesk" for p in peers):
        decoded = decode_for_peers(page.html, page.charset)
    language = page.language
    if language is None:
        language = guess_language(decoded if decoded is not None else decode_for_peers(page.html, page.charset))
    k = index % len(peers)
    order = peers[k:] + peers[:k]
    out = []
    for name in order:
        peer = PEERS[name]
        prepared = (page.html, page.charset) if name == "copydesk" else decoded
        status, err, state, text = "ok", "", None, ""
        t0 = time.perf_counter()
        try:
            with time_limit(timeout):
                text, state = peer.body(prepared, page.url, language)
        except PeerTimeout as e:
            status, err = "timeout", str(e)
        except Exception as e:  # noqa: BLE001 - any peer failure is an empty extraction
            status, err = "error", f"{type(e).__name__}: {e}"[:200]
        ms = (time.perf_counter() - t0) * 1000
        text = text or ""
        title, authors, date, meta_ms = "", [], "", None
        if status == "ok":
            t1 = time.perf_counter()
            try:
                with time_limit(timeout):
                    title, authors, date = peer.metadata(prepared, page.url, state)
            except Exception:  # noqa: BLE001 - PeerTimeout included: metadata is best effort
                title, authors, date = "", [], ""
            if name == "trafilatura":
                meta_ms = (time.perf_counter() - t1) * 1000
        r = Result(page.dataset, page.id, name, page.page_type, ms, status, not text.strip(), meta_ms=meta_ms, error=err)
        if page.body is not None:
            s = score_page(text, page.body)
            r.precision, r.recall = s.precision, s.recall
            r.exact = exact_match(text, page.body)
            r.truth_empty = not page.body.strip()
        if page.with_ or page.without:
            r.snippets = snippet_score(text, page.with_, page.without)
        title_truth = page.title if page.title is not None else page.headline
        if title_truth and "title" in peer.provides:
            r.title_ok = title_match(title, title_truth)
        if page.author and "authors" in peer.provides:
            r.authors_ok = authors_match(authors, page.author, whitespace=page.dataset == "chinese")
        if page.date and "date" in peer.provides:
            r.date_ok = date_match(date, page.date)
        out.append(r)
    return sorted(out, key=lambda r: peers.index(r.peer))


# --------------------------------------------------------------------------- aggregation


@dataclass
class Row:
    """Aggregated scores of one peer on one (sub)set."""

    peer: str
    pages: int = 0
    body_pages: int = 0
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    snip_p: float | None = None
    snip_r: float | None = None
    snip_f1: float | None = None
    exact: float | None = None
    title: tuple[float, int] | None = None
    authors: tuple[float, int] | None = None
    date: tuple[float, int] | None = None
    median_ms: float = 0.0
    p95_ms: float = 0.0
    errors: int = 0
    empty: int = 0
    meta_median_ms: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def main_f1(self) -> float | None:
        """Body F1, or snippet F1 for a snippet-only set."""
        return self.f1 if self.f1 is not None else self.snip_f1


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    v = sorted(values)
    pos = (len(v) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def _share(flags: list[bool | None]) -> tuple[float, int] | None:
    vals = [f for f in flags if f is not None]
    return (sum(vals) / len(vals), len(vals)) if vals else None


def aggregate_rows(results: list[Result], peer: str) -> Row:
    """Aggregate one peer's page results (see the module docstring)."""
    rs = [r for r in results if r.peer == peer]
    row = Row(peer, pages=len(rs))
    if not rs:
        return row
    body = [r for r in rs if r.precision is not None]
    if body:
        agg = aggregate([PageScore(r.precision, r.recall) for r in body])
        row.body_pages, row.precision, row.recall, row.f1 = agg.pages, agg.precision, agg.recall, agg.f1
        row.exact = sum(bool(r.exact) for r in body) / len(body)
    snips = [r.snippets for r in rs if r.snippets is not None]
    if snips:
        tp, fn, fp, tn = (sum(s[i] for s in snips) for i in range(4))
        row.snip_p = tp / (tp + fp) if tp + fp else 0.0
        row.snip_r = tp / (tp + fn) if tp + fn else 0.0
        row.snip_f1 = 2 * row.snip_p * row.snip_r / (row.snip_p + row.snip_r) if row.snip_p + row.snip_r else 0.0
        row.extra["snip_acc"] = (tp + tn) / (tp + fn + fp + tn) if tp + fn + fp + tn else 0.0
    row.title = _share([r.title_ok for r in rs])
    row.authors = _share([r.authors_ok for r in rs])
    row.date = _share([r.date_ok for r in rs])
    ms = [r.ms for r in rs]
    row.median_ms, row.p95_ms = statistics.median(ms), percentile(ms, 0.95)
    row.errors = sum(r.status != "ok" for r in rs)
    row.empty = sum(r.empty for r in rs)
    meta = [r.meta_ms for r in rs if r.meta_ms is not None]
    if meta:
        row.meta_median_ms = statistics.median(meta)
    return row


def subsets(name: str, results: list[Result]) -> list[tuple[str, list[Result]]]:
    """(label, results) groups to report for one set: WCXB gets all + each page type."""
    if name != "wcxb":
        return [(name, results)]
    types = sorted({r.page_type or "?" for r in results}, key=lambda t: (t != "article", t))
    return [("wcxb (all)", results)] + [(f"wcxb {t}", [r for r in results if (r.page_type or "?") == t]) for t in types]


# --------------------------------------------------------------------------- formatting


def _f(x: float | None, digits: int = 3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _acc(x: tuple[float, int] | None) -> str:
    return "–" if x is None else f"{x[0]:.2f} ({x[1]})"


def detail_table(rows: list[Row], snippet_only: bool) -> list[list[str]]:
    """Header + one line per peer: all measures."""
    best_other = {}
    head = ["peer", "pages", "P", "R", "F1", "ΔF1 vs best peer", "snippet P", "snippet R", "snippet F1", "exact",
            "title acc (n)", "authors acc (n)", "date acc (n)", "median ms", "p95 ms", "err", "empty"]
    peers_f1 = [r.main_f1 for r in rows if r.peer != "copydesk" and r.main_f1 is not None]
    best_other = max(peers_f1) if peers_f1 else None
    out = [head]
    for r in rows:
        delta = "" if r.peer != "copydesk" or best_other is None or r.main_f1 is None else f"{r.main_f1 - best_other:+.3f}"
        out.append([
            r.peer, str(r.pages), _f(r.precision), _f(r.recall), _f(r.f1), delta, _f(r.snip_p), _f(r.snip_r),
            _f(r.snip_f1), _f(r.exact, 2), _acc(r.title), _acc(r.authors), _acc(r.date), f"{r.median_ms:.1f}",
            f"{r.p95_ms:.1f}", str(r.errors), str(r.empty),
        ])
    # drop columns with no data at all
    keep = [i for i in range(len(head)) if i == 0 or any(line[i] not in ("–", "") for line in out[1:])]
    return [[line[i] for i in keep] for line in out]


def md_table(lines: list[list[str]]) -> str:
    """A Markdown table from header + rows."""
    out = ["| " + " | ".join(lines[0]) + " |", "|" + "|".join("---" for _ in lines[0]) + "|"]
    out += ["| " + " | ".join(line) + " |" for line in lines[1:]]
    return "\n".join(out)


def text_table(lines: list[list[str]]) -> str:
    """A fixed-width table for the terminal."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    fmt = lambda line: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths)))  # noqa: E731
    return "\n".join([fmt(lines[0]), "  ".join("-" * w for w in widths)] + [fmt(line) for line in lines[1:]])


def summary_table(groups: list[tuple[str, dict[str, Row]]], peers: list[str]) -> list[list[str]]:
    """One line per (sub)set: main F1 of every peer, copydesk's delta and the timing ratio."""
    head = ["set", "pages"] + [f"{p} F1" for p in peers]
    if "copydesk" in peers and len(peers) > 1:
        head += ["copydesk Δ vs best peer"]
    if "copydesk" in peers and "trafilatura" in peers:
        head += ["median ms copydesk / trafilatura"]
    out = [head]
    for label, rows in groups:
        any_row = next(iter(rows.values()))
        line = [label, str(any_row.pages)] + [_f(rows[p].main_f1) for p in peers]
        if "copydesk" in peers and len(peers) > 1:
            others = [rows[p].main_f1 for p in peers if p != "copydesk" and rows[p].main_f1 is not None]
            cd = rows["copydesk"].main_f1
            line.append("–" if cd is None or not others else f"{cd - max(others):+.3f}")
        if "copydesk" in peers and "trafilatura" in peers:
            t = rows["trafilatura"].median_ms
            line.append(f"{rows['copydesk'].median_ms / t:.2f}" if t else "–")
        out.append(line)
    return out


# --------------------------------------------------------------------------- environment


def environment() -> dict[str, str]:
    """Date, machine and versions for the report header."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    return {
        "copydesk": copydesk_source(),
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.system()} {platform.machine()}, {cores} cores ({os.cpu_count()} visible), {cpu}".strip(", "),
        "python": platform.python_version(),
        "versions": ", ".join(f"{k} {v}" for k, v in peer_versions().items()),
    }


def copydesk_source() -> str:
    """Where copydesk was imported from, with its git commit (and whether src/ had
    uncommitted changes) when that is a git checkout; for an exported tree (e.g.
    ``git archive HEAD src`` run with PYTHONPATH), ``$COPYDESK_REVISION`` names it."""
    import subprocess

    import copydesk

    src = Path(copydesk.__file__).resolve().parent
    try:
        sha = subprocess.run(["git", "-C", str(src), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(src), "status", "--porcelain", "--", "."], capture_output=True,
                               text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        rev = os.environ.get("COPYDESK_REVISION")
        if rev:  # an exported tree (git archive), labelled by whoever ran it
            return f"copydesk {copydesk.__version__} at git {rev} (exported tree)"
        return f"copydesk {copydesk.__version__} imported from {src}"
    return f"copydesk {copydesk.__version__} at git {sha}" + (" plus uncommitted changes in src/" if dirty else "")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", choices=list(DATASETS), help="sets to run (default: all present)")
    ap.add_argument("--peers", nargs="+", choices=list(PEERS), default=list(PEERS), help="extractors (default: all)")
    ap.add_argument("--limit", type=int, default=None, help="pages per set, a stable hash sample (default: all)")
    ap.add_argument("--out", default="docs/benchmarks.md", help="Markdown report to write ('-' for none)")
    ap.add_argument("--pages-out", default=None, help="also write per-page results as JSON lines")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per peer call before it counts as failed")
    ap.add_argument("--no-progress", action="store_true", help="no progress bar")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the tables; write the report."""
    args = parse_args(argv)
    peers = [p for p in PEERS if p in args.peers]  # canonical order, copydesk first
    try:
        benchmarks_dir()
    except DatasetUnavailable as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    present = available()
    sets = args.sets or present
    missing = [s for s in sets if s not in present]
    if missing:
        print(f"error: data missing for {', '.join(missing)}", file=sys.stderr)
        return 2
    from tqdm import tqdm

    env = environment()
    started = time.perf_counter()
    all_results: dict[str, list[Result]] = {}
    pages_file = open(args.pages_out, "w", encoding="utf-8") if args.pages_out else None
    for name in sets:
        ids = DATASETS[name].ids()
        total = min(len(ids), args.limit) if args.limit else len(ids)
        order = "hash" if args.limit else "id"
        results: list[Result] = []
        bar = tqdm(total=total, desc=name, unit="page", file=sys.stderr, disable=args.no_progress, dynamic_ncols=True)
        for i, page in enumerate(iter_pages(name, args.limit, order=order)):
            page_results = run_page(page, peers, i, args.timeout)
            results.extend(page_results)
            if pages_file:
                for r in page_results:
                    pages_file.write(json.dumps(asdict(r) | {"f1": r.f1}, ensure_ascii=False) + "\n")
            bar.update(1)
        bar.close()
        all_results[name] = results
    if pages_file:
        pages_file.close()
    elapsed = time.perf_counter() - started

    report = render(all_results, peers, args, env, elapsed)
    print(report["text"])
    if args.out and args.out != "-":
        out = Path(args.out)
        if not out.is_absolute():
            out = REPO / out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report["markdown"], encoding="utf-8")
        print(f"\nwrote {out}", file=sys.stderr)
    return 0


def render(all_results: dict[str, list[Result]], peers: list[str], args, env: dict, elapsed: float) -> dict[str, str]:
    """The terminal text and the Markdown report for a finished run."""
    groups: list[tuple[str, dict[str, Row]]] = []
    for name, results in all_results.items():
        for label, rs in subsets(name, results):
            groups.append((label, {p: aggregate_rows(rs, p) for p in peers}))
    everything = [r for rs in all_results.values() for r in rs]
    pooled = {p: aggregate_rows(everything, p) for p in peers}
    summary = summary_table(groups, peers)

    ratio_line = ""
    if "copydesk" in pooled and "trafilatura" in pooled and pooled["trafilatura"].median_ms:
        ratio_line = (
            f"copydesk median {pooled['copydesk'].median_ms:.1f} ms/page vs trafilatura "
            f"{pooled['trafilatura'].median_ms:.1f} ms/page over all pages: ratio "
            f"{pooled['copydesk'].median_ms / pooled['trafilatura'].median_ms:.2f} "
            f"(p95 {pooled['copydesk'].p95_ms:.0f} vs {pooled['trafilatura'].p95_ms:.0f} ms)."
        )
        if pooled["trafilatura"].meta_median_ms is not None:
            ratio_line += (
                f" trafilatura's separate extract_metadata call: median "
                f"{pooled['trafilatura'].meta_median_ms:.1f} ms/page (not in its timing)."
            )
    timing = "  ".join(f"{p} {pooled[p].median_ms:.1f}/{pooled[p].p95_ms:.0f}" for p in peers)

    hard = hard_pages(all_results, peers)
    worst = copydesk_worst(all_results, peers)
    cmd = "python benchmarks/run.py" + (f" --sets {' '.join(args.sets)}" if args.sets else "") + (
        f" --peers {' '.join(args.peers)}" if set(args.peers) != set(PEERS) else "") + (
        f" --limit {args.limit}" if args.limit else "")

    text = ["", "SUMMARY (main F1: body shingle F1; snippet F1 for trafilatura-eval)", text_table(summary), ""]
    if ratio_line:
        text += [ratio_line, ""]
    text += [f"median/p95 ms per page, all sets: {timing}", f"run took {elapsed / 60:.1f} min", ""]
    for label, rows in groups:
        text += [f"== {label}", text_table(detail_table(list(rows.values()), label == "trafilatura-eval")), ""]

    md = [
        "# Benchmarks",
        "",
        "Generated by `python benchmarks/run.py` — do not edit by hand; rerun the command. "
        "How the sets are read and scored: [Definitions](#definitions).",
        "",
        f"- Command: `{cmd}`",
        f"- Date: {env['date']}; run time {elapsed / 60:.1f} min",
        f"- Code: {env['copydesk']}",
        f"- Machine: {env['machine']}",
        f"- Python {env['python']}; {env['versions']}",
        f"- Pages: {', '.join(f'{n} {len(rs) // max(len(peers), 1)}' for n, rs in all_results.items())}"
        + (f" (a stable hash sample of at most {args.limit} per set)" if args.limit else ""),
        "",
        "## Summary",
        "",
        "Main F1 per set: body F1 over 4-token shingles; for trafilatura-eval, snippet F1. "
        "Δ is copydesk's F1 minus the best other extractor's. The last column is copydesk's median "
        "ms/page divided by trafilatura's (below 1: copydesk is faster).",
        "",
        md_table(summary),
        "",
    ]
    if ratio_line:
        md += [ratio_line, ""]
    md += ["Median / p95 ms per page over all sets: " + ", ".join(
        f"{p} {pooled[p].median_ms:.1f} / {pooled[p].p95_ms:.0f}" for p in peers) + ".", ""]
    md += ["## Per set", ""]
    for label, rows in groups:
        md += [f"### {label}", "", md_table(detail_table(list(rows.values()), label == "trafilatura-eval")), ""]
    md += ["## Pages every extractor fails", "",
           f"Pages where every extractor's body F1 is below {FAIL_F1} (often a labelling or page problem "
           "rather than an extraction one):", ""]
    if hard:
        for name, items in hard.items():
            shown = ", ".join(items[:25]) + (f", … ({len(items)} in all)" if len(items) > 25 else "")
            md.append(f"- {name}: {len(items)}: {shown}")
    else:
        md.append("- none")
    md += ["", "## Pages with an empty truth", "",
           "Pages the set labels as having no main content; an extractor scores on them only by "
           "returning nothing (number of such pages it left empty):", ""]
    empties = empty_truth_pages(all_results, peers)
    md += [f"- {name}: {n} pages: " + ", ".join(f"{p} {k}" for p, k in per_peer.items())
           for name, (n, per_peer) in empties.items()] or ["- none"]
    md += ["", "## Errors", "",
           "Calls that raised or timed out (counted as empty extractions):", ""]
    errors = [r for rs in all_results.values() for r in rs if r.status != "ok"]
    md += [f"- {r.dataset} `{r.id}` {r.peer}: {r.error}" for r in errors[:40]] or ["- none"]
    if len(errors) > 40:
        md.append(f"- … {len(errors)} in all")
    md += ["", "## Where copydesk trails the best peer most", "",
           "Per set, the pages (with a non-empty truth) with the largest gap between the best peer's "
           "body F1 and copydesk's (page id: copydesk F1 vs best peer F1):", ""]
    for name, items in worst.items():
        md.append(f"- {name}: " + ", ".join(items))
    md += ["", DEFINITIONS]
    return {"text": "\n".join(text), "markdown": "\n".join(md) + "\n"}


def hard_pages(all_results: dict[str, list[Result]], peers: list[str]) -> dict[str, list[str]]:
    """Per set, ids (with page type) of pages where every extractor scored body F1 < FAIL_F1."""
    out = {}
    for name, results in all_results.items():
        by_page = defaultdict(list)
        for r in results:
            if r.f1 is not None:
                by_page[(r.id, r.page_type)].append(r.f1)
        items = [f"{pid}" + (f" ({pt})" if pt else "") for (pid, pt), f1s in by_page.items()
                 if len(f1s) == len(peers) and max(f1s) < FAIL_F1]
        if items:
            out[name] = sorted(items)
    return out


def empty_truth_pages(all_results: dict[str, list[Result]], peers: list[str]) -> dict[str, tuple[int, dict[str, int]]]:
    """Per set with empty-truth pages: (their number, {peer: how many it left empty})."""
    out = {}
    for name, results in all_results.items():
        rs = [r for r in results if r.truth_empty]
        if rs:
            ids = {r.id for r in rs}
            out[name] = (len(ids), {p: sum(r.empty for r in rs if r.peer == p) for p in peers})
    return out


def copydesk_worst(all_results: dict[str, list[Result]], peers: list[str], n: int = 8) -> dict[str, list[str]]:
    """Per set, the n pages (with a non-empty truth) where copydesk's body F1 trails the best peer's the most."""
    out = {}
    if "copydesk" not in peers or len(peers) < 2:
        return out
    for name, results in all_results.items():
        by_page = defaultdict(dict)
        empty_truth = {r.id for r in results if r.truth_empty}
        for r in results:
            if r.f1 is not None:
                by_page[r.id][r.peer] = r.f1
        gaps = []
        for pid, f1s in by_page.items():
            if pid in empty_truth:
                continue
            others = [v for k, v in f1s.items() if k != "copydesk"]
            if "copydesk" in f1s and others and max(others) - f1s["copydesk"] > 0.2:
                gaps.append((max(others) - f1s["copydesk"], pid, f1s["copydesk"], max(others)))
        gaps.sort(reverse=True)
        if gaps:
            out[name] = [f"{pid}: {c:.2f} vs {b:.2f}" for _, pid, c, b in gaps[:n]]
    return out


DEFINITIONS = """## Definitions

**Sets.** Read by `benchmarks/datasets.py` from `shared/benchmarks` (`$COPYDESK_SHARED` or
`../shared/benchmarks`).

| set | pages | body truth | other truth |
|---|---|---|---|
| wcxb | WCXB dev split, 1,358 | `ground_truth.main_content`; the 2 files without it (4802, 4893) have no body score; 19 SPA pages have an empty truth | with/without snippets, title, author, publish_date, page_type |
| l3s-gn1 | 621 news pages (2008) | text of the `x-nc-sel2` (full text) spans only — no sel1 headline, no sel3 captions — extractor runs on `original/` | sel1 headline as the title truth |
| cleaneval | 58 dev + 681 final | gold without the `URL:` line and `<p>/<h>/<l>` markers; input without the `<text ...>` wrapper line, whose `encoding` is passed as the declared charset | – |
| dragnet | 415 (test split) | text before the `!@#$%^&*()  COMMENTS` separator | – |
| cleanportaleval | 71 | as CleanEval, entities decoded; `<!-- this page contains no article -->` = empty truth | – |
| chinese | 69 | `cleaned/` | author (`UNKNOWN` = none), date (often partial) |
| htmltotext | 28 (en/de/hr/zh) | `text/` (keeps forum comments, by its guidelines) | – |
| trafilatura-eval | 737 | – (snippets only) | with/without snippets, title, author, date |

**Body P/R/F1** (`copydesk.evaluate`): tokens are lower-cased `\\w+` runs, each text is the multiset
of its 4-token shingles; per page precision and recall from the multiset overlap, averaged over
pages; F1 is the harmonic mean of the two averages. An empty extraction of an empty truth scores
1/1; anything else against an empty truth scores 0/0. Note that `\\w+` does not segment Chinese, so
on the Chinese pages a "token" is a run of Han characters between punctuation.

**Snippet P/R/F1** (trafilatura-eval, as upstream's evaluation computes it; also shown for WCXB):
a *with* snippet found in the whitespace-normalised extraction is a true positive, missed a false
negative; a *without* snippet found is a false positive. Counts are summed over all pages, then
precision = tp/(tp+fp), recall = tp/(tp+fn), F1 their harmonic mean.

**Exact**: share of pages whose extracted body equals the truth after casefolding and collapsing
every whitespace run (newlines included) to one space.

**Metadata accuracy** (`benchmarks/metrics.py`), over pages whose truth is non-empty (n in
brackets): title — equal after casefold, whitespace collapse and stripping punctuation/symbols at
both ends (L3S: against the sel1 headline); authors — the same set of names, both sides split on
`; , | & and 、` (and spaces for the Chinese set) and normalised like titles; date published — equal
on `YYYY-MM-DD` (or on the year / year-month when that is all the truth gives). A field an extractor
does not return at all (readability and resiliparse: authors and date; jusText: everything) shows
"–" rather than 0. Metadata comes from the same call as the body; where `extract` finds no main
content (it returns None), copydesk's metadata is read with `copydesk.extract_metadata`, as
trafilatura's comes from its `extract_metadata`.

**Timing**: wall time of the body call only, median and 95th percentile per page, pages in memory,
one process. copydesk's call is `copydesk.extract(bytes)`, which decodes, extracts the body and
reads the metadata. The peers get the page already decoded by `copydesk.decode` (with the set's
declared charset), so charset handling is equal for all and not timed for them: trafilatura
`extract(text, include_comments=False)` (its `extract_metadata` is timed apart), readability-lxml
`Document(text).summary()` + lxml `text_content()`, resiliparse
`extract_plain_text(HTMLTree.parse(text), main_content=True)`, jusText with the page language's
stoplist (the set's language, else `<html lang>`, else CLD2; language-independent mode when
jusText has no stoplist, e.g. Chinese). Peers run one after the other on each page, starting with a
different one on every page. An exception or a call over `--timeout` (30 s by default) is an empty extraction
(`err` column); `empty` counts empty extractions.

## Notes on the data

Things found while writing the loaders (they hold for the copies in `shared/benchmarks`):

- trafilatura-eval: the shared README says one withheld record is still in `evaldata.json` without
  HTML; here the record is gone from the JSON too, so all 737 records have HTML (the loader would
  skip a missing one).
- WCXB: 19 pages (all SPAs) have an empty `main_content` (the README says 8): an extractor scores
  1/1 on them only by returning nothing. 2 files (4802 forum, 4893 article) have no `main_content`
  key at all and get no body score. The labels were drafted by an LLM and then reviewed.
- L3S-GN1: in `annotated/` every character outside Latin-1 was replaced by `?` ("Kosovo?s"), so
  the truth differs from the page there; shingle scores are unaffected (`?` is not a `\w`
  character, like the apostrophe it replaces) but exact match can fail on it.
- CleanEval: 48 gold files are not UTF-8 (read as windows-1252); 7 gold files are empty; the
  wrapper's `encoding` is `unset` for 254 pages and `unknown-...` for 5 (treated as undeclared).
- CleanPortalEval: 71 pages (its README says 70); only 2 gold files say "no article"; 64 gold
  files hold HTML entities (`&#039;`), decoded by the loader.
- dragnet: 13 of the 120 comment separators are mistyped (missing or doubled characters, extra
  spaces); any line with `^&*()` and `COMMENTS` is taken as the separator. 17 gold files are not
  UTF-8.
- chinese: one `date/` file holds a name instead of a date, one says `UNKNWON`, one page has empty
  `author/` and `date/` files (not scored), several dates give only a year or year-month.
- htmltotext: the truth keeps forum comments and user names, so extractors that drop comments
  lose recall there by design.
"""


if __name__ == "__main__":
    sys.exit(main())
