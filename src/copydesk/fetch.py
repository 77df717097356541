"""Fetch one page over HTTP(S) with a User-Agent, a time limit and a size cap.

    >>> body, content_type, final_url = fetch("https://example.com/")
    >>> article = copydesk.extract(body, final_url, charset=charset_from_content_type(content_type))

Standard library only (`urllib`): redirects are followed (at most 10, http and
https only), the body is read in chunks and abandoned as soon as it passes
`max_bytes`, and the whole download must finish within `timeout` seconds.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from copydesk.errors import CopydeskError, InputTooLarge
from copydesk.options import DEFAULT_MAX_BYTES

DEFAULT_FETCH_TIMEOUT = 10.0
"""Seconds allowed for one download: connecting, each read, and the whole body."""

_CHUNK = 64 * 1024


def user_agent() -> str:
    """The User-Agent copydesk sends: "copydesk/<version> (+https://github.com/copydesk)"."""
    from copydesk import __version__

    return f"copydesk/{__version__} (+https://github.com/copydesk)"


class FetchError(CopydeskError):
    """The page could not be downloaded: bad URL, network error, HTTP error status or timeout."""


class ResponseTooLarge(FetchError, InputTooLarge):
    """The response body is larger than `max_bytes` (both a `FetchError` and an `InputTooLarge`)."""


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http/https URLs (urllib alone also allows ftp)."""

    max_redirections = 10

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        scheme = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl)).scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"redirect to a non-HTTP URL refused: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def is_url(text: str) -> bool:
    """True when `text` starts with http:// or https:// (case-insensitive)."""
    return text[:8].lower().startswith(("http://", "https://"))


def fetch(url: str, timeout: float = DEFAULT_FETCH_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str, str]:
    """Download `url`; return `(body, content_type, final_url)`.

    - `body`: the response body as bytes (no decoding; no Content-Encoding is
      requested, so it is the page itself).
    - `content_type`: the `Content-Type` header ("text/html; charset=utf-8"),
      or "" when the server sent none. Pass its charset to `copydesk.extract`
      (see `copydesk.decode.charset_from_content_type`).
    - `final_url`: the URL after redirects.
    - `timeout`: seconds (> 0) for connecting, for each read, and for the whole download.
    - `max_bytes`: the largest body accepted, in bytes.

    Raises `FetchError` for a non-http(s) URL, a network error, an HTTP error
    status (4xx/5xx) or a timeout, and `ResponseTooLarge` (a `FetchError` and an
    `InputTooLarge`) when the body is over `max_bytes`.
    """
    if not isinstance(url, str) or not is_url(url):
        raise FetchError(f"not an http(s) URL: {url!r}")
    if not urllib.parse.urlsplit(url).hostname:
        raise FetchError(f"URL has no host: {url!r}")
    if not timeout or timeout <= 0:
        raise FetchError(f"timeout must be a positive number of seconds, got {timeout!r}")
    request = urllib.request.Request(url, headers={
        "User-Agent": user_agent(),
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
        "Accept-Encoding": "identity",
    })
    opener = urllib.request.build_opener(_HttpOnlyRedirects())
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = response.headers.get("Content-Type", "") or ""
            final_url = response.geturl() or url
            declared = response.headers.get("Content-Length")
            if declared and declared.strip().isdigit() and int(declared) > max_bytes:
                raise ResponseTooLarge(f"response is {int(declared):,} bytes, over the {max_bytes:,}-byte limit (max_bytes)")
            chunks: list[bytes] = []
            size = 0
            while True:
                chunk = response.read(min(_CHUNK, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise ResponseTooLarge(f"response is over the {max_bytes:,}-byte limit (max_bytes)")
                if time.monotonic() > deadline:
                    raise FetchError(f"download took longer than {timeout:g} s")
            return b"".join(chunks), content_type, final_url
    except CopydeskError:
        raise
    except urllib.error.HTTPError as e:
        e.close()
        raise FetchError(f"HTTP {e.code} {e.reason}".rstrip()) from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise FetchError(f"no response within {timeout:g} s") from None
        raise FetchError(f"cannot reach {urllib.parse.urlsplit(url).hostname}: {reason}") from None
    except (TimeoutError, socket.timeout):
        raise FetchError(f"no response within {timeout:g} s") from None
    except (OSError, ValueError, http.client.HTTPException) as e:
        # http.client errors (IncompleteRead, RemoteDisconnected, BadStatusLine...)
        # and connection resets; ValueError covers malformed URLs.
        raise FetchError(f"download failed: {type(e).__name__}: {e}") from None
