"""Ways to reach the simulator: an in-process httpx transport and a loopback server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

from .faults import Faults, SimulatedDrop, SimulatedTimeout

if TYPE_CHECKING:
    import httpx

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def make_transport(app: WSGIApp) -> httpx.BaseTransport:
    """An ``httpx.WSGITransport`` that turns dropped/timed-out answers into httpx errors."""
    import httpx

    class FaultyWSGITransport(httpx.WSGITransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            try:
                return super().handle_request(request)
            except SimulatedDrop as exc:
                raise httpx.RemoteProtocolError(
                    "Server disconnected without sending a response.", request=request
                ) from exc
            except SimulatedTimeout as exc:
                raise httpx.ReadTimeout("The read operation timed out", request=request) from exc

    return FaultyWSGITransport(app=app)


def _socket_faults(app: WSGIApp, faults: Faults) -> WSGIApp:
    """Served variant: a drop closes the socket; a timeout stays silent, then closes it."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            return app(environ, start_response)
        except (SimulatedDrop, SimulatedTimeout) as exc:
            if isinstance(exc, SimulatedTimeout):
                time.sleep(faults.timeout_seconds)
            sock = environ.get("werkzeug.socket")
            if isinstance(sock, socket.socket):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            # werkzeug treats a ConnectionError as "client went away" and writes nothing.
            raise ConnectionResetError("simulated dropped connection") from exc

    return wrapped


@contextmanager
def serve(app: WSGIApp, faults: Faults, host: str = "127.0.0.1") -> Iterator[str]:
    """Run a threaded werkzeug server on a free port for the duration of the block."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            pass  # tests need no access log on stderr

    server = make_server(
        host, 0, _socket_faults(app, faults), threaded=True, request_handler=QuietHandler
    )
    thread = threading.Thread(
        target=lambda: server.serve_forever(poll_interval=0.05),  # quick shutdown in tests
        name="backoffice-simulator",
        daemon=True,
    )
    thread.start()
    try:
        yield f"http://{host}:{server.port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def serve_forever(
    app: WSGIApp,
    faults: Faults,
    host: str,
    port: int,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted, logging each request. The port is bound first: a taken
    port raises OSError before ``ready`` is called with the base URL (the port picked,
    when ``port`` is 0)."""
    # Bound here, not by werkzeug: its own bind prints to stderr and exits 1 when the
    # port is taken, where the caller wants an OSError to report in its own words.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.create_server((host, port), family=family) as sock:
        serve_socket(app, faults, sock, ready)


def serve_socket(
    app: WSGIApp,
    faults: Faults,
    sock: socket.socket,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve on a bound socket until interrupted, logging each request; ``ready`` is
    called with the base URL first."""
    from werkzeug.serving import make_server

    host, port = sock.getsockname()[:2]
    server = make_server(host, port, _socket_faults(app, faults), threaded=True, fd=sock.fileno())
    try:
        if ready is not None:
            ready(f"http://{host}:{server.port}")
        server.serve_forever()
    finally:
        server.server_close()
