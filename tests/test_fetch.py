"""copydesk.fetch against a local HTTP server on 127.0.0.1 (no network)."""

from __future__ import annotations

import socket
import time

import pytest

import copydesk
from copydesk.decode import charset_from_content_type
from copydesk.fetch import FetchError, ResponseTooLarge, fetch, is_url, user_agent
from local_server import Route, serve
from pages import ENGLISH_PARAGRAPHS, article_page

pytestmark = pytest.mark.usefixtures("no_proxy")

PAGE = article_page("Council approves tram extension", ENGLISH_PARAGRAPHS).encode("utf-8")
RUSSIAN = ["Городской совет во вторник проголосовал за продление трамвайной линии вдоль реки на четыре километра.",
           "Строительство должно начаться следующей весной и займёт около трёх лет, сообщили в администрации."]
KOI8_PAGE = article_page("Совет одобрил продление трамвайной линии", RUSSIAN, lang="ru").encode("koi8-r")


@pytest.fixture(scope="module")
def server():
    routes = {
        "/page": Route(body=PAGE),
        "/koi8": Route(body=KOI8_PAGE, content_type="text/html; charset=KOI8-R"),
        "/old": Route(status=301, location="/page"),
        "/hop": Route(status=302, location="/old"),
        "/to-file": Route(status=302, location="file:///etc/passwd"),
        "/to-ftp": Route(status=302, location="ftp://127.0.0.1/page.html"),
        "/big": Route(body=b"<p>" + b"x" * 200_000 + b"</p>"),
        "/big-stream": Route(body=b"<p>" + b"y" * 200_000 + b"</p>", chunk_delay=0.001, chunk_size=16_384),
        "/slow": Route(body=PAGE, delay=2.0),
        "/trickle": Route(body=PAGE * 4, chunk_delay=0.1, chunk_size=512),
        "/error": Route(status=500, body=b"oops"),
        "/no-type": Route(body=PAGE, content_type=""),
    }
    with serve(routes) as (base, srv):
        yield base, srv


def test_page(server):
    base, srv = server
    body, content_type, final_url = fetch(base + "/page")
    assert body == PAGE
    assert content_type == "text/html; charset=utf-8"
    assert final_url == base + "/page"
    ua = srv.seen_headers[-1]["User-Agent"]
    assert ua == user_agent() and ua.startswith(f"copydesk/{copydesk.__version__} (+https://")


def test_redirects_are_followed(server):
    base, _ = server
    body, _, final_url = fetch(base + "/hop")
    assert body == PAGE
    assert final_url == base + "/page"


def test_content_type_charset_reaches_extract(server):
    base, _ = server
    body, content_type, final_url = fetch(base + "/koi8")
    assert charset_from_content_type(content_type) == "KOI8-R"
    article = copydesk.extract(body, final_url, charset=charset_from_content_type(content_type))
    assert article.title == "Совет одобрил продление трамвайной линии"
    assert [b.text for b in article.blocks] == RUSSIAN


def test_missing_content_type(server):
    base, _ = server
    body, content_type, _ = fetch(base + "/no-type")
    assert body == PAGE and content_type == ""


@pytest.mark.parametrize("path, status", [("/nowhere", "404"), ("/error", "500")])
def test_http_errors(server, path, status):
    base, _ = server
    with pytest.raises(FetchError, match=status):
        fetch(base + path)


def test_too_large_by_content_length(server):
    base, _ = server
    with pytest.raises(ResponseTooLarge, match="limit") as info:
        fetch(base + "/big", max_bytes=100_000)
    assert isinstance(info.value, copydesk.InputTooLarge)
    assert isinstance(info.value, FetchError) and isinstance(info.value, copydesk.CopydeskError)
    assert len(fetch(base + "/big", max_bytes=300_000)[0]) == 200_007


def test_too_large_while_streaming(server):
    base, _ = server
    # No Content-Length: the cap is enforced on the bytes as they arrive.
    with pytest.raises(ResponseTooLarge):
        fetch(base + "/big-stream", max_bytes=50_000)


def test_slow_server_trips_timeout(server):
    base, _ = server
    start = time.monotonic()
    with pytest.raises(FetchError, match="within 0.3 s"):
        fetch(base + "/slow", timeout=0.3)
    assert time.monotonic() - start < 1.5


def test_trickling_body_trips_total_timeout(server):
    base, _ = server
    # Each chunk arrives well within the timeout, but the whole body does not.
    start = time.monotonic()
    with pytest.raises(FetchError, match="longer than 0.5 s"):
        fetch(base + "/trickle", timeout=0.5)
    assert time.monotonic() - start < 1.5


@pytest.mark.parametrize("path", ["/to-file", "/to-ftp"])
def test_redirect_to_non_http_url_is_refused(server, path):
    base, _ = server
    with pytest.raises(FetchError, match="(?i)redirect"):
        fetch(base + path, timeout=2)


def test_connection_refused():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="cannot reach 127.0.0.1"):
        fetch(f"http://127.0.0.1:{port}/", timeout=2)


@pytest.mark.parametrize("url", ["ftp://example.com/a.html", "file:///etc/passwd", "example.com/page", "http://", "", None])
def test_bad_urls(url):
    with pytest.raises(FetchError):
        fetch(url)


def test_bad_timeout():
    with pytest.raises(FetchError, match="timeout"):
        fetch("http://127.0.0.1/", timeout=0)


@pytest.mark.parametrize("text, expected", [
    ("http://a.example/", True), ("HTTPS://a.example/", True), ("ftp://a.example", False),
    ("page.html", False), ("-", False), ("httpdocs/index.html", False),
])
def test_is_url(text, expected):
    assert is_url(text) is expected
