"""Extraction options: one typed, immutable object passed down every stage (no globals)."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields

from copydesk.errors import ExtractionTimeout, InvalidInput

DEFAULT_TIMEOUT = 5.0
"""Seconds per page. Lexbor parses a typical page in under a millisecond and the
whole pipeline runs in a few, so 5 s only trips on pathological input."""

DEFAULT_MAX_BYTES = 20_000_000
"""Largest input accepted, in bytes (UTF-8 length for str input). The largest page
in the dev benchmarks is about 3 MB; 20 MB leaves room and bounds memory per page."""


@dataclass(frozen=True, slots=True)
class Options:
    """How to extract.

    - `links`: keep (text, href) pairs on blocks and links in the HTML/Markdown output.
    - `images`: keep figures (image, caption, credit) in the body and `Article.images`.
    - `tables`: keep tables in the body.
    - `timeout`: seconds per page (float > 0, or None for no limit); on expiry
      `ExtractionTimeout` is raised.
    - `max_bytes`: largest input in bytes; bigger raises `InputTooLarge`.
    - `language`: skip language identification when the caller knows it.
    """

    links: bool = False
    images: bool = True
    tables: bool = True
    timeout: float | None = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    language: str | None = None

    def __post_init__(self) -> None:
        for name in ("links", "images", "tables"):
            if not isinstance(getattr(self, name), bool):
                raise InvalidInput(f"{name} must be True or False, got {getattr(self, name)!r}")
        t = self.timeout
        if t is not None and (isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 < t < float("inf")):
            raise InvalidInput(f"timeout must be a positive number of seconds or None, got {t!r}")
        m = self.max_bytes
        if isinstance(m, bool) or not isinstance(m, int) or m <= 0:
            raise InvalidInput(f"max_bytes must be a positive whole number of bytes, got {m!r}")
        if self.language is not None and not isinstance(self.language, str):
            raise InvalidInput(f"language must be a BCP 47 tag or None, got {self.language!r}")

    @classmethod
    def build(cls, options: Options | None = None, **kwargs) -> Options:
        """Options from an `Options` object and/or keyword overrides (keywords win);
        unknown keys and bad values raise `InvalidInput`."""
        if options is not None and not isinstance(options, Options):
            raise InvalidInput(f"options must be a copydesk.Options, not {type(options).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = set(kwargs) - known
        if unknown:
            raise InvalidInput(f"unknown option(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        base = options or cls()
        if not kwargs:
            return base
        values = {f.name: getattr(base, f.name) for f in fields(cls)}
        values.update(kwargs)
        return cls(**values)


_dataclass_init = Options.__init__


def _options_init(self, *args, **kwargs) -> None:
    # An unknown or missing field is a TypeError from the generated __init__; the
    # documented error for a bad option is InvalidInput, however Options is built.
    try:
        _dataclass_init(self, *args, **kwargs)
    except TypeError as e:
        raise InvalidInput(f"Options: {e}") from None


Options.__init__ = _options_init  # type: ignore[method-assign]


class Deadline:
    """A per-page time budget that stages check cooperatively (`check()` raises when spent)."""

    __slots__ = ("end", "limit")

    def __init__(self, seconds: float | None):
        self.limit = seconds
        self.end = None if seconds is None else time.monotonic() + seconds

    def check(self) -> None:
        """Raise `ExtractionTimeout` if the budget is spent."""
        if self.end is not None and time.monotonic() > self.end:
            raise ExtractionTimeout(f"page took longer than the {self.limit:g} s time limit")


@contextmanager
def alarm(seconds: float | None, error: Callable[[], BaseException]) -> Iterator[None]:
    """Raise `error()` inside the block once `seconds` have passed (SIGALRM timer).

    A hard stop for Python code that never reaches a `Deadline.check()`; C code
    holding the GIL is interrupted only when it returns to Python. Where SIGALRM
    cannot be used (not POSIX, not the main thread, an embedding interpreter, or
    `seconds` None/0) the block runs without a limit.
    """
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum, frame):
        raise error()

    try:
        old = signal.signal(signal.SIGALRM, fire)
    except ValueError:  # not allowed here (embedded interpreter)
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
