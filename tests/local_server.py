"""A tiny HTTP server on 127.0.0.1 for tests: no network, no third-party code.

    with serve({"/page": Route(body=b"<html>...", content_type="text/html")}) as (base, server):
        fetch(base + "/page")
        server.seen_headers[-1]["User-Agent"]

Routes map a path to a `Route`; unknown paths answer 404. A route can redirect,
send a body in slow chunks, delay its headers, or lie about its size.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What the server answers for one path.

    - `body`: the response body (bytes).
    - `status`: HTTP status code.
    - `content_type`: the Content-Type header ("" for none).
    - `location`: a Location header (for redirects).
    - `delay`: seconds to wait before sending anything (a slow server).
    - `chunk_delay`: when > 0, the body is sent in `chunk_size` pieces with this
      many seconds between them, and without a Content-Length (a trickling server).
    - `send_length`: send a Content-Length header.
    """

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    location: str = ""
    delay: float = 0.0
    chunk_delay: float = 0.0
    chunk_size: int = 1024
    send_length: bool = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    routes: dict[str, Route] = {}
    seen_headers: list[dict] = []


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args):  # keep test output clean
        pass

    def do_GET(self):
        self.server.seen_headers.append(dict(self.headers))
        route = self.server.routes.get(self.path.split("?")[0])
        if route is None:
            route = Route(body=b"<h1>Not found</h1>", status=404)
        try:
            if route.delay:
                time.sleep(route.delay)
            self.send_response(route.status)
            if route.content_type:
                self.send_header("Content-Type", route.content_type)
            if route.location:
                self.send_header("Location", route.location)
            if route.send_length and not route.chunk_delay:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if route.chunk_delay:
                for i in range(0, len(route.body), route.chunk_size):
                    self.wfile.write(route.body[i:i + route.chunk_size])
                    self.wfile.flush()
                    time.sleep(route.chunk_delay)
            else:
                self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout or size cap): expected in tests


@contextlib.contextmanager
def serve(routes: dict[str, Route]):
    """Run a server with `routes` in a thread; yield (base URL "http://127.0.0.1:PORT", server).

    `server.seen_headers` lists the request headers of every request, in order.
    """
    server = _Server(("127.0.0.1", 0), _Handler)
    server.routes = routes
    server.seen_headers = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server
    finally:
        server.shutdown()
        server.server_close()
