"""Scoring extractions against labelled text: the measures the benchmarks report.

Body text is scored with 4-token shingles, as the public article-extraction
benchmark (Scrapinghub, 2019) defines them: tokens are `\\w+` runs, lower-cased;
a page's shingles are the multiset of its 4-token windows (a text of fewer
than 4 tokens is one shingle of all of them). Per page, true positives, false
positives and false negatives are counted over the multisets and normalised to
sum to 1. Precision and recall are averaged over pages, and F1 is the harmonic
mean of the two averages.

Edge cases, per page: both texts empty gives precision = recall = 1; an empty
extraction of a non-empty truth gives 0 and 0; a non-empty extraction of an
empty truth gives 0 and 0 (there was nothing to find, and it found something).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased `\\w+` tokens of `text`."""
    return _TOKEN.findall((text or "").lower())


def shingles(text: str, n: int = 4) -> Counter:
    """The multiset of n-token windows of `text`."""
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def harmonic_mean(p: float, r: float) -> float:
    """F1 of a precision and a recall (0 when both are 0)."""
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class PageScore:
    """Per-page precision and recall (0..1) from normalised tp/fp/fn."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        return harmonic_mean(self.precision, self.recall)


def score_page(extracted: str, truth: str, n: int = 4) -> PageScore:
    """Shingle precision and recall of one extraction against its ground truth."""
    pred, true = shingles(extracted, n), shingles(truth, n)
    if not pred and not true:
        return PageScore(1.0, 1.0)
    if not pred or not true:
        return PageScore(0.0, 0.0)
    tp = sum((pred & true).values())
    fp = sum(pred.values()) - tp
    fn = sum(true.values()) - tp
    return PageScore(tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)


@dataclass(frozen=True, slots=True)
class SetScore:
    """Precision and recall averaged over pages, F1 of the two means, and the page count."""

    precision: float
    recall: float
    pages: int

    @property
    def f1(self) -> float:
        return harmonic_mean(self.precision, self.recall)


def aggregate(scores: list[PageScore]) -> SetScore:
    """Average per-page scores (see the module docstring)."""
    if not scores:
        return SetScore(0.0, 0.0, 0)
    n = len(scores)
    return SetScore(sum(s.precision for s in scores) / n, sum(s.recall for s in scores) / n, n)


def snippet_score(extracted: str, with_: list[str], without: list[str]) -> tuple[int, int, int, int]:
    """(tp, fn, fp, tn) for the trafilatura-eval snippet labels: a *with* snippet
    found is a true positive, missed a false negative; a *without* snippet found is
    a false positive, absent a true negative. Matching is on whitespace-normalised text."""
    text = " ".join((extracted or "").split())
    tp = fn = fp = tn = 0
    for s in with_:
        if " ".join(s.split()) in text:
            tp += 1
        else:
            fn += 1
    for s in without:
        if " ".join(s.split()) in text:
            fp += 1
        else:
            tn += 1
    return tp, fn, fp, tn
