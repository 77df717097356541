"""Fit copydesk's confidence calibration table (classify.CALIBRATION) on WCXB dev.

    python benchmarks/calibrate_confidence.py [--write]

For each WCXB dev page: copydesk's raw confidence (`classify.raw_confidence`),
whether it was read as a region (`pagetype.reads_as_region`) or as prose, and
its body F1 against the truth. The table holds, per group and per tenth of raw
confidence, the mean F1 of the pages there, made non-decreasing (pool adjacent
violators), with the points at 0 and 1 pinned to the nearest bin. `--write`
rewrites the table in src/copydesk/classify.py.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.datasets import iter_pages  # noqa: E402
from copydesk import classify as C  # noqa: E402
from copydesk.evaluate import score_page  # noqa: E402
from copydesk.options import Options  # noqa: E402
from copydesk.pipeline import extract_html  # noqa: E402


def monotone(values: list[float], weights: list[int]) -> list[float]:
    """Pool-adjacent-violators: the closest non-decreasing sequence (weighted)."""
    blocks = [[v, w, 1] for v, w in zip(values, weights)]
    i = 0
    while i < len(blocks) - 1:
        if blocks[i][0] > blocks[i + 1][0]:
            v1, w1, n1 = blocks[i]
            v2, w2, n2 = blocks[i + 1]
            w = w1 + w2
            blocks[i] = [(v1 * w1 + v2 * w2) / w if w else (v1 + v2) / 2, w, n1 + n2]
            del blocks[i + 1]
            i = max(0, i - 1)
        else:
            i += 1
    out = []
    for v, _, n in blocks:
        out.extend([v] * n)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    bins = {"article": [[] for _ in range(10)], "region": [[] for _ in range(10)]}
    captured = {}
    real = C.confidence

    def spy(segs, share, region=False):
        captured["raw"], captured["region"] = C.raw_confidence(segs, share), region
        return real(segs, share, region)

    import copydesk.pipeline as P

    P.confidence = spy
    for page in iter_pages("wcxb"):
        if page.body is None:
            continue
        captured.clear()
        article = extract_html(page.html, page.url, Options(timeout=60), page.charset)
        if article is None or "raw" not in captured:
            continue
        f1 = score_page(article.text, page.body).f1
        group = "region" if captured["region"] else "article"
        bins[group][min(9, int(captured["raw"] * 10))].append(f1)
    tables = {}
    for group, b in bins.items():
        means = [sum(x) / len(x) if x else None for x in b]
        filled = []
        last = next((m for m in means if m is not None), 0.0)  # empty leading bins take the first mean
        for m in means:
            last = m if m is not None else last
            filled.append(last)
        mono = monotone(filled, [len(x) for x in b])
        tables[group] = tuple(round(v, 3) for v in [mono[0] * 0.5] + mono[1:] + [mono[-1]])
        # entry i is the value at raw = i/10 (the bin's mean sits at its left edge;
        # raw 0 is halved toward "nothing found")
        print(group, [len(x) for x in b], tables[group])
    if args.write:
        path = ROOT / "src" / "copydesk" / "classify.py"
        src = path.read_text(encoding="utf-8")
        new = "CALIBRATION = {\n" + "".join(f'    "{g}": {t},\n' for g, t in tables.items()) + "}"
        src = re.sub(r"CALIBRATION = \{\n.*?\n\}", new, src, count=1, flags=re.DOTALL)
        path.write_text(src, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
