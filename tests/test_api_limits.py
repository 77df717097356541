"""The limits of `copydesk.extract`: time, size, input type and option validation."""

from __future__ import annotations

import pytest

import copydesk
from copydesk import CopydeskError, ExtractionTimeout, InputTooLarge, InvalidInput
from pages import ENGLISH_PARAGRAPHS, article_page

SMALL = article_page("Council approves tram extension", ENGLISH_PARAGRAPHS)


@pytest.fixture(scope="module")
def big_page() -> str:
    """A page of 20,000 paragraphs (about 3 MB)."""
    return article_page("A very long page", [ENGLISH_PARAGRAPHS[i % 5] + f" ({i})" for i in range(20_000)])


@pytest.mark.parametrize("as_bytes", [False, True])
def test_tiny_timeout_on_big_page(big_page, as_bytes):
    page = big_page.encode("utf-8") if as_bytes else big_page
    with pytest.raises(ExtractionTimeout, match="time limit"):
        copydesk.extract(page, timeout=1e-6)


def test_realistic_timeout_on_big_page(big_page):
    # The whole page takes about half a second; a 20 ms budget must be enforced.
    with pytest.raises(ExtractionTimeout):
        copydesk.extract(big_page, timeout=0.02)


def test_timeout_via_options_object(big_page):
    with pytest.raises(ExtractionTimeout):
        copydesk.extract(big_page, options=copydesk.Options(timeout=1e-6))


def test_no_timeout_and_normal_timeout_work():
    assert copydesk.extract(SMALL, timeout=None) is not None
    assert copydesk.extract(SMALL, timeout=30) is not None


def test_max_bytes_bytes():
    data = SMALL.encode("utf-8")
    with pytest.raises(InputTooLarge, match="max_bytes"):
        copydesk.extract(data, max_bytes=len(data) - 1)
    assert copydesk.extract(data, max_bytes=len(data)) is not None


def test_max_bytes_str_counts_utf8_bytes():
    page = article_page("Совет одобрил продление линии", ["Городской совет во вторник проголосовал за продление трамвайной линии вдоль реки."] * 3)
    assert len(page) < len(page.encode("utf-8"))
    with pytest.raises(InputTooLarge):
        copydesk.extract(page, max_bytes=len(page) + 10)  # enough characters, too few bytes
    assert copydesk.extract(page, max_bytes=len(page.encode("utf-8"))) is not None


@pytest.mark.parametrize("value", [None, 42, 3.5, ["<p>a</p>"], {"html": "<p>a</p>"}, object()])
def test_non_str_bytes_input(value):
    with pytest.raises(InvalidInput, match="bytes or str"):
        copydesk.extract(value)


@pytest.mark.parametrize("value", [bytearray(SMALL.encode()), memoryview(SMALL.encode())])
def test_bytes_like_input(value):
    assert copydesk.extract(value).title == "Council approves tram extension"


@pytest.mark.parametrize("kwargs, match", [
    ({"timout": 3}, "unknown option"),
    ({"timeout": 0}, "timeout"),
    ({"timeout": -1}, "timeout"),
    ({"max_bytes": 0}, "max_bytes"),
])
def test_bad_options(kwargs, match):
    with pytest.raises(InvalidInput, match=match):
        copydesk.extract(SMALL, **kwargs)


def test_errors_are_copydesk_errors():
    for cls in (ExtractionTimeout, InputTooLarge, InvalidInput):
        assert issubclass(cls, CopydeskError)
    from copydesk.fetch import FetchError, ResponseTooLarge

    assert issubclass(FetchError, CopydeskError)
    assert issubclass(ResponseTooLarge, FetchError) and issubclass(ResponseTooLarge, InputTooLarge)


@pytest.mark.parametrize("page", ["", b"", "   ", "<html></html>", "<p>Hi</p>", b"\x00\x00"])
def test_empty_pages_give_none(page):
    assert copydesk.extract(page) is None


def test_options_with_an_unknown_name_raise_invalid_input():
    import pytest

    with pytest.raises(copydesk.InvalidInput, match="foo"):
        copydesk.Options(foo=1)
