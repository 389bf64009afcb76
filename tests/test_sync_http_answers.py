"""A platform answer that is not the JSON object protocol v1 promises (a captive portal's HTML
page, a JSON array, a body cut off mid-way) is one plain message, never a KeyError or a JSON
decoding error deep in the sync engine."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from officer_app.sync.errors import SyncError
from officer_app.sync.http import PlatformClient

BODIES = {
    "/html": (b"<html><body>Wi-Fi login</body></html>", "text/html"),
    "/array": (b'[{"cursor": 1}]', "application/json"),
    "/cut": (b'{"items": [{"cursor": 1, "pay', "application/json"),
    "/null": (b"null", "application/json"),
    "/ok": (b'{"items": [], "next_cursor": 0}', "application/json"),
}


class _Server(ThreadingHTTPServer):
    body = "/ok"  # the key into BODIES every GET is answered with


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        body, kind = BODIES[self.server.body]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.mark.parametrize("body", ["/html", "/array", "/cut", "/null"])
def test_an_answer_that_is_not_a_json_object_is_one_plain_message(
    server: _Server, body: str
) -> None:
    server.body = body
    with PlatformClient(f"http://127.0.0.1:{server.server_port}", "token") as client:
        with pytest.raises(SyncError) as caught:
            client.pull(0)
        assert caught.value.message_zh == "平台返回的数据格式不正确。"
        assert "GET /v1/pull: HTTP 200, body is not a JSON object" in caught.value.detail
        with pytest.raises(SyncError):
            client.hello()


def test_a_json_object_is_handed_over_as_it_is(server: _Server) -> None:
    server.body = "/ok"
    with PlatformClient(f"http://127.0.0.1:{server.server_port}", "token") as client:
        assert client.pull(0) == {"items": [], "next_cursor": 0}
